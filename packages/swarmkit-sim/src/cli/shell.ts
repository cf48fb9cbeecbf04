// The lab's shell line reader: splits a line into `;`/`&&`/`||` lists of `|` pipelines of
// commands (and `for` loops), with quotes, escapes, comments, NAME=value assignments, $VAR/${VAR}
// expansion and $(...) command substitution evaluated through a callback. Errors read as
// BusyBox sh's.
export type {
  AndOr,
  Assignment,
  Command,
  ForCommand,
  ParamOp,
  Pipeline,
  Redirect,
  Script,
  SimpleCommand,
  Word,
  WordPart,
} from "./shell/ast";
export {
  type ExpandEnv,
  expandWord,
  expandWordNow,
  expandWords,
  expandWordsNow,
  hasSubstitution,
} from "./shell/expand";
export { type ParseResult, parseShell, ShellSyntaxError } from "./shell/parser";

import { done, runWithoutWaiting } from "./job";
import type { Script } from "./shell/ast";
import type { ExpandEnv } from "./shell/expand";
import { expandWords } from "./shell/expand";
import { parseShell } from "./shell/parser";

/**
 * Splits a line into argv vectors, one per command, for callers that only need words: pipes and
 * lists are flattened in order. Substitutions run through `substitute` (default: empty output).
 */
export function splitCommandLine(
  line: string,
  vars: Readonly<Record<string, string>> = {},
  substitute: (source: string) => string = () => "",
): { ok: true; commands: string[][] } | { ok: false; error: string } {
  const parsed = parseShell(line);
  if (!parsed.ok) return parsed;
  const env: ExpandEnv = {
    lookup: (name) => vars[name],
    assign: () => {},
    substitute: (_script, source) => done(substitute(source)),
  };
  const commands: string[][] = [];
  const visit = (script: Script): void => {
    for (const list of script.lists) {
      for (const pipeline of [list.first, ...list.rest.map((r) => r.pipeline)]) {
        for (const cmd of pipeline.commands) {
          if ("type" in cmd) visit(cmd.body);
          else commands.push(runWithoutWaiting(expandWords(cmd.words, env)));
        }
      }
    }
  };
  visit(parsed.script);
  return { ok: true, commands };
}
