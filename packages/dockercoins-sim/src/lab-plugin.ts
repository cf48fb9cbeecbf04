// DockerCoins in the lab: `lab.use(dockercoinsPlugin())` brings what the lecture's DockerCoins
// part needs. Every node's engine can run the application's images (dockercoins/*:v0.1,
// redis, bretfisher/httping); `git clone https://github.com/jpetazzo/container.training`
// gives the dockercoins/ folder with its compose file; `docker compose` / `docker-compose`
// up [-d] [--scale], ps, logs [--tail N] [--follow], stop, down and scale run it on the node
// the shell is on; `^C` interrupts an attached `up`; `docker stats` and `top` show the
// containers' simulated CPU and memory; `docker run --rm --network host bretfisher/httping`
// is the lab's own `docker run` with the httping image. `docker stack deploy -c FILE` reads
// FILE from the lab's files, so the same compose file deploys on the swarm.
import type { LabPlugin, LabPluginHost, Shell } from "@swarm-sim/swarmkit-sim";
import { engineOf } from "@swarm-sim/swarmkit-sim";
import { type HandlerIO, composeHandlers, statsHandler, topCommand } from "./cli-handlers";
import { type DockerCoinsImageOptions, dockerCoinsImages } from "./images";
import { Foregrounds } from "./lab/foreground";
import { LabProjects } from "./lab/projects";
import { installLabStackFileReader } from "./lab/stack-files";
import { CONTAINER_TRAINING_URL, containerTrainingFiles } from "./repository";
import { dockerStatsNoStream } from "./tools/stats";

export const DOCKERCOINS_PLUGIN_NAME = "dockercoins";

export type DockerCoinsPluginOptions = DockerCoinsImageOptions;

/** The shell a lab handler runs in (its IO's context). */
function shellOf(io: HandlerIO): Shell {
  return (io as unknown as { context: Shell }).context;
}

function envOf(io: HandlerIO): Readonly<Record<string, string>> {
  return (io as unknown as { env?: Record<string, string> }).env ?? {};
}

function engineFor(io: HandlerIO) {
  const shell = shellOf(io);
  const engine = engineOf(shell.node);
  if (!engine) throw new Error(`[lab] ${shell.node.name} has no Docker engine`);
  return engine;
}

export function dockercoinsPlugin(opts: DockerCoinsPluginOptions = {}): LabPlugin {
  return {
    name: DOCKERCOINS_PLUGIN_NAME,
    install(host: LabPluginHost): void {
      for (const spec of dockerCoinsImages(opts)) host.registerImage(spec);
      host.addRepository(CONTAINER_TRAINING_URL, containerTrainingFiles());
      installLabStackFileReader();

      const projects = new LabProjects();
      const foregrounds = new Foregrounds();
      const handlers = composeHandlers({
        project: (io, cmd) => projects.find(shellOf(io), cmd, envOf(io)),
        onFollow: (follow, io, kind, project) => foregrounds.onFollow(shellOf(io), follow, io, kind, project),
      });
      for (const [path, handler] of Object.entries(handlers))
        host.registerDockerCommand(path.split(" "), (cmd, io) => handler(cmd, io));

      const stats = statsHandler(engineFor);
      host.registerDockerCommand(["container", "stats"], (cmd, io) => {
        if (cmd.flags["no-stream"] === true) return stats(cmd, io);
        // Streaming stats redraw until Ctrl-C: the lab shows the first frame.
        io.out(dockerStatsNoStream(engineFor(io)));
        io.err("[lab] docker stats streams until Ctrl-C; the lab shows one frame (use --no-stream).\n");
        return 0;
      });

      const top = topCommand(engineFor);
      host.registerShellCommand({
        name: "top",
        synopsis: "top",
        description: "One frame of top (as top -b -n 1): the node's CPU, memory and processes",
        run: (argv, io) => top(argv, io),
      });
      for (const c of foregrounds.commands()) host.registerShellCommand(c);
    },
  };
}
