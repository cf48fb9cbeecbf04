// A compose file as data: the fields of the compose specification DockerCoins and its
// variants use. DOCKERCOINS_COMPOSE is the application's compose.yml (dockercoins/ in
// jpetazzo/container.training): five services, ports 8001 (rng), 8002 (hasher) and 8000
// (webui) published on the machine.

export interface ComposeService {
  image?: string;
  /** A build context (a folder next to the compose file). */
  build?: string;
  /** Short syntax: "8001:80". */
  ports?: readonly string[];
  volumes?: readonly string[];
  command?: readonly string[];
  entrypoint?: readonly string[];
  environment?: Readonly<Record<string, string>>;
  /** Number of containers (the `scale` key); `--scale` overrides it. */
  scale?: number;
  /** "10s", "1m30s" (default 10 s). */
  stop_grace_period?: string;
  stop_signal?: string;
  init?: boolean;
  container_name?: string;
}

export interface ComposeFile {
  /** The project name; by default the name of the folder holding the file. */
  name?: string;
  /** Services in file order. */
  services: Readonly<Record<string, ComposeService>>;
}

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
