// The bin's start-up: `swarm-sim --help` against `node -e 0`, each a fresh process, interleaved
// so that both see the same machine, in the same run. Target: within 4x. The CLI is compiled
// JavaScript (npm run bench builds first) and imports a command's code only when it runs.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import type { BenchRow } from "../../../scripts/bench-types";

const BIN = resolve(import.meta.dirname, "../bin/swarm-sim.mjs");
const ROUNDS = 21;

function wallMs(args: string[]): number {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const t0 = performance.now(); // wall-clock: benchmark
  const r = spawnSync(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const ms = performance.now() - t0; // wall-clock: benchmark
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function bench(): BenchRow[] {
  wallMs([BIN, "--help"]); // warm the file system cache
  const node: number[] = [];
  const help: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    node.push(wallMs(["-e", "0"]));
    help.push(wallMs([BIN, "--help"]));
  }
  const ratio = median(help) / median(node);
  return [
    {
      name: "swarm-sim --help start-up (median)",
      value: median(help),
      unit: "ms",
      baseline: { name: "node -e 0 (median)", value: median(node), unit: "ms" },
      ratio,
      target: "ratio <= 4",
      ok: ratio <= 4,
    },
  ];
}
