// The lab's shell commands that are ordinary Unix commands on a machine: cd, pwd, ls, cat,
// git, hostname, date, ip, exit. They act on the shell they run in (its node, its directory).
import * as files from "./file-commands";
import type { Lab } from "./lab";
import type { BuiltinCommand } from "./lab-commands";
import type { LabNode, Shell } from "./node";
import type { LabIO } from "./plugin";
import type { RunResult } from "./types";

function emit(io: LabIO, r: RunResult): number {
  io.out(r.stdout);
  io.err(r.stderr);
  return r.exitCode;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `date` as coreutils prints it in UTC: "Thu Jan  1 00:00:05 UTC 2026". */
export function formatDate(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${pad(
    d.getUTCHours(),
  )}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** The prefix length `ip addr` shows for an address the lab did not record one for. */
function guessPrefix(address: string): number {
  if (address.startsWith("192.168.")) return 24;
  if (/^172\.(1[6-9]|2\d|3[01])\./.test(address)) return 16;
  if (address.startsWith("10.")) return 8;
  return 24;
}

function ipAddr(lab: Lab, node: LabNode, argv: readonly string[], io: LabIO): number {
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
        const prefix = lab.addressPrefix(i.address) ?? guessPrefix(i.address);
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
      const owner = lab.sim.machineAt(address);
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
      lab.sim.assignAddress(m.name, address, dev);
      lab.recordPrefix(address, prefix);
      return 0;
    }
    if (!m.interfaces.some((i) => i.address === address && i.name === dev)) {
      io.err("RTNETLINK answers: Cannot assign requested address\n");
      return 2;
    }
    lab.sim.releaseAddress(address);
    return 0;
  }
  io.err(`Command "${verb}" is unknown, try "ip address help".\n`);
  return 1;
}

export function shellCommands(lab: Lab): BuiltinCommand[] {
  return [
    {
      name: "cd",
      group: "shell",
      synopsis: "cd [DIR]",
      description: "change the current directory",
      run: (argv, io, sh) => emit(io, files.cd(sh, argv)),
    },
    {
      name: "pwd",
      group: "shell",
      synopsis: "pwd",
      description: "print the current directory",
      run: (_argv, io, sh) => emit(io, files.pwd(sh)),
    },
    {
      name: "ls",
      group: "shell",
      synopsis: "ls [-a] [-l] [PATH...]",
      description: "list files",
      run: (argv, io, sh) => emit(io, files.ls(sh, argv)),
    },
    {
      name: "cat",
      group: "shell",
      synopsis: "cat [FILE...]",
      description: "print files (or what the pipe gives it)",
      run: (argv, io, sh) => emit(io, files.cat(sh, argv, io.stdin)),
    },
    {
      name: "git",
      group: "shell",
      synopsis: "git clone URL [DIR]",
      description: "clone a repository that a lab plugin provides",
      run: (argv, io, sh) => emit(io, files.git(sh, argv, lab.repositories)),
    },
    {
      name: "hostname",
      group: "shell",
      synopsis: "hostname [-i]",
      description: "the node's name (-i: its addresses)",
      run: (argv, io, sh) => {
        io.out(argv[0] === "-i" ? `${sh.node.machine.addresses.join(" ")}\n` : `${sh.node.name}\n`);
        return 0;
      },
    },
    {
      name: "date",
      group: "time",
      synopsis: "date",
      description: "the simulated date and time on this node",
      run: (_argv, io, sh: Shell) => {
        io.out(`${formatDate(lab.sim.epochMs + sh.node.machine.localNow())}\n`);
        return 0;
      },
    },
    {
      name: "ip",
      group: "nodes",
      synopsis: "ip addr [add|del ADDR/N dev IFACE]",
      description: "show or change the node's addresses (two: swarm init must be told which)",
      run: (argv, io, sh) => ipAddr(lab, sh.node, argv, io),
    },
    {
      name: "exit",
      group: "shell",
      synopsis: "exit [N]",
      description: "leave this node's shell (or Ctrl-D); at node1, leave the lab",
      run: (argv, io, sh) => {
        // Without N, sh exits with the status of the last command, as `exit` after an error does.
        const code = argv[0] === undefined ? io.cli.lastExitCode : Number(argv[0]);
        if (!Number.isInteger(code)) {
          io.err(`sh: exit: Illegal number: ${argv[0]}\n`);
          return 2;
        }
        if (sh.interactive && sh === lab.currentShell()) lab.leaveShell();
        return code & 0xff;
      },
    },
  ];
}
