// `top` on the machine, as procps-ng prints one batch frame (`top -b -n 1`): uptime, load
// averages, task counts, the CPU split, memory, then processes sorted by %CPU. Container
// processes come from the engine's meters; the operating system and the daemons add a
// small steady background, so a machine running DockerCoins shows mostly idle CPU.
import type { Container } from "../../engine/container";
import type { Engine } from "../../engine/engine";

const KiB = 1024;
const MiB = 1024 * 1024;

interface Proc {
  pid: number;
  user: string;
  virtKiB: number;
  resKiB: number;
  shrKiB: number;
  state: "R" | "S";
  cpu: number;
  mem: number;
  timeSec: number;
  command: string;
}

/** The process name `top` shows for a container's main process. */
export function processName(c: Container): string {
  const args = c.config.args;
  let first = args[0] ?? c.image;
  if (first.endsWith(".sh") && args.length > 1) first = args[1];
  return first.split("/").pop() ?? first;
}

/** top's TIME+ column: minutes:seconds.hundredths. */
export function timePlus(seconds: number): string {
  const hundredths = Math.floor(seconds * 100);
  const m = Math.floor(hundredths / 6000);
  const s = Math.floor((hundredths % 6000) / 100);
  const h = hundredths % 100;
  return `${m}:${String(s).padStart(2, "0")}.${String(h).padStart(2, "0")}`;
}

/** The uptime part of top's first line: "up 10 min", "up  1:05", "up 2 days,  3:04". */
export function uptimeText(ms: number): string {
  const totalMin = Math.floor(ms / 60_000);
  const days = Math.floor(totalMin / 1440);
  const hours = Math.floor((totalMin % 1440) / 60);
  const mins = totalMin % 60;
  let s = "up ";
  if (days > 0) s += `${days} day${days > 1 ? "s" : ""}, `;
  if (hours > 0) s += `${String(hours).padStart(2, " ")}:${String(mins).padStart(2, "0")}`;
  else s += `${mins} min`;
  return s;
}

function hostProcesses(engine: Engine, uptimeSec: number): Proc[] {
  const share = engine.hostCpu.idleCpu;
  const p = (pid: number, resMiB: number, cpuShare: number, command: string): Proc => ({
    pid,
    user: "root",
    virtKiB: Math.round(resMiB * 1024 * 6.5),
    resKiB: Math.round(resMiB * 1024),
    shrKiB: Math.round(resMiB * 1024 * 0.55),
    state: "S",
    cpu: cpuShare * 100,
    mem: ((resMiB * MiB) / engine.memoryBytes) * 100,
    timeSec: cpuShare * uptimeSec,
    command,
  });
  return [
    p(1, 12.1, share * 0.05, "systemd"),
    p(402, 9.8, share * 0.05, "systemd-journal"),
    p(640, 46.3, share * 0.25, "containerd"),
    p(812, 82.7, share * 0.55, "dockerd"),
    p(1017, 7.9, share * 0.05, "sshd"),
    p(1203, 5.2, 0, "bash"),
  ];
}

function containerProcesses(engine: Engine): Proc[] {
  const out: Proc[] = [];
  for (const c of engine.containers()) {
    const m = c.meter;
    out.push({
      pid: c.hostPid - 1,
      user: "root",
      virtKiB: 1_238_000,
      resKiB: 13_400,
      shrKiB: 9_900,
      state: "S",
      cpu: 0,
      mem: ((13_400 * KiB) / engine.memoryBytes) * 100,
      timeSec: 0.01,
      command: "containerd-shim",
    });
    const cpu = c.state === "paused" ? 0 : m.cpuPercent();
    out.push({
      pid: c.hostPid,
      user: processName(c) === "redis-server" ? "999" : "root",
      virtKiB: Math.round((m.memoryBytes / KiB) * 4.3),
      resKiB: Math.round(m.memoryBytes / KiB),
      shrKiB: Math.round((m.memoryBytes / KiB) * 0.38),
      state: cpu >= 50 ? "R" : "S",
      cpu,
      mem: (m.memoryBytes / engine.memoryBytes) * 100,
      timeSec: m.cpuSeconds,
      command: processName(c),
    });
  }
  return out;
}

function fix1(x: number, width: number): string {
  return x.toFixed(1).padStart(width);
}

/** One frame of `top` (batch mode) on the engine's machine. */
export function topFrame(engine: Engine, opts: { maxProcesses?: number; users?: number } = {}): string {
  const sim = engine.sim;
  const uptimeMs = sim.now();
  const wall = new Date(engine.wallNow());
  const clock = [wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds()]
    .map((n) => String(n).padStart(2, "0"))
    .join(":");
  const containersIdle = engine.containersIdleCpu();
  const [l1, l5, l15] = engine.hostCpu.loadAverages(containersIdle);
  const users = opts.users ?? 1;
  const procs = [...hostProcesses(engine, uptimeMs / 1000), ...containerProcesses(engine)];
  const running = procs.filter((p) => p.state === "R").length + 1; // top itself
  const total = 96 + procs.length;
  const busy = engine.hostCpu.utilization(containersIdle) * 100;
  const us = busy * 0.68;
  const sy = busy * 0.27;
  const si = busy * 0.05;
  const id = Math.max(0, 100 - us - sy - si);
  const totalMiB = engine.memoryBytes / MiB;
  let containerMem = 0;
  for (const c of engine.containers()) containerMem += c.meter.memoryBytes + 13_400 * KiB;
  const usedMiB = (engine.hostMemoryBytes + containerMem) / MiB;
  const cacheMiB = totalMiB * 0.11;
  const freeMiB = Math.max(0, totalMiB - usedMiB - cacheMiB);
  const availMiB = freeMiB + cacheMiB * 0.85;

  const lines: string[] = [];
  lines.push(
    `top - ${clock} ${uptimeText(uptimeMs)},  ${users} user${users === 1 ? "" : "s"},  load average: ${l1.toFixed(2)}, ${l5.toFixed(2)}, ${l15.toFixed(2)}`,
  );
  lines.push(
    `Tasks: ${String(total).padStart(3)} total, ${String(running).padStart(3)} running, ${String(total - running).padStart(3)} sleeping,   0 stopped,   0 zombie`,
  );
  lines.push(
    `%Cpu(s):${fix1(us, 5)} us,${fix1(sy, 5)} sy,${fix1(0, 5)} ni,${fix1(id, 5)} id,${fix1(0, 5)} wa,${fix1(0, 5)} hi,${fix1(si, 5)} si,${fix1(0, 5)} st`,
  );
  lines.push(
    `MiB Mem : ${fix1(totalMiB, 8)} total, ${fix1(freeMiB, 8)} free, ${fix1(usedMiB, 8)} used, ${fix1(cacheMiB, 8)} buff/cache`,
  );
  lines.push(
    `MiB Swap: ${fix1(0, 8)} total, ${fix1(0, 8)} free, ${fix1(0, 8)} used. ${fix1(availMiB, 8)} avail Mem`,
  );
  lines.push("");
  lines.push("    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND");
  procs.sort((a, b) => b.cpu - a.cpu || a.pid - b.pid);
  for (const p of procs.slice(0, opts.maxProcesses ?? procs.length)) {
    lines.push(
      `${String(p.pid).padStart(7)} ${p.user.padEnd(8)}  20   0 ${String(p.virtKiB).padStart(7)} ${String(p.resKiB).padStart(6)} ${String(p.shrKiB).padStart(6)} ${p.state} ${fix1(p.cpu, 5)} ${fix1(p.mem, 5)} ${timePlus(p.timeSec).padStart(9)} ${p.command}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
