// The docker command handlers, grouped as Docker groups its commands (README.md maps each
// command to its file), the contexts they need from a host, and the helpers hosts and tests
// use with them.
export {
  composeCommandHandlers,
  containerCommandHandlers,
  type CommandRegistry,
  type DockerContexts,
  execCommandHandlers,
  type GroupHandler,
  networkCommandHandlers,
  overlayNetworkHandlers,
  registerDockerCommands,
  registerServiceCommands,
  registerSwarmCommands,
  serviceCommandHandlers,
  swarmCommandHandlers,
} from "./register";
export {
  COMMAND_WAIT_MS,
  type DockerIO,
  type EngineCounts,
  errorText,
  request,
  type SwarmCommandContext,
  type SwarmHandler,
} from "./io";
export type {
  DaemonContext,
  DindContainerView,
  DindHost,
  ExecContext,
  ExecNode,
  ExecOptions,
} from "./container/context";
export type { NetworkContext } from "./network/local";
export {
  type ContainerView,
  type DaemonContainerState,
  findContainer,
  isRunning,
  statusText,
} from "./container/containers";
export { daemonContainers, EngineContainer } from "./container/engine-containers";
export { dockerStatsNoStream, STATS_HEADER, statsRow } from "./container/stats";
export { formatPs, type PsOptions } from "./container/ps-format";
export { isDindImage } from "./container/run";
export { isValidContainerName } from "./container/names";
export { renderSwarmSection } from "./system/info";
// docker compose: the handlers and the runtime (a project on an engine, its logs, its output).
export { type ComposeContext, parseScaleFlags } from "./compose/commands";
export type { ComposeFile, ComposeService } from "./compose/file";
export {
  buildKey,
  COMPOSE_FILE_NAMES,
  type ComposeFiles,
  findComposeFile,
  normalizeProjectName,
  parseComposeText,
} from "./compose/load";
export { LogConsumer, LogFollow, type LogFollowOptions, logsSnapshot } from "./compose/logs";
export {
  ComposeProject,
  type ComposeProjectOptions,
  LABEL_NUMBER,
  LABEL_ONEOFF,
  LABEL_PROJECT,
  LABEL_SERVICE,
  type LogsOptions,
  type LogsResult,
  type UpOptions,
  type UpResult,
} from "./compose/project";
export { ComposeProjects, type ComposeWorkdir } from "./compose/projects";
export {
  containerPorts,
  logPrefix,
  type ProgressTask,
  progressFrame,
  type PsRow,
  psRow,
  psTable,
  type TaskKind,
  TERMINAL_WIDTH,
} from "./compose/format";
export { countStates } from "./system/info-value";
