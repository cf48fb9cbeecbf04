// The narrow contexts the docker handlers (src/docker/) get for a command typed in a lab shell:
// the daemon of the shell's node (its engine, on node1 its docker:dind containers, the images
// it pulled), the node inside a dind container for `docker exec`, and the control plane's view
// from that node. Built from the world; the handlers never see the Lab.
import { DockerCliError, type RunResult } from "../cli/io";
import type { Job } from "../cli/job";
import type {
  DaemonContext,
  DindContainerView,
  DindHost,
  ExecContext,
  ExecNode,
  ExecOptions,
} from "../docker/container/context";
import type { ComposeContext } from "../docker/compose/commands";
import { ComposeProjects } from "../docker/compose/projects";
import type { NetworkContext } from "../docker/network/local";
import type { DockerContexts } from "../docker/register";
import type { DindContainer } from "./dind";
import { type LabNode, newShell, type Shell, type ShellStack } from "./node";
import type { LabIO } from "./plugin";
import { dockerServiceOf } from "./commands/docker-service";
import { engineOf, type LabWorld } from "./world";

/** How `docker exec` runs something in a node's shell (the CLI host does it). */
export interface ShellRunner {
  lineJob(shell: Shell, line: string, input: { stdin: string; stdinIsTerminal: boolean }): Job<RunResult>;
  argvJob(
    shell: Shell,
    argv: readonly string[],
    input: { stdin: string; stdinIsTerminal: boolean },
  ): Job<RunResult>;
}

export function labContexts(world: LabWorld, runner: ShellRunner): DockerContexts<LabIO> {
  const dind: DindHost = {
    get containers() {
      return world.containers;
    },
    machineExists: (name) => world.sim.hasMachine(name),
    create: (name, opts) => world.createDind(name, opts),
    remove: (c) => world.removeContainer(c as DindContainer),
  };
  const containers = (shell: Shell): DaemonContext => {
    const node = shell.node;
    daemonUp(shell);
    return {
      sim: world.sim,
      engine: engineOf(node),
      dind: node.kind === "host" ? dind : undefined,
      pulled: world.pulledImages(node),
      newContainerName: () => world.newContainerName(node),
      notFoundHint: (ref) => (node.kind === "host" && ref === node.name ? NODE1_HINT : undefined),
    };
  };
  // `docker exec -it` pushes the new shell onto the prompt stack of the terminal it was typed in.
  const nodeOf =
    (from: Shell) =>
    (c: DindContainerView): ExecNode | undefined => {
      const m = c.machine;
      if (!m || !world.hasNode(m.name)) return undefined;
      return execNode(world.node(m.name), runner, from.stack ?? world.mainStack);
    };
  const projects = new ComposeProjects();
  return {
    swarm: (io) => {
      daemonUp(io.context);
      return world.swarmContext(io.context);
    },
    compose: (io): ComposeContext => ({
      engine: engineOf(io.context.node),
      files: io.context.node.files,
      cwd: io.context.cwd,
      builds: world.builds,
      ...daemonUp(io.context),
      projects,
    }),
    containers: (io) => containers(io.context),
    exec: (io): ExecContext => ({ ...containers(io.context), nodeOf: nodeOf(io.context) }),
    networks: (io): NetworkContext => ({ ...containers(io.context), swarm: world.swarmContext(io.context) }),
  };
}

/**
 * The CLI cannot reach a daemon that was stopped (node1's, after `sudo systemctl stop docker`):
 * every docker command says so, as Docker's CLI does. (A machine crashed by the simulation
 * itself, as an experiment crashes node1, keeps its shell's CLI working as before.)
 */
function daemonUp(shell: Shell): Record<string, never> {
  if (dockerServiceOf(shell.node) === "inactive")
    throw new DockerCliError(
      "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
      1,
    );
  return {};
}

/** What the lab says when node1 is named as a container (docker stop node1). */
const NODE1_HINT =
  "[lab] node1 is your own machine, not a container. To crash its Docker engine as on a real host: sudo systemctl stop docker\n" +
  "[lab] (its containers stop with it, the docker:dind nodes too; sudo systemctl start docker brings it back).\n" +
  "[lab] To watch a re-election, let another node lead first: promote two nodes (docker node promote node2 node3),\n" +
  "[lab] demote node1 (docker node demote node1), then stop the new leader's container and watch docker node ls on a manager.\n";

/** A node as `docker exec` reaches it: each process in a new shell with its own directory and variables. */
function execNode(node: LabNode, runner: ShellRunner, stack: ShellStack): ExecNode {
  const shellFor = (o: Pick<ExecOptions, "workdir" | "env">): Shell => {
    const sh = newShell(node, false);
    if (o.workdir) sh.cwd = node.files.resolve("/", o.workdir);
    for (const kv of o.env) {
      const i = kv.indexOf("=");
      if (i > 0) sh.vars.set(kv.slice(0, i), kv.slice(i + 1));
    }
    return sh;
  };
  return {
    runLine: (line, o) => runner.lineJob(shellFor(o), line, o),
    runArgv: (argv, o) => runner.argvJob(shellFor(o), argv, o),
    enterShell: (o) => stack.enter(node, shellFor(o)),
  };
}
