// Small types shared by the lab's modules.

/** What running one line gives back: the two streams and the exit status, as a shell has. */
export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Both streams in the order they were written, when known (what a terminal shows). */
  output?: { stream: "stdout" | "stderr"; text: string }[];
}

/** The text a terminal would show for a result: the streams interleaved as written. */
export function terminalText(r: RunResult): string {
  const text = r.output ? r.output.map((c) => c.text).join("") : r.stdout + r.stderr;
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}
