// The plugins every lab of the CLI has: DockerCoins (images, `git clone` of the training
// repository, docker compose, docker stats, top, httping).
import { dockercoinsPlugin } from "@swarm-sim/dockercoins-sim";
import type { LabPlugin } from "@swarm-sim/swarmkit-sim";

export function labPlugins(): LabPlugin[] {
  return [dockercoinsPlugin()];
}
