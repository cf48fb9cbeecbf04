// The docker CLI facade's front half: the shell-line reader, the docker command grammar (usage
// errors and --help texts as Docker prints them), the dispatcher to registered handlers, the
// text filters used in pipes, and the output formatters. Handlers (the backend) are registered
// on a DockerCli by command path; see dispatch.ts for the contract.
export {
  type CommandIO,
  DockerCli,
  type DockerCliOptions,
  type Handler,
  type LabCommand,
  type RunOptions,
  shellQuote,
} from "./dispatch";
export { FILTERS, type Filter, type FilterResult, isFilter, runFilter } from "./filters";
export {
  bytesSize,
  DOCKER_TABLE,
  displayWidth,
  ellipsis,
  formatGoDuration,
  goFormatG,
  humanDuration,
  humanSize,
  humanSizeWithPrecision,
  naturalCompare,
  naturalLess,
  naturalSort,
  prettyPrint,
  tabwriteText,
  tabwriter,
  type TabwriterOptions,
  taskStateAgo,
  timeAgo,
  TOP_TABLE,
  truncateId,
  VERSION_TABLE,
} from "./format/index";
export {
  type ArgsRule,
  type CliStyle,
  type CommandNode,
  type CommandSpec,
  type DaemonView,
  dockerTree,
  findCommand,
  type FlagKind,
  type FlagSpec,
  type FlagValue,
  goQuote,
  helpText,
  type NetworkAttachment,
  type ParsedCommand,
  type ParseOptions,
  type ParseOutcome,
  parseCommandVector,
  parseGoDuration,
  parseSleepDuration,
  type PlacementPreference,
  type PortConfig,
  runnableCommandIds,
} from "./grammar/index";
export { parseScaleArgs, type ScaleSpec } from "./grammar/scale";
export { DockerCliError, type OutputChunk, type RunResult } from "./io";
export {
  type ExpandEnv,
  expandWord,
  expandWords,
  type ParseResult,
  parseShell,
  type Script,
  ShellSyntaxError,
  splitCommandLine,
} from "./shell";
