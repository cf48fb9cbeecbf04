// The interactive lab: the world (node1 and docker:dind nodes on a simulated network), the CLI
// host over it (the docker handlers, the lab's commands, plugins), the one owner of time (the
// host loop), a transcript runner and a REPL.
export { Lab, type LabOptions } from "./lab";
export {
  LabWorld,
  swarmOf,
  engineOf,
  NODE1,
  DEFAULT_NODE1_INTERFACES,
  DEFAULT_ENGINE_VERSION as LAB_ENGINE_VERSION,
  type CreateNodeOptions,
} from "./world";
export { LabHost } from "./host";
export {
  advanceClock,
  type Clock,
  type JobEnd,
  type JobState,
  RunningJob,
  runJob,
} from "./host-loop";
export { FOREGROUND_SHOW_MS } from "./foreground";
export type { LabNode, NodeKind, Shell } from "./node";
export type {
  CommandGroup,
  LabPlugin,
  LabPluginHost,
  LabIO,
  LabDockerHandler,
  LabShellCommand,
} from "./plugin";
export type { RunResult as LabRunResult } from "./types";
export { runScript, scriptLines, type ScriptHost, type ScriptResult } from "./script";
export { startRepl, type ReplHost, type ReplOptions } from "./repl";
export { labCompleter } from "./completion";
export { DindContainer, DIND_IMAGE, DOCKERD_SHUTDOWN_MS } from "./dind";
export { FileTree } from "./file-tree";
export { topFrame } from "./commands/top";
export * from "./live/index";
export { PromptStack, type PromptStackState } from "./prompt-stack";
export * from "./studio/index";
export { labExplain, explainText } from "./commands/explain";
