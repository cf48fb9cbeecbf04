// The determinism rule as a check: simulation code takes time and randomness only from the
// kernel. A line that truly needs the wall clock (a benchmark, the CLI's progress bar) says
// so with a `// wall-clock:` comment, or lives in a folder named bench, cli, bin or lab.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export const FORBIDDEN = /\b(Date\.now|Math\.random|performance\.now|setTimeout|setInterval|setImmediate)\b/; // wall-clock: the rule's own pattern
const EXEMPT_DIRS = /[\\/](bench|bin|cli|lab)[\\/]/;

export interface Violation {
  file: string;
  line: number;
  text: string;
}

/** Checks one file's text; `file` is only used in the report. */
export function findWallClockUses(file: string, text: string): Violation[] {
  const out: Violation[] = [];
  text.split("\n").forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, "");
    if (FORBIDDEN.test(code) && !/\/\/\s*wall-clock:/.test(line))
      out.push({ file, line: i + 1, text: line.trim() });
  });
  return out;
}

/** Walks every packages/<name>/src folder under `root`. */
export function scanPackages(root: string): Violation[] {
  const out: Violation[] = [];
  const packages = join(root, "packages");
  for (const pkg of readdirSync(packages)) {
    const src = join(packages, pkg, "src");
    try {
      if (!statSync(src).isDirectory()) continue;
    } catch {
      continue;
    }
    walk(src, (file) => {
      const rel = relative(root, file);
      if (EXEMPT_DIRS.test(`/${rel}`)) return;
      out.push(...findWallClockUses(rel, readFileSync(file, "utf8")));
    });
  }
  return out;
}

function walk(dir: string, visit: (file: string) => void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, visit);
    else if (/\.(ts|mts|js|mjs)$/.test(entry.name)) visit(path);
  }
}
