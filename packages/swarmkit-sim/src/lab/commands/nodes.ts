// What the lab looks like: `nodes` (machines, states, addresses, swarm roles), a node's
// addresses (`ip addr`, also to add one: swarm init must then be told which to advertise), and
// `top` (one batch frame of the node's processes, from its engine's meters).
import { tabwriter } from "../../cli/format/tabwriter";
import { Interrupt, type Job, redrawAfter } from "../../cli/job";
import type { Engine } from "../../engine/engine";
import type { LabNode } from "../node";
import type { LabIO, LabShellCommand } from "../plugin";
import { engineOf, type LabWorld } from "../world";
import { topFrame } from "./top";
import { simClock } from "./usage";

/** The prefix length `ip addr` shows for an address the lab did not record one for. */
function guessPrefix(address: string): number {
  if (address.startsWith("192.168.")) return 24;
  if (/^172\.(1[6-9]|2\d|3[01])\./.test(address)) return 16;
  if (address.startsWith("10.")) return 8;
  return 24;
}

function ipAddr(world: LabWorld, node: LabNode, argv: readonly string[], io: LabIO): number {
  const obj = argv[0];
  if (obj === undefined || !["addr", "address", "a"].includes(obj)) {
    io.err(
      obj === undefined
        ? "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n[lab] only `ip addr` (show, add, del) is simulated.\n"
        : `Object "${obj}" is unknown, try "ip help".\n`,
    );
    return obj === undefined ? 255 : 1;
  }
  const verb = argv[1] ?? "show";
  const m = node.machine;
  if (verb === "show" || verb === "list" || verb === "ls") {
    let out = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN qlen 1000\n";
    out += "    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n";
    const names = [...new Set(m.interfaces.map((i) => i.name))];
    names.forEach((name, k) => {
      out += `${k + 2}: ${name}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP\n`;
      for (const i of m.interfaces.filter((x) => x.name === name)) {
        const prefix = world.addressPrefix(i.address) ?? guessPrefix(i.address);
        out += `    inet ${i.address}/${prefix} scope global ${name}\n       valid_lft forever preferred_lft forever\n`;
      }
    });
    io.out(out);
    return 0;
  }
  if (verb === "add" || verb === "del" || verb === "delete") {
    const cidr = argv[2];
    const devAt = argv.indexOf("dev");
    const dev = devAt >= 0 ? argv[devAt + 1] : undefined;
    const match = cidr ? /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?$/.exec(cidr) : null;
    if (!match || !dev) {
      io.err('Not enough information: "dev" argument is required.\n');
      return 255;
    }
    const address = match[1];
    const prefix = match[2] === undefined ? 32 : Number(match[2]);
    if (verb === "add") {
      const owner = world.sim.machineAt(address);
      if (owner === m) {
        io.err("RTNETLINK answers: File exists\n");
        return 2;
      }
      if (owner) {
        io.err(
          `[lab] ${address} already belongs to ${owner.name}: the simulated network routes by address, so addresses must be unique.\n`,
        );
        return 2;
      }
      world.sim.assignAddress(m.name, address, dev);
      world.recordPrefix(address, prefix);
      return 0;
    }
    if (!m.interfaces.some((i) => i.address === address && i.name === dev)) {
      io.err("RTNETLINK answers: Cannot assign requested address\n");
      return 2;
    }
    world.sim.releaseAddress(address);
    return 0;
  }
  io.err(`Command "${verb}" is unknown, try "ip address help".\n`);
  return 1;
}

export function nodeCommands(world: LabWorld): LabShellCommand[] {
  return [
    {
      name: "nodes",
      group: "nodes",
      synopsis: "nodes",
      description: "the lab's machines: state, addresses, swarm role",
      run: (_argv, io) => {
        const rows = [["NODE", "STATE", "ADDRESSES", "SWARM"]];
        for (const name of world.nodeNames()) {
          const n = world.node(name);
          const addrs = n.machine.interfaces.map((i) => `${i.address} (${i.name})`).join(", ") || "-";
          rows.push([name, n.machine.state, addrs, world.swarmSummary(n)]);
        }
        io.out(tabwriter(rows));
        io.out(`simulated time ${simClock(world.sim.now())}\n`);
        return 0;
      },
    },
  ];
}

/** `ip addr`, listed with the node commands but registered among the shell's (help's order). */
export function ipCommand(world: LabWorld): LabShellCommand {
  return {
    name: "ip",
    group: "nodes",
    synopsis: "ip addr [add|del ADDR/N dev IFACE]",
    description: "show or change the node's addresses (two: swarm init must be told which)",
    run: (argv, io, sh) => ipAddr(world, sh.node, argv, io),
  };
}

/** top's default delay between frames. */
const TOP_DELAY_MS = 3000;

/**
 * `top` on the node the shell is on: on a terminal (a live lab) it redraws every 3 s until q
 * or Ctrl-C, as top does; elsewhere (a transcript, a pipe) one frame, as `top -b -n 1` prints it.
 */
export function topCommand(): LabShellCommand {
  return {
    name: "top",
    group: "nodes",
    synopsis: "top",
    description: "the node's CPU, memory and processes (q or Ctrl-C quits; a transcript shows one frame)",
    run: (_argv, io, sh) => {
      const engine = engineOf(sh.node);
      if (!engine) {
        io.err(`[lab] ${sh.node.name} has no Docker engine\n`);
        return 1;
      }
      if (!io.stdoutIsTerminal) {
        io.out(topFrame(engine));
        return 0;
      }
      return liveTop(io, engine);
    },
  };
}

/** top on a terminal: a frame every 3 s; q or Ctrl-C ends it (status 0, as top exits). */
function* liveTop(io: LabIO, engine: Engine): Job<number> {
  try {
    for (;;) {
      io.out(`\x1b[H\x1b[2J${topFrame(engine)}`);
      yield* redrawAfter(TOP_DELAY_MS, "q");
    }
  } catch (e) {
    if (!(e instanceof Interrupt)) throw e;
    return 0;
  }
}
