// The commands usable after a pipe (or alone) in the lab: grep, head, tail, wc, sort, cut, cat,
// echo, true, false. Each takes argv and stdin text and returns { stdout, stderr, exitCode }.
import { FILTERS } from "./filters/index";
import type { FilterResult } from "./filters/types";

export { FILTERS } from "./filters/index";
export type { Filter, FilterResult } from "./filters/types";

export function isFilter(name: string): boolean {
  return Object.hasOwn(FILTERS, name);
}

/** Runs a filter by name; undefined when there is no such filter. */
export function runFilter(name: string, argv: readonly string[], stdin: string): FilterResult | undefined {
  const f = isFilter(name) ? FILTERS[name] : undefined;
  return f ? f(argv, stdin) : undefined;
}
