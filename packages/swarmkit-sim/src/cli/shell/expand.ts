// Word expansion as sh does it for the lab: parameters ($VAR, ${VAR}, ${VAR:-word}, ${#VAR},
// $?), command substitution ($(...) and `...`, trailing newlines removed) and field splitting of
// unquoted expansion results on blanks. No globbing, tilde or arithmetic expansion.
//
// A substitution runs a command, and a command may wait for the simulated world, so expansion
// is a job (cli/job.ts). Words without a substitution, nearly all of them, expand at once
// (`expandWordsNow`), without the generator machinery.
import { MAX_OUTPUT_CHARS } from "../io";
import { type Job, runWithoutWaiting } from "../job";
import type { Script, Word, WordPart } from "./ast";

/**
 * A word whose expansion would pass the lab's limit on text (MAX_OUTPUT_CHARS): a variable
 * doubled in a loop reaches JavaScript's string limit ("Invalid string length") otherwise.
 * The dispatcher prints it as sh's error for the command.
 */
export class ExpansionLimitError extends Error {
  constructor() {
    super(`expansion too long: more than ${MAX_OUTPUT_CHARS} characters (the lab's limit)`);
  }
}

/** `a + b`, unless it would pass the limit. */
function join(a: string, b: string): string {
  if (a.length + b.length > MAX_OUTPUT_CHARS) throw new ExpansionLimitError();
  return a + b;
}

export interface ExpandEnv {
  /** A variable's value, or undefined when unset (special parameters such as "?" included). */
  lookup(name: string): string | undefined;
  /** ${name:=word} assigns. */
  assign(name: string, value: string): void;
  /** Runs a substituted script; returns its standard output. */
  substitute(script: Script, source: string): Job<string>;
}

const BLANKS = /[ \t\n]+/;

/** Does expanding these words run a command ($(...) or `...`, also inside ${VAR:-...})? */
export function hasSubstitution(words: readonly Word[]): boolean {
  for (const w of words) if (wordHasSubstitution(w)) return true;
  return false;
}

function wordHasSubstitution(word: Word): boolean {
  for (const p of word.parts) {
    if (p.type === "subst") return true;
    if (p.type === "param" && p.arg && wordHasSubstitution(p.arg)) return true;
  }
  return false;
}

/** Expands words into fields (what the command receives as argv). */
export function* expandWords(words: readonly Word[], env: ExpandEnv): Job<string[]> {
  if (!hasSubstitution(words)) return expandWordsNow(words, env);
  const fields: string[] = [];
  for (const w of words) {
    const values: string[] = [];
    for (const part of w.parts) values.push(yield* partValue(part, env));
    for (const f of splitFields(w, values)) fields.push(f);
  }
  return fields;
}

/** Expands a word into one string, without field splitting (assignments, redirect targets). */
export function* expandWord(word: Word, env: ExpandEnv): Job<string> {
  if (!wordHasSubstitution(word)) return expandWordNow(word, env);
  let out = "";
  for (const part of word.parts) out = join(out, yield* partValue(part, env));
  return out;
}

/** expandWords for words without a substitution (see hasSubstitution). */
export function expandWordsNow(words: readonly Word[], env: ExpandEnv): string[] {
  const fields: string[] = [];
  for (const w of words)
    for (const f of splitFields(
      w,
      w.parts.map((p) => partValueNow(p, env)),
    ))
      fields.push(f);
  return fields;
}

/** expandWord for a word without a substitution. */
export function expandWordNow(word: Word, env: ExpandEnv): string {
  let out = "";
  for (const part of word.parts) out = join(out, partValueNow(part, env));
  return out;
}

/** Field splitting: `values` are the expanded parts of `word`, in order. */
function splitFields(word: Word, values: readonly string[]): string[] {
  const fields: string[] = [];
  let cur = "";
  let has = false;
  word.parts.forEach((part, i) => {
    const value = values[i];
    if (part.type === "text" || part.quoted) {
      cur = join(cur, value);
      if (part.quoted || value !== "") has = true;
      return;
    }
    // An unquoted expansion: its blanks separate fields.
    if (value === "") return;
    if (/^[ \t\n]/.test(value) && has) {
      fields.push(cur);
      cur = "";
      has = false;
    }
    const tokens = value.split(BLANKS).filter((t) => t !== "");
    tokens.forEach((t, j) => {
      if (j > 0) {
        fields.push(cur);
        cur = "";
      }
      cur = join(cur, t);
      has = true;
    });
    if (/[ \t\n]$/.test(value) && tokens.length > 0) {
      fields.push(cur);
      cur = "";
      has = false;
    }
  });
  if (has) fields.push(cur);
  return fields;
}

function* partValue(part: WordPart, env: ExpandEnv): Job<string> {
  switch (part.type) {
    case "text":
      return part.value;
    case "subst":
      return (yield* env.substitute(part.script, part.source)).replace(/\n+$/, "");
    case "param": {
      const value = env.lookup(part.name);
      const arg = part.arg && paramUsesArg(part, value) ? yield* expandWord(part.arg, env) : "";
      return paramValue(part, value, arg, env);
    }
  }
}

function partValueNow(part: WordPart, env: ExpandEnv): string {
  switch (part.type) {
    case "text":
      return part.value;
    case "subst":
      // Not reached: words with a substitution go through partValue.
      return runWithoutWaiting(env.substitute(part.script, part.source)).replace(/\n+$/, "");
    case "param": {
      const value = env.lookup(part.name);
      const arg = part.arg && paramUsesArg(part, value) ? expandWordNow(part.arg, env) : "";
      return paramValue(part, value, arg, env);
    }
  }
}

type ParamPart = Extract<WordPart, { type: "param" }>;

/** Whether ${name op word} expands its word, given the variable's value (sh expands it lazily). */
function paramUsesArg(part: ParamPart, value: string | undefined): boolean {
  const unsetOrEmpty = value === undefined || value === "";
  switch (part.op) {
    case undefined:
    case "length":
      return false;
    case ":-":
    case ":=":
      return unsetOrEmpty;
    case "-":
    case "=":
      return value === undefined;
    case ":+":
      return !unsetOrEmpty;
    case "+":
      return value !== undefined;
  }
}

function paramValue(part: ParamPart, value: string | undefined, arg: string, env: ExpandEnv): string {
  switch (part.op) {
    case undefined:
      return value ?? "";
    case "length":
      return String([...(value ?? "")].length);
    case ":-":
    case "-":
      return paramUsesArg(part, value) ? arg : value!;
    case ":=":
    case "=":
      if (!paramUsesArg(part, value)) return value!;
      env.assign(part.name, arg);
      return arg;
    case ":+":
    case "+":
      return paramUsesArg(part, value) ? arg : "";
  }
}
