// The lab's own commands: time (sleep, advance), finer network faults than Docker offers
// (partition, cut, latency, loss, heal), what the lab looks like (nodes, faults) and help. A
// command that rejects its arguments changes nothing.
import { tabwriter } from "../cli/format/tabwriter";
import { FILTERS } from "../cli/filters/index";
import { formatGoDuration } from "../cli/format/duration";
import { parseSleepDuration } from "../cli/grammar/go-values";
import type { Lab } from "./lab";
import type { LabShellCommand } from "./plugin";

export type CommandGroup = "time" | "faults" | "nodes" | "shell" | "plugins";

export interface BuiltinCommand extends LabShellCommand {
  group: CommandGroup;
}

const GROUP_TITLES: Record<CommandGroup, string> = {
  time: "Time (each command also lets one step of simulated time pass, as a person types)",
  faults: "Network faults (and Docker's own: docker network disconnect|connect bridge NODE)",
  nodes: "Nodes (create one: docker run -d --privileged --name node2 docker:dind)",
  shell: "Shell",
  plugins: "From plugins",
};

/** "[lab] 00:03:12" style clock: simulated time since the lab started. */
export function simClock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hh = String(Math.floor(s / 3600)).padStart(2, "0");
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return `${hh}:${mm}:${ss}`;
}

function usage(io: { err(t: string): void }, cmd: LabShellCommand): number {
  io.err(`usage: ${cmd.synopsis}\n`);
  return 2;
}

/** Checks that every name is a lab machine; returns an error message otherwise. */
function unknownNode(lab: Lab, names: readonly string[]): string | undefined {
  const bad = names.find((n) => !lab.sim.hasMachine(n));
  return bad === undefined ? undefined : `no such node: ${bad} (nodes: ${lab.sim.machineNames().join(", ")})`;
}

/** Where a link setting applies, in words. */
function where(nodes: readonly string[]): string {
  if (nodes.length === 0) return "on every link";
  if (nodes.length === 1) return `on every link of ${nodes[0]}`;
  return `between ${nodes[0]} and ${nodes[1]}`;
}

/** "20%" or "0.2" as a probability in [0, 1]. */
function parseLoss(text: string): number | undefined {
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
  const v = pct ? Number(pct[1]) / 100 : /^(0(?:\.\d+)?|1(?:\.0+)?)$/.test(text) ? Number(text) : Number.NaN;
  return Number.isFinite(v) && v >= 0 && v <= 1 ? v : undefined;
}

/** A latency such as "50ms" or "0.2s" (a unit is required: "50" is ambiguous). */
function parseLatency(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return undefined;
  return parseSleepDuration(text);
}

export function labCommands(lab: Lab): BuiltinCommand[] {
  const sleep: BuiltinCommand = {
    name: "sleep",
    group: "time",
    synopsis: "sleep N[s|m|h|d]...",
    description: "wait N seconds of simulated time (sleep 30, sleep 2m)",
    run: (argv, io, sh) => {
      if (argv.length === 0) {
        io.err(
          sh.busybox
            ? "BusyBox v1.37.0 multi-call binary.\n\nUsage: sleep [N]...\n"
            : "sleep: missing operand\nTry 'sleep --help' for more information.\n",
        );
        return 1;
      }
      let total = 0;
      for (const a of argv) {
        const ms = parseSleepDuration(a);
        if (ms === undefined) {
          io.err(
            sh.busybox
              ? `sleep: invalid number '${a}'\n`
              : `sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`,
          );
          return 1;
        }
        total += ms;
      }
      lab.advance(total);
      return 0;
    },
  };
  const advance: BuiltinCommand = {
    name: "advance",
    group: "time",
    synopsis: "advance DURATION",
    description: "let time pass and print the clock (advance 1h30m)",
    run: (argv, io) => {
      const ms = argv.length === 1 ? parseSleepDuration(argv[0]) : undefined;
      if (ms === undefined) return usage(io, advance);
      lab.advance(ms);
      io.out(`[lab] advanced ${formatGoDuration(ms)}; simulated time is now ${simClock(lab.sim.now())}\n`);
      return 0;
    },
  };
  const partition: BuiltinCommand = {
    name: "partition",
    group: "faults",
    synopsis: "partition A,B C ...",
    description: "split nodes into groups that cannot talk (the rest: one more group)",
    run: (argv, io) => {
      if (argv.length === 0) return usage(io, partition);
      const groups = argv.map((g) => g.split(",").filter((x) => x !== ""));
      const named = groups.flat();
      const err = unknownNode(lab, named);
      if (err) {
        io.err(`partition: ${err}\n`);
        return 1;
      }
      if (new Set(named).size !== named.length) {
        io.err("partition: a node may be in one group only\n");
        return 1;
      }
      const rest = lab.sim.machineNames().filter((n) => !named.includes(n));
      if (rest.length > 0) groups.push(rest);
      lab.faults.partition(groups);
      io.out(`[lab] partitioned: ${groups.map((g) => g.join(" ")).join(" | ")}\n`);
      return 0;
    },
  };
  // Not "cut": that name is the text filter (cut -d: -f1).
  const block: BuiltinCommand = {
    name: "block",
    group: "faults",
    synopsis: "block FROM TO",
    description: "one-way cut: FROM's messages no longer reach TO",
    run: (argv, io) => {
      if (argv.length !== 2 || argv[0] === argv[1]) return usage(io, block);
      const err = unknownNode(lab, argv);
      if (err) {
        io.err(`block: ${err}\n`);
        return 1;
      }
      lab.faults.cut(argv[0], argv[1]);
      io.out(`[lab] cut: ${argv[0]} -> ${argv[1]} dropped\n`);
      return 0;
    },
  };
  const latency: BuiltinCommand = {
    name: "latency",
    group: "faults",
    synopsis: "latency DELAY [JITTER] [NODE [NODE]]",
    description: "delay messages: all links, a node's, or between two",
    run: (argv, io) => {
      const ms = argv[0] === undefined ? undefined : parseLatency(argv[0]);
      if (ms === undefined) return usage(io, latency);
      let rest = argv.slice(1);
      let jitter = 0;
      const j = rest[0] === undefined ? undefined : parseLatency(rest[0]);
      if (j !== undefined) {
        jitter = j;
        rest = rest.slice(1);
      }
      if (rest.length > 2) return usage(io, latency);
      const err = unknownNode(lab, rest);
      if (err) {
        io.err(`latency: ${err}\n`);
        return 1;
      }
      lab.links.setLatency({ ms, jitterMs: jitter }, rest[0], rest[1]);
      io.out(`[lab] latency ${ms}ms${jitter > 0 ? ` ±${jitter}ms` : ""} ${where(rest)}\n`);
      return 0;
    },
  };
  const loss: BuiltinCommand = {
    name: "loss",
    group: "faults",
    synopsis: "loss PERCENT [NODE [NODE]]",
    description: "drop messages: all links, a node's, or between two",
    run: (argv, io) => {
      const p = argv[0] === undefined ? undefined : parseLoss(argv[0]);
      if (p === undefined || argv.length > 3) return usage(io, loss);
      const nodes = argv.slice(1);
      const err = unknownNode(lab, nodes);
      if (err) {
        io.err(`loss: ${err}\n`);
        return 1;
      }
      lab.links.setLoss(p, nodes[0], nodes[1]);
      io.out(`[lab] loss ${Math.round(p * 10000) / 100}% ${where(nodes)}\n`);
      return 0;
    },
  };
  const heal: BuiltinCommand = {
    name: "heal",
    group: "faults",
    synopsis: "heal",
    description: "undo partition, block, latency and loss",
    run: (argv, io) => {
      if (argv.length > 0) return usage(io, heal);
      lab.faults.heal();
      io.out("[lab] network healed\n");
      return 0;
    },
  };
  const faults: BuiltinCommand = {
    name: "faults",
    group: "faults",
    synopsis: "faults",
    description: "list the faults in force, and stopped or paused nodes",
    run: (_argv, io) => {
      const lines = lab.faults.describe();
      io.out(lines.length === 0 ? "[lab] no faults\n" : lines.map((l) => `${l}\n`).join(""));
      return 0;
    },
  };
  const nodes: BuiltinCommand = {
    name: "nodes",
    group: "nodes",
    synopsis: "nodes",
    description: "the lab's machines: state, addresses, swarm role",
    run: (_argv, io) => {
      const rows = [["NODE", "STATE", "ADDRESSES", "SWARM"]];
      for (const name of lab.nodeNames()) {
        const n = lab.node(name);
        const addrs = n.machine.interfaces.map((i) => `${i.address} (${i.name})`).join(", ") || "-";
        rows.push([name, n.machine.state, addrs, lab.swarmSummary(n)]);
      }
      io.out(tabwriter(rows));
      io.out(`simulated time ${simClock(lab.sim.now())}\n`);
      return 0;
    },
  };
  const help: BuiltinCommand = {
    name: "help",
    group: "shell",
    synopsis: "help",
    description: "this list",
    run: (_argv, io) => {
      io.out(helpText(lab));
      return 0;
    },
  };
  return [sleep, advance, partition, block, latency, loss, heal, faults, nodes, help];
}

/** The lab's help: its commands by group, then the filters and where Docker's help is. */
export function helpText(lab: Lab): string {
  const all = lab.builtinCommands();
  const plugin = lab.pluginShellCommands().map((c) => ({ ...c, group: "plugins" as CommandGroup }));
  let out = "swarm-sim lab: Docker Swarm on simulated machines. The prompt names the node you are on.\n";
  for (const group of Object.keys(GROUP_TITLES) as CommandGroup[]) {
    const cmds = [...all, ...plugin].filter((c) => c.group === group);
    if (cmds.length === 0) continue;
    out += `\n${GROUP_TITLES[group]}:\n`;
    out += tabwriter(
      cmds.map((c) => [`  ${c.synopsis}`, c.description]),
      { minwidth: 0, padding: 3 },
    );
  }
  out += `\nFilters for pipes (docker info | grep Swarm): ${Object.keys(FILTERS).join(", ")}\n`;
  out +=
    "\nDocker: docker run -d --privileged --name node2 docker:dind, docker exec -it node2 sh, docker ps,\n" +
    "  docker stop|start|restart|kill|pause|unpause NODE, docker swarm ..., docker node ..., docker info.\n" +
    "  Run 'docker --help' for the full list.\n";
  return out;
}
