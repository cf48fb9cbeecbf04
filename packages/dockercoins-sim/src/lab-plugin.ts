// DockerCoins in the lab: `lab.use(dockercoinsPlugin())` brings what the lecture's DockerCoins
// part needs that Docker itself does not: the application's images on every node's engine
// (dockercoins/*:v0.1, redis, bretfisher/httping), what `docker compose` builds from its build
// contexts (rng, hasher, worker, webui), and the container.training repository for `git clone`
// (the dockercoins/ folder with its compose file, the stack file of the Swarm chapters).
// `docker compose`, `docker stats`, `top` and `docker stack deploy -c FILE` are the lab's own.
import type { LabPlugin, LabPluginHost } from "@swarm-sim/swarmkit-sim";
import { DOCKERCOINS_BUILDS, type DockerCoinsImageOptions, dockerCoinsImages } from "./images";
import { CONTAINER_TRAINING_URL, containerTrainingFiles } from "./repository";

export const DOCKERCOINS_PLUGIN_NAME = "dockercoins";

export type DockerCoinsPluginOptions = DockerCoinsImageOptions;

export function dockercoinsPlugin(opts: DockerCoinsPluginOptions = {}): LabPlugin {
  return {
    name: DOCKERCOINS_PLUGIN_NAME,
    install(host: LabPluginHost): void {
      for (const spec of dockerCoinsImages(opts)) host.registerImage(spec);
      for (const [context, image] of Object.entries(DOCKERCOINS_BUILDS)) host.registerBuild(context, image);
      host.addRepository(CONTAINER_TRAINING_URL, containerTrainingFiles());
    },
  };
}
