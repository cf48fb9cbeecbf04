// The transcript runner: runs a script line by line, printing each line after the prompt it
// was typed at, then its output, as a terminal session would look. This is what
// `swarm-sim lab --script FILE` and piped input do. A line ending in a backslash continues on
// the next one; `#` comment lines and blank lines are echoed without running anything.
import { type RunResult, terminalText } from "./types";

export interface ScriptHost {
  run(line: string): RunResult;
  prompt(): string;
  /** True once `exit` left the outermost shell: the rest of the script is not run. */
  readonly exited: boolean;
}

export interface ScriptResult {
  /** Prompt, command and output of every line, as the session would show them. */
  transcript: string;
  /** The exit status of the last command run. */
  exitCode: number;
  /** Lines whose command failed (exit status not 0), with their status. */
  failures: { line: string; exitCode: number }[];
}

/** Joins backslash-continued lines, as sh reads them. */
export function scriptLines(text: string): string[] {
  const out: string[] = [];
  let pending = "";
  for (const raw of text.replace(/\r\n/g, "\n").split("\n")) {
    if (raw.endsWith("\\") && !raw.endsWith("\\\\")) {
      pending += raw.slice(0, -1);
      continue;
    }
    out.push(pending + raw);
    pending = "";
  }
  if (pending !== "") out.push(pending);
  // A final newline does not make one more (empty) line.
  if (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out;
}

/** Runs every line of `text` on the host; `onOutput` receives the transcript as it grows. */
export function runScript(host: ScriptHost, text: string, onOutput?: (chunk: string) => void): ScriptResult {
  let transcript = "";
  const emit = (s: string) => {
    transcript += s;
    onOutput?.(s);
  };
  let exitCode = 0;
  const failures: { line: string; exitCode: number }[] = [];
  for (const line of scriptLines(text)) {
    if (host.exited) break;
    emit(`${host.prompt()}${line}\n`);
    const r = host.run(line);
    emit(terminalText(r));
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    exitCode = r.exitCode;
    if (r.exitCode !== 0) failures.push({ line, exitCode: r.exitCode });
  }
  return { transcript, exitCode, failures };
}
