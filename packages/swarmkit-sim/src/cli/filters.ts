// The commands usable after a pipe (or alone) in the lab: grep, head, tail, wc, sort, cut, cat,
// echo, true, false. Each takes argv, stdin text and a reader for its file operands, and
// returns { stdout, stderr, exitCode }.
import { FILTERS } from "./filters/index";
import type { FileReader, FilterResult } from "./filters/types";

export { FILTERS } from "./filters/index";
export type { FileRead, FileReader, Filter, FilterResult } from "./filters/types";

export function isFilter(name: string): boolean {
  return Object.hasOwn(FILTERS, name);
}

/** Runs a filter by name; undefined when there is no such filter. */
export function runFilter(
  name: string,
  argv: readonly string[],
  stdin: string,
  readFile?: FileReader,
): FilterResult | undefined {
  const f = isFilter(name) ? FILTERS[name] : undefined;
  return f ? f(argv, stdin, readFile) : undefined;
}
