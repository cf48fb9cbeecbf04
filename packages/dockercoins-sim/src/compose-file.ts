// DockerCoins' compose file as data: the application's compose.yml (dockercoins/ in
// jpetazzo/container.training), five services, ports 8001 (rng), 8002 (hasher) and 8000
// (webui) published on the machine.
import type { ComposeFile } from "@swarm-sim/swarmkit-sim";

export const DOCKERCOINS_COMPOSE: ComposeFile = {
  name: "dockercoins",
  services: {
    rng: { build: "rng", ports: ["8001:80"] },
    hasher: { build: "hasher", ports: ["8002:80"] },
    webui: { build: "webui", ports: ["8000:80"], volumes: ["./webui/files/:/files/"] },
    redis: { image: "redis" },
    worker: { build: "worker" },
  },
};

/**
 * The compose file with rng's port left unpublished, so that rng can be scaled: with
 * "8001:80" a second rng container cannot bind port 8001 ("port is already allocated").
 */
export function dockercoinsComposeWithoutRngPort(): ComposeFile {
  const { ports: _unused, ...rng } = DOCKERCOINS_COMPOSE.services.rng;
  return { ...DOCKERCOINS_COMPOSE, services: { ...DOCKERCOINS_COMPOSE.services, rng } };
}
