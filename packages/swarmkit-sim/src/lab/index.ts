// The interactive lab: node1 and docker:dind nodes on a simulated network, the docker CLI
// facade over them, faults the way a lab user makes them, a transcript runner and a REPL.
export {
  Lab,
  swarmOf,
  NODE1,
  DEFAULT_NODE1_INTERFACES,
  DEFAULT_ENGINE_VERSION as LAB_ENGINE_VERSION,
  type LabOptions,
  type CreateNodeOptions,
} from "./lab";
export type { LabNode, NodeKind, Shell } from "./node";
export type { LabPlugin, LabPluginHost, LabIO, LabDockerHandler, LabShellCommand } from "./plugin";
export type { RunResult as LabRunResult } from "./types";
export { runScript, scriptLines, type ScriptHost, type ScriptResult } from "./script";
export { startRepl, type ReplHost, type ReplOptions } from "./repl";
export { labCompleter } from "./completion";
export { DindContainer, DIND_IMAGE, DOCKERD_SHUTDOWN_MS } from "./dind";
export { type LabContainer, statusText } from "./containers";
export { formatPs } from "./ps-format";
export { engineOf } from "./node-containers";
export { FileTree } from "./file-tree";
export { SWARM_LECTURE_SCRIPT, SWARM_LECTURE_EXPECTED_FAILURES } from "./lecture-script";
