// @swarm-sim/dockercoins-sim: the DockerCoins application on the simulated engine. What users
// need: experiments (DockerCoins under compose on one machine, or as a stack on a swarm) with
// the lecture's measurements, the lab plugin (images, builds, the training repository), the
// application's images, compose file and stack file, and the web page's reading of the speed.
// (`docker compose`, `docker stats` and `top` are swarmkit-sim's: Docker's, not DockerCoins'.)
export {
  DEFAULT_TIMING,
  DEFAULT_COSTS,
  ZERO_DELAYS,
  ZERO_COSTS,
  type DockerCoinsTiming,
  type CostModel,
  type RandomSource,
} from "./config";
export type { DockerCoinsMetrics, LatencySummary } from "./metrics";
export {
  registerDockerCoinsImages,
  dockerCoinsImages,
  DOCKERCOINS_IMAGES,
  DOCKERCOINS_BUILDS,
  type DockerCoinsImageOptions,
  type DockerCoinsService,
} from "./images";
export { DOCKERCOINS_COMPOSE, dockercoinsComposeWithoutRngPort } from "./compose-file";
export {
  CONTAINER_TRAINING_URL,
  DOCKERCOINS_COMPOSE_YAML,
  DOCKERCOINS_STACK_YAML,
  containerTrainingFiles,
} from "./repository";
export { dockercoinsStackYaml, type RngMode, type StackFileOptions } from "./swarm/stack-file";
export { dockercoinsPlugin, DOCKERCOINS_PLUGIN_NAME, type DockerCoinsPluginOptions } from "./lab-plugin";
export { startDockerCoins, DockerCoinsExperiment, type StartOptions } from "./experiment";
export {
  type DockerCoinsRun,
  DEFAULT_WARMUP_MS,
  PUBLISHED_PORTS,
  type WindowOptions,
} from "./experiment-base";
export { SwarmDockerCoinsExperiment, STACK_NAME, type SwarmStartOptions } from "./swarm/experiment";
export type { DockerCoinsCluster } from "./swarm/cluster";
export { WebuiPage, PAGE_REFRESH_MS, type PageSample, type SpeedPoint } from "./services/webui-page";
export { HTTPING_IMAGE, parseHttpingOutput } from "./tools/httping";
export type { AttachedRun } from "./tools/run";
export { checkWallet } from "./checks";
export { minedHashes, dockercoinsStudioMetric } from "./studio-metric";
