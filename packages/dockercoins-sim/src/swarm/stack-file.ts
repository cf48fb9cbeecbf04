// The stack file an experiment deploys on a swarm: the application's services with the
// published images, rng either global (one task per node, as the lecture's Swarm chapters
// run it) or replicated, and the chosen number of workers. Ports are published through the
// routing mesh as the compose file publishes them, so httping and the web page reach rng,
// hasher and webui on any node.
import { DOCKERCOINS_IMAGES } from "../images";

/** rng on every node, or a fixed number of replicas behind its VIP. */
export type RngMode = "global" | { replicas: number };

export interface StackFileOptions {
  workers?: number;
  rngMode?: RngMode;
}

export function dockercoinsStackYaml(opts: StackFileOptions = {}): string {
  const rng = opts.rngMode ?? "global";
  const rngDeploy =
    rng === "global" ? "    deploy:\n      mode: global\n" : `    deploy:\n      replicas: ${rng.replicas}\n`;
  return (
    "services:\n" +
    `  rng:\n    image: ${DOCKERCOINS_IMAGES.rng}\n    ports:\n      - "8001:80"\n${rngDeploy}` +
    `  hasher:\n    image: ${DOCKERCOINS_IMAGES.hasher}\n    ports:\n      - "8002:80"\n` +
    `  webui:\n    image: ${DOCKERCOINS_IMAGES.webui}\n    ports:\n      - "8000:80"\n` +
    `  redis:\n    image: ${DOCKERCOINS_IMAGES.redis}\n` +
    `  worker:\n    image: ${DOCKERCOINS_IMAGES.worker}\n    deploy:\n      replicas: ${opts.workers ?? 1}\n`
  );
}
