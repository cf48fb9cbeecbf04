// Finer network faults than Docker offers: partition, block (a one-way cut), latency, loss,
// heal, and `faults` to list what is in force. A command that rejects its arguments changes
// nothing. (Docker's own: docker network disconnect|connect bridge NODE.)
import { parseSleepDuration } from "../../cli/grammar/go-values";
import type { LabShellCommand } from "../plugin";
import type { LabWorld } from "../world";
import { usage } from "./usage";

/** Checks that every name is a lab machine; returns an error message otherwise. */
function unknownNode(world: LabWorld, names: readonly string[]): string | undefined {
  const bad = names.find((n) => !world.sim.hasMachine(n));
  return bad === undefined
    ? undefined
    : `no such node: ${bad} (nodes: ${world.sim.machineNames().join(", ")})`;
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

export function faultCommands(world: LabWorld): LabShellCommand[] {
  const partition: LabShellCommand = {
    name: "partition",
    group: "faults",
    synopsis: "partition A,B C ...",
    description: "split nodes into groups that cannot talk (the rest: one more group)",
    run: (argv, io) => {
      if (argv.length === 0) return usage(io, partition);
      const groups = argv.map((g) => g.split(",").filter((x) => x !== ""));
      const named = groups.flat();
      const err = unknownNode(world, named);
      if (err) {
        io.err(`partition: ${err}\n`);
        return 1;
      }
      if (new Set(named).size !== named.length) {
        io.err("partition: a node may be in one group only\n");
        return 1;
      }
      const rest = world.sim.machineNames().filter((n) => !named.includes(n));
      if (rest.length > 0) groups.push(rest);
      world.faults.partition(groups);
      io.out(`[lab] partitioned: ${groups.map((g) => g.join(" ")).join(" | ")}\n`);
      return 0;
    },
  };
  // Not "cut": that name is the text filter (cut -d: -f1).
  const block: LabShellCommand = {
    name: "block",
    group: "faults",
    synopsis: "block FROM TO",
    description: "one-way cut: FROM's messages no longer reach TO",
    run: (argv, io) => {
      if (argv.length !== 2 || argv[0] === argv[1]) return usage(io, block);
      const err = unknownNode(world, argv);
      if (err) {
        io.err(`block: ${err}\n`);
        return 1;
      }
      world.faults.cut(argv[0], argv[1]);
      io.out(`[lab] cut: ${argv[0]} -> ${argv[1]} dropped\n`);
      return 0;
    },
  };
  const latency: LabShellCommand = {
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
      const err = unknownNode(world, rest);
      if (err) {
        io.err(`latency: ${err}\n`);
        return 1;
      }
      world.links.setLatency({ ms, jitterMs: jitter }, rest[0], rest[1]);
      io.out(`[lab] latency ${ms}ms${jitter > 0 ? ` ±${jitter}ms` : ""} ${where(rest)}\n`);
      return 0;
    },
  };
  const loss: LabShellCommand = {
    name: "loss",
    group: "faults",
    synopsis: "loss PERCENT [NODE [NODE]]",
    description: "drop messages: all links, a node's, or between two",
    run: (argv, io) => {
      const p = argv[0] === undefined ? undefined : parseLoss(argv[0]);
      if (p === undefined || argv.length > 3) return usage(io, loss);
      const nodes = argv.slice(1);
      const err = unknownNode(world, nodes);
      if (err) {
        io.err(`loss: ${err}\n`);
        return 1;
      }
      world.links.setLoss(p, nodes[0], nodes[1]);
      io.out(`[lab] loss ${Math.round(p * 10000) / 100}% ${where(nodes)}\n`);
      return 0;
    },
  };
  const heal: LabShellCommand = {
    name: "heal",
    group: "faults",
    synopsis: "heal",
    description: "undo partition, block, latency and loss",
    run: (argv, io) => {
      if (argv.length > 0) return usage(io, heal);
      world.faults.heal();
      io.out("[lab] network healed\n");
      return 0;
    },
  };
  const faults: LabShellCommand = {
    name: "faults",
    group: "faults",
    synopsis: "faults",
    description: "list the faults in force, and stopped or paused nodes",
    run: (_argv, io) => {
      const lines = world.faults.describe();
      io.out(lines.length === 0 ? "[lab] no faults\n" : lines.map((l) => `${l}\n`).join(""));
      return 0;
    },
  };
  return [partition, block, latency, loss, heal, faults];
}
