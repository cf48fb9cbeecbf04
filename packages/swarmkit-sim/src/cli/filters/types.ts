// A text filter usable after a pipe in the lab (grep, head, wc, ...): argv (without the
// command name), stdin and a file reader in, text and an exit status out. Filters are pure
// functions: the host decides what a file operand names (the lab: the shell's node and
// directory), the filter only reads through `readFile`.
import type { OutputChunk } from "../io";

export interface FilterResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Both streams in the order written; present only when both were written (order matters then). */
  output?: OutputChunk[];
}

/**
 * What opening and reading a file operand gives, as the tools meet it: a file's text, a
 * directory (it opens, but reading it fails: EISDIR), or nothing there (open fails: ENOENT).
 */
export type FileRead = { kind: "file"; text: string } | { kind: "directory" } | { kind: "missing" };

/** Reads a file operand as the command's shell names it (relative to its directory). */
export type FileReader = (path: string) => FileRead;

/** The reader of a host without files: every operand is missing. */
export const NO_FILES: FileReader = () => ({ kind: "missing" });

export type Filter = (argv: readonly string[], stdin: string, readFile?: FileReader) => FilterResult;

/** strerror's text for a read that gave no text. */
export function readError(r: Exclude<FileRead, { kind: "file" }>): string {
  return r.kind === "directory" ? "Is a directory" : "No such file or directory";
}

export const done = (stdout: string, exitCode = 0): FilterResult => ({ stdout, stderr: "", exitCode });
export const failed = (stderr: string, exitCode: number, stdout = ""): FilterResult => ({
  stdout,
  stderr: stderr.endsWith("\n") ? stderr : `${stderr}\n`,
  exitCode,
});

/** Collects a filter's writes in order, for tools that go through several files. */
export class FilterOutput {
  private readonly chunks: OutputChunk[] = [];

  out(text: string): void {
    this.write("stdout", text);
  }

  err(text: string): void {
    this.write("stderr", text);
  }

  private write(stream: OutputChunk["stream"], text: string): void {
    if (text === "") return;
    const last = this.chunks[this.chunks.length - 1];
    if (last?.stream === stream) last.text += text;
    else this.chunks.push({ stream, text });
  }

  result(exitCode: number): FilterResult {
    const of = (s: OutputChunk["stream"]) =>
      this.chunks
        .filter((c) => c.stream === s)
        .map((c) => c.text)
        .join("");
    const r: FilterResult = { stdout: of("stdout"), stderr: of("stderr"), exitCode };
    return this.chunks.length > 1 ? { ...r, output: this.chunks } : r;
  }
}

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

/** GNU coreutils quote values in messages with ‘’ under a UTF-8 locale (gnulib's quote()). */
export const q = (s: string): string => `‘${s}’`;

/**
 * A file name as coreutils' quoteaf() shows it (shell-escape-always quoting): always quoted,
 * in single quotes, or double quotes when the name has a single quote and nothing sh would
 * expand inside double quotes.
 */
export function quoteFile(name: string): string {
  if (name.includes("'") && !/[\\"$`]/.test(name)) return `"${name}"`;
  return `'${name.replaceAll("'", "'\\''")}'`;
}
