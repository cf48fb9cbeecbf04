// `npm run bench`: runs every package's benchmarks (<workspace>/bench/*.bench.ts, each
// exporting `bench(): BenchRow[]`), prints one line per row, and exits non-zero when a
// target is missed. Pass names to run only the matching files: `npm run bench -- raft`.
// It builds first (the start-up and sweep benches run the compiled CLI) and runs under tsx
// with our packages resolved to their sources (--conditions=swarm-sim-source).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Bench, BenchRow } from "./bench-types.ts";

const root = resolve(import.meta.dirname, "..");
const filters = process.argv.slice(2);
const files: string[] = [];
const workspaces: string[] = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).workspaces;
for (const pkg of workspaces) {
  const dir = join(root, pkg, "bench");
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith(".bench.ts")) continue;
    const path = join(dir, f);
    if (filters.length === 0 || filters.some((x) => path.includes(x))) files.push(path);
  }
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString("en-US");
  return n.toPrecision(4);
}

let missed = 0;
for (const file of files) {
  const mod = (await import(pathToFileURL(file).href)) as { bench: Bench };
  console.log(`\n## ${file.slice(root.length + 1)}`);
  const rows: BenchRow[] = await mod.bench();
  for (const r of rows) {
    let line = `${r.name}: ${fmt(r.value)} ${r.unit}`;
    if (r.baseline) line += ` | baseline ${r.baseline.name}: ${fmt(r.baseline.value)} ${r.baseline.unit}`;
    if (r.ratio !== undefined) line += ` | ratio ${r.ratio.toFixed(3)}`;
    if (r.target) line += ` | target ${r.target}: ${r.ok ? "met" : "MISSED"}`;
    if (r.target && !r.ok) missed++;
    console.log(line);
  }
}
console.log(missed === 0 ? "\nall targets met" : `\n${missed} target(s) missed`);
process.exit(missed === 0 ? 0 : 1);
