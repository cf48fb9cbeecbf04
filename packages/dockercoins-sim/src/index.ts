// @swarm-sim/dockercoins-sim: the DockerCoins services as programs for the simulated engine,
// the compose model and runtime, the lab's tools (httping, docker stats, top), and an API for
// experiments.
export {
  DEFAULT_TIMING,
  DEFAULT_COSTS,
  ZERO_DELAYS,
  ZERO_COSTS,
  FOOTPRINTS,
  drawCpu,
  type DockerCoinsTiming,
  type CostModel,
  type RandomSource,
} from "./config";
export { DockerCoinsMetrics, LatencyRecorder, summarize, type LatencySummary } from "./metrics";
export {
  registerDockerCoinsImages,
  dockerCoinsImages,
  DOCKERCOINS_IMAGES,
  DOCKERCOINS_BUILDS,
  type DockerCoinsImageOptions,
  type DockerCoinsService,
} from "./images";
export { RngProgram, type RngOptions } from "./services/rng";
export { HasherProgram, THIN_POOL_SIZE, sha256Hex, type HasherOptions } from "./services/hasher";
export { WorkerProgram, type WorkerOptions } from "./services/worker";
export { RedisProgram, REDIS_PORT, REDIS_VERSION, redisTime, type RedisOptions } from "./services/redis";
export { RedisStore, RedisErrorReply, type RedisReply, type RedisValue } from "./services/redis-store";
export { RedisClient, RedisClientError, type RedisCallback } from "./services/redis-client";
export { WebuiProgram, INDEX_HTML, jsonBody, type WebuiOptions } from "./services/webui";
export {
  WebuiPage,
  speedPoints,
  speedText,
  PAGE_SERIES_LENGTH,
  PAGE_REFRESH_MS,
  type PageSample,
  type SpeedPoint,
} from "./services/webui-page";
export { AccessRecord, werkzeugLine, rackLine, morganCommonLine, clfDate } from "./services/access-log";
export {
  DOCKERCOINS_COMPOSE,
  dockercoinsComposeWithoutRngPort,
  type ComposeFile,
  type ComposeService,
} from "./compose/file";
export {
  ComposeProject,
  LABEL_PROJECT,
  LABEL_SERVICE,
  LABEL_NUMBER,
  LABEL_ONEOFF,
  type ComposeProjectOptions,
  type UpOptions,
  type UpResult,
  type LogsOptions,
  type LogsResult,
} from "./compose/project";
export { LogFollow, LogConsumer, logsSnapshot, type LogFollowOptions } from "./compose/logs";
export {
  progressFrame,
  psTable,
  psRow,
  containerPorts,
  logPrefix,
  TERMINAL_WIDTH,
  type ProgressTask,
  type PsRow,
  type TaskKind,
} from "./compose/format";
export {
  HttpingProgram,
  HTTPING_IMAGE,
  parseHttpingArgs,
  parseHttpingOutput,
  type HttpingArgs,
} from "./tools/httping";
export { dockerStatsNoStream, statsRow, STATS_HEADER } from "./tools/stats";
export { topFrame, processName, timePlus, uptimeText } from "./tools/top";
export { runAttached, type AttachedRun } from "./tools/run";
export { checkWallet } from "./checks";
export { startDockerCoins, DockerCoinsExperiment, type StartOptions } from "./experiment";
export { DockerCoinsRun, DEFAULT_WARMUP_MS, PUBLISHED_PORTS, type WindowOptions } from "./experiment-base";
export { SwarmDockerCoinsExperiment, STACK_NAME, type SwarmStartOptions } from "./swarm/experiment";
export {
  buildDockerCoinsCluster,
  nodeName,
  type DockerCoinsCluster,
  type SwarmClusterOptions,
} from "./swarm/cluster";
export { dockercoinsStackYaml, type RngMode, type StackFileOptions } from "./swarm/stack-file";
export {
  composeHandlers,
  statsHandler,
  topCommand,
  parseScaleFlags,
  type HandlerCommand,
  type HandlerIO,
  type DockerCoinsHandler,
  type ComposeHandlerOptions,
} from "./cli-handlers";
export {
  parseComposeText,
  findComposeFile,
  normalizeProjectName,
  buildKey,
  COMPOSE_FILE_NAMES,
  type ComposeFiles,
} from "./compose/load";
export {
  CONTAINER_TRAINING_URL,
  DOCKERCOINS_COMPOSE_YAML,
  DOCKERCOINS_STACK_YAML,
  containerTrainingFiles,
} from "./repository";
export { dockercoinsPlugin, DOCKERCOINS_PLUGIN_NAME, type DockerCoinsPluginOptions } from "./lab-plugin";
export { Foregrounds, FOREGROUND_SHOW_MS } from "./lab/foreground";
export { LabProjects } from "./lab/projects";
export { labStackFileReader, installLabStackFileReader } from "./lab/stack-files";
