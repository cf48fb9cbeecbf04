// The node's shell: the ordinary Unix commands a lab user types on a machine (cd, pwd, ls, cat,
// git clone, hostname, exit), acting on the shell they run in, and the lab's `help`.
import { FILTERS } from "../../cli/filters/index";
import { tabwriter } from "../../cli/format/tabwriter";
import type { RunResult } from "../../cli/io";
import * as files from "../file-commands";
import type { CommandGroup, LabIO, LabPluginHost, LabShellCommand } from "../plugin";
import type { LabWorld } from "../world";

function emit(io: LabIO, r: RunResult | Omit<RunResult, "output">): number {
  io.out(r.stdout);
  io.err(r.stderr);
  return r.exitCode;
}

const GROUP_TITLES: Record<CommandGroup, string> = {
  time: "Time (each command also lets one step of simulated time pass, as a person types)",
  faults: "Network faults (and Docker's own: docker network disconnect|connect bridge NODE)",
  nodes: "Nodes (create one: docker run -d --privileged --name node2 docker:dind)",
  attacks: "Attacks (from a machine that never joined; each should be refused)",
  shell: "Shell",
  plugins: "From plugins",
};

/** The lab's help: every shell command by group, then the filters and where Docker's help is. */
export function helpText(commands: readonly LabShellCommand[]): string {
  let out = "swarm-sim lab: Docker Swarm on simulated machines. The prompt names the node you are on.\n";
  for (const group of Object.keys(GROUP_TITLES) as CommandGroup[]) {
    const cmds = commands.filter((c) => (c.group ?? "plugins") === group);
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

export function helpCommand(host: LabPluginHost): LabShellCommand {
  return {
    name: "help",
    group: "shell",
    synopsis: "help",
    description: "this list",
    run: (_argv, io) => {
      io.out(helpText(host.shellCommands()));
      return 0;
    },
  };
}

export function fileCommands(world: LabWorld): LabShellCommand[] {
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
      run: (argv, io, sh) => emit(io, files.git(sh, argv, world.repositories)),
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
  ];
}

export function exitCommand(): LabShellCommand {
  return {
    name: "exit",
    group: "shell",
    synopsis: "exit [N]",
    description: "leave this node's shell (or Ctrl-D); at node1, leave the lab",
    run: (argv, io, sh) => {
      // Without N, sh exits with the status of the last command, as `exit` after an error does.
      const code = argv[0] === undefined ? sh.lastStatus : Number(argv[0]);
      if (!Number.isInteger(code)) {
        io.err(`sh: exit: Illegal number: ${argv[0]}\n`);
        return 2;
      }
      sh.lastStatus = code & 0xff;
      if (sh.interactive && sh.stack && sh === sh.stack.current()) sh.stack.leave();
      return code & 0xff;
    },
  };
}
