// Pacing of the live lab: DockerCoins (10 workers, rng global) on a 9-node swarm (node1 and
// eight docker:dind nodes), the clock following the wall clock at speed 1.
//   - lag: how far simulated time is behind the wall clock's "now" after each tick, p99
//     (target: within 100 ms);
//   - CPU: the process's CPU time while the lab runs at speed 1, less the CPU time of the same
//     process idle over an equal window measured just before (target: under 5 % of one core);
//   - the highest speed the setup sustains: speeds multiplied by 4 until the world falls behind (the
//     simulated time covered < 95 % of speed x wall time, or the pacer drops a backlog).
import { Lab, LiveSession, Pacer } from "@swarm-sim/swarmkit-sim";
import type { BenchRow } from "../../../scripts/bench-types";
import { labPlugins } from "../src/lab-plugins";

const WINDOW_MS = 5000;

function buildLab(): Lab {
  const lab = new Lab({ seed: 9, services: true, plugins: labPlugins() });
  const lines = [
    "docker swarm init",
    "TOKEN=$(docker swarm join-token -q worker)",
    "for i in 2 3 4 5 6 7 8 9; do docker run -d --privileged --name node$i docker:dind; done",
    "for i in 2 3 4 5 6 7 8 9; do docker exec node$i docker swarm join --token $TOKEN 192.168.1.10:2377; done",
    "git clone https://github.com/jpetazzo/container.training",
    "docker stack deploy -c container.training/stacks/dockercoins.yml dockercoins",
    "sleep 60",
  ];
  for (const l of lines) {
    const r = lab.run(l);
    if (r.exitCode !== 0) throw new Error(`bench setup: ${l}: ${r.stderr}`);
  }
  const ps = lab.run("docker service ls").stdout;
  if (!/dockercoins_worker\s+replicated\s+10\/10/.test(ps))
    throw new Error(`bench setup: workers not up:\n${ps}`);
  return lab;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms)); // wall-clock: a benchmark waits for real time
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function p99(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))];
}

/** Runs the pacer at `speed` for `ms` of wall time; returns the lags and how much simulated time passed. */
async function paced(session: LiveSession, speed: number, ms: number) {
  const lags: number[] = [];
  const pacer = new Pacer(session, { speed, afterTick: (lag) => lags.push(lag) });
  const sim0 = session.now;
  const t0 = performance.now(); // wall-clock: measuring real time
  pacer.start();
  await sleep(ms);
  pacer.stop();
  const wall = performance.now() - t0; // wall-clock: as above
  return { lags, simMs: session.now - sim0, wallMs: wall, dropped: pacer.dropped };
}

export async function bench(): Promise<BenchRow[]> {
  const lab = buildLab();
  const session = new LiveSession(lab);
  session.openTerminal({ mode: "lines", stdoutIsTerminal: false });

  // The idle baseline: this process doing nothing for the same window.
  const idle0 = cpuMs();
  await sleep(WINDOW_MS);
  const idleCpu = cpuMs() - idle0;

  const c0 = cpuMs();
  const one = await paced(session, 1, WINDOW_MS);
  const labCpu = cpuMs() - c0;
  const lagP99 = p99(one.lags);
  const share = (labCpu - idleCpu) / one.wallMs;

  let sustained = 1;
  for (let speed = 4; speed <= 4096; speed *= 4) {
    const r = await paced(session, speed, 2000);
    if (r.dropped > 0 || r.simMs < 0.95 * speed * r.wallMs) break;
    sustained = speed;
  }

  return [
    {
      name: "live lab at speed 1, 9-node swarm + DockerCoins (10 workers): simulated time behind the wall clock, p99",
      value: lagP99,
      unit: "ms",
      baseline: { name: "ticks", value: one.lags.length, unit: "ticks" },
      target: "p99 <= 100 ms",
      ok: lagP99 <= 100,
    },
    {
      name: "live lab at speed 1: CPU above an idle Node process (same run)",
      value: share * 100,
      unit: "% of one core",
      baseline: { name: "idle process CPU", value: (idleCpu / WINDOW_MS) * 100, unit: "% of one core" },
      ratio: labCpu / Math.max(idleCpu, 1e-9),
      target: "< 5 %",
      ok: share < 0.05,
    },
    {
      name: "highest speed sustained (same setup; speeds 4, 16, 64... until the world falls behind)",
      value: sustained,
      unit: "x wall clock",
    },
  ];
}
