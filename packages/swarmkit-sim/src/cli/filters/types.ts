// A text filter usable after a pipe in the lab (grep, head, wc, ...): argv (without the
// command name) and stdin in, text and an exit status out. Filters are pure functions.
export interface FilterResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export type Filter = (argv: readonly string[], stdin: string) => FilterResult;

export const done = (stdout: string, exitCode = 0): FilterResult => ({ stdout, stderr: "", exitCode });
export const failed = (stderr: string, exitCode: number, stdout = ""): FilterResult => ({
  stdout,
  stderr: stderr.endsWith("\n") ? stderr : `${stderr}\n`,
  exitCode,
});

/** Splits text into lines the way line-oriented tools read it (a final newline ends the last). */
export function linesOf(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** GNU coreutils quote values in messages with ‘’ under a UTF-8 locale. */
export const q = (s: string): string => `‘${s}’`;
