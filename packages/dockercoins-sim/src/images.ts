// The DockerCoins images, registered in an engine's image registry as if pulled or built:
// the Docker Hub names (dockercoins/rng:v0.1, ...) and the official redis image. Compose
// builds tag them as <project>-<service>. httping's image is registered too, for the lab.
import type { ImageRegistry, ImageSpec } from "@swarm-sim/swarmkit-sim";
import { type CostModel, type DockerCoinsTiming, FOOTPRINTS, type RandomSource } from "./config";
import type { DockerCoinsMetrics } from "./metrics";
import { HasherProgram } from "./services/hasher";
import { RedisProgram } from "./services/redis";
import { RngProgram } from "./services/rng";
import { WebuiProgram } from "./services/webui";
import { WorkerProgram } from "./services/worker";
import { HTTPING_IMAGE, HttpingProgram } from "./tools/httping";

export interface DockerCoinsImageOptions {
  timing?: Partial<DockerCoinsTiming>;
  costs?: Partial<CostModel>;
  randomSource?: RandomSource;
  metrics?: DockerCoinsMetrics;
}

export const DOCKERCOINS_IMAGES = {
  rng: "dockercoins/rng:v0.1",
  hasher: "dockercoins/hasher:v0.1",
  worker: "dockercoins/worker:v0.1",
  webui: "dockercoins/webui:v0.1",
  redis: "redis:latest",
} as const;

export type DockerCoinsService = keyof typeof DOCKERCOINS_IMAGES;

/** Compose's `build:` contexts of the application, and the images they produce. */
export const DOCKERCOINS_BUILDS: Readonly<Record<string, string>> = {
  rng: DOCKERCOINS_IMAGES.rng,
  hasher: DOCKERCOINS_IMAGES.hasher,
  worker: DOCKERCOINS_IMAGES.worker,
  webui: DOCKERCOINS_IMAGES.webui,
};

/** Registers every image of `dockerCoinsImages(opts)` in a registry. */
export function registerDockerCoinsImages(registry: ImageRegistry, opts: DockerCoinsImageOptions = {}): void {
  for (const spec of dockerCoinsImages(opts)) registry.register(spec);
}

/**
 * The application's images (and httping's) as image specs: what a registry serves when a
 * node pulls them. The programs get the options (timing, costs, metrics) at creation.
 */
export function dockerCoinsImages(opts: DockerCoinsImageOptions = {}): ImageSpec[] {
  const { timing, costs, randomSource, metrics } = opts;
  const out: ImageSpec[] = [];
  const registry = { register: (spec: ImageSpec) => out.push(spec) };
  registry.register({
    name: DOCKERCOINS_IMAGES.rng,
    command: ["flask", "run", "--without-threads"],
    env: { FLASK_APP: "rng", FLASK_RUN_HOST: "::", FLASK_RUN_PORT: "80" },
    exposedPorts: [80],
    footprint: FOOTPRINTS.rng,
    create: () => new RngProgram({ timing, costs, randomSource }),
  });
  registry.register({
    name: DOCKERCOINS_IMAGES.hasher,
    command: ["ruby", "hasher.rb"],
    exposedPorts: [80],
    stopSignal: "SIGTERM",
    footprint: FOOTPRINTS.hasher,
    create: () => new HasherProgram({ timing, costs }),
  });
  registry.register({
    name: DOCKERCOINS_IMAGES.worker,
    command: ["python", "worker.py"],
    footprint: FOOTPRINTS.worker,
    create: () => new WorkerProgram({ timing, costs, metrics }),
  });
  registry.register({
    name: DOCKERCOINS_IMAGES.webui,
    command: ["node", "webui.js"],
    exposedPorts: [80],
    stopSignal: "SIGTERM",
    footprint: FOOTPRINTS.webui,
    create: () => new WebuiProgram({ costs }),
  });
  registry.register({
    name: DOCKERCOINS_IMAGES.redis,
    entrypoint: ["docker-entrypoint.sh"],
    command: ["redis-server"],
    exposedPorts: [6379],
    footprint: FOOTPRINTS.redis,
    create: () => new RedisProgram({ timing, costs }),
  });
  registry.register({
    name: `${HTTPING_IMAGE}:latest`,
    entrypoint: ["httping"],
    command: [],
    footprint: { memoryBytes: 1.1 * 1024 * 1024, pids: 1 },
    create: (spec) => new HttpingProgram(spec.command.slice(1)),
  });
  return out;
}
