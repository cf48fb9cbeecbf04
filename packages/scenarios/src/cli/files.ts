// Files named on the command line (`lab --script FILE`, `replay FILE`): read only when they are
// regular files of a reasonable size, with a clear message otherwise (exit 2, never a stack
// trace from the file system).
import { readFileSync, statSync } from "node:fs";
import { UsageError } from "./usage-error";

/** Larger than any script or replay file a person writes. */
export const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024;

export function readInputFile(path: string): string {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`no such file: ${path}`);
  }
  if (st.isDirectory()) throw new UsageError(`${path} is a directory, not a file`);
  if (!st.isFile()) throw new UsageError(`${path} is not a regular file`);
  if (st.size > MAX_INPUT_FILE_BYTES)
    throw new UsageError(`${path} is too large (${st.size} bytes; at most ${MAX_INPUT_FILE_BYTES})`);
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code ?? "";
    throw new UsageError(`cannot read ${path}${code ? ` (${code})` : ""}`);
  }
}
