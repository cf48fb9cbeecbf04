// Every docker command this package handles, by command path, grouped as Docker groups its
// commands, with the context each group needs. A host (the lab, a test) registers them on its
// DockerCli with registerDockerCommands, giving for each command the context of the node it
// runs on. README.md in this folder maps each command to its handler file.
import type { CommandIO, DockerCli, HandlerResult } from "../cli/dispatch";
import type { ParsedCommand } from "../cli/grammar/types";
import {
  type ComposeContext,
  composeDown,
  composeLogs,
  composePort,
  composePs,
  composeScale,
  composeStop,
  composeStart,
  composeRestart,
  composeUp,
} from "./compose/commands";
import type { DaemonContext, ExecContext } from "./container/context";
import { dockerExec } from "./container/exec";
import {
  dockerKill,
  dockerPause,
  dockerRestart,
  dockerRm,
  dockerStart,
  dockerStop,
  dockerUnpause,
} from "./container/lifecycle";
import { dockerLogs } from "./container/logs";
import { dockerPs } from "./container/ps";
import { dockerRun } from "./container/run";
import { dockerStats } from "./container/stats";
import type { DockerIO, SwarmCommandContext, SwarmHandler } from "./io";
import {
  type NetworkContext,
  networkConnect,
  networkCreate,
  networkDisconnect,
  networkLs,
  networkRm,
} from "./network/local";
import {
  overlayNetworkCreate,
  overlayNetworkInspect,
  overlayNetworkLs,
  overlayNetworkRm,
} from "./network/overlay";
import { networkInspect } from "./network/inspect";
import { nodeDemote, nodeInspect, nodeLs, nodePromote, nodePs, nodeRm, nodeUpdate } from "./node/node-cmds";
import { serviceLogs } from "./service/logs";
import {
  serviceCreate,
  serviceInspect,
  serviceLs,
  servicePs,
  serviceRm,
  serviceRollback,
  serviceScale,
  serviceUpdate,
} from "./service/service-cmds";
import { stackDeploy, stackLs, stackPs, stackRm, stackServices } from "./stack/stack-cmds";
import {
  swarmCa,
  swarmInit,
  swarmJoin,
  swarmJoinToken,
  swarmLeave,
  swarmUnlock,
  swarmUnlockKey,
  swarmUpdate,
} from "./swarm/swarm-cmds";
import { infoCommand } from "./system/info";
import { dockerPort } from "./container/port";

/** A handler of a group: the command, its streams, and the group's context. */
export type GroupHandler<X> = (cmd: ParsedCommand, io: DockerIO, ctx: X) => HandlerResult;
type Table<X> = ReadonlyArray<readonly [string[], GroupHandler<X>]>;

/** `docker swarm ...`, `docker node ...` and `docker info`. */
export const swarmCommandHandlers: ReadonlyArray<readonly [string[], SwarmHandler]> = [
  [["swarm", "init"], swarmInit],
  [["swarm", "join"], swarmJoin],
  [["swarm", "join-token"], swarmJoinToken],
  [["swarm", "leave"], swarmLeave],
  [["swarm", "update"], swarmUpdate],
  [["swarm", "ca"], swarmCa],
  [["swarm", "unlock"], swarmUnlock],
  [["swarm", "unlock-key"], swarmUnlockKey],
  [["info"], infoCommand],
  [["system", "info"], infoCommand],
  [["node", "ls"], nodeLs],
  [["node", "inspect"], nodeInspect],
  [["node", "promote"], nodePromote],
  [["node", "demote"], nodeDemote],
  [["node", "rm"], nodeRm],
  [["node", "update"], nodeUpdate],
  [["node", "ps"], nodePs],
];

/** `docker service ...` and `docker stack ...`. */
export const serviceCommandHandlers: ReadonlyArray<readonly [string[], SwarmHandler]> = [
  [["service", "create"], serviceCreate],
  [["service", "ls"], serviceLs],
  [["service", "ps"], servicePs],
  [["service", "inspect"], serviceInspect],
  [["service", "scale"], serviceScale],
  [["service", "update"], serviceUpdate],
  [["service", "rollback"], serviceRollback],
  [["service", "rm"], serviceRm],
  [["service", "logs"], serviceLogs],
  [["stack", "deploy"], stackDeploy],
  [["stack", "ls"], stackLs],
  [["stack", "ps"], stackPs],
  [["stack", "services"], stackServices],
  [["stack", "rm"], stackRm],
];

/**
 * The swarm-scoped network handlers alone (overlay networks live in the swarm's store), for
 * hosts without engines; with engines, `docker network` goes through networkCommandHandlers,
 * which hand overlay networks to these.
 */
export const overlayNetworkHandlers: ReadonlyArray<readonly [string[], SwarmHandler]> = [
  [["network", "create"], overlayNetworkCreate],
  [["network", "ls"], overlayNetworkLs],
  [["network", "rm"], overlayNetworkRm],
  [["network", "inspect"], overlayNetworkInspect],
];

/** `docker run|ps|stop|start|restart|kill|pause|unpause|rm|logs|stats`. */
export const containerCommandHandlers: Table<DaemonContext> = [
  [["container", "run"], dockerRun],
  [["container", "ls"], dockerPs],
  [["container", "stop"], dockerStop],
  [["container", "start"], dockerStart],
  [["container", "restart"], dockerRestart],
  [["container", "kill"], dockerKill],
  [["container", "pause"], dockerPause],
  [["container", "unpause"], dockerUnpause],
  [["container", "rm"], dockerRm],
  [["container", "logs"], dockerLogs],
  [["container", "stats"], dockerStats],
  [["container", "port"], dockerPort],
];

/** `docker exec`. */
export const execCommandHandlers: Table<ExecContext> = [[["container", "exec"], dockerExec]];

/** `docker network connect|disconnect|create|ls|rm` on a node's engine (overlay: the swarm's). */
export const networkCommandHandlers: Table<NetworkContext> = [
  [["network", "connect"], networkConnect],
  [["network", "disconnect"], networkDisconnect],
  [["network", "create"], networkCreate],
  [["network", "ls"], networkLs],
  [["network", "rm"], networkRm],
  [["network", "inspect"], networkInspect],
];

/** `docker compose up|ps|port|logs|stop|start|restart|down|scale` (also `docker-compose ...`). */
export const composeCommandHandlers: Table<ComposeContext> = [
  [["compose", "up"], composeUp],
  [["compose", "ps"], composePs],
  [["compose", "port"], composePort],
  [["compose", "logs"], composeLogs],
  [["compose", "stop"], composeStop],
  [["compose", "start"], composeStart],
  [["compose", "restart"], composeRestart],
  [["compose", "down"], composeDown],
  [["compose", "scale"], composeScale],
];

/** The contexts a host gives the handlers, for the command being run. */
export interface DockerContexts<IO> {
  swarm(io: IO): SwarmCommandContext;
  containers(io: IO): DaemonContext;
  exec(io: IO): ExecContext;
  networks(io: IO): NetworkContext;
  compose(io: IO): ComposeContext;
}

/** What registration needs from the CLI's DockerCli. */
export interface CommandRegistry<IO extends DockerIO = DockerIO> {
  register(path: string[], handler: (cmd: ParsedCommand, io: IO) => HandlerResult): void;
}

function registerTable<IO extends DockerIO, X>(
  cli: CommandRegistry<IO>,
  table: Table<X>,
  context: (io: IO) => X,
): void {
  for (const [path, handler] of table) cli.register(path, (cmd, io) => handler(cmd, io, context(io)));
}

/** Registers `docker swarm|node|info` with the control plane's context of the command's node. */
export function registerSwarmCommands<IO extends DockerIO>(
  cli: CommandRegistry<IO>,
  resolve: (io: IO) => SwarmCommandContext,
): void {
  registerTable(cli, swarmCommandHandlers, resolve);
}

/** Registers `docker service|stack` (and, with `overlayNetworks`, the swarm's `docker network`). */
export function registerServiceCommands<IO extends DockerIO>(
  cli: CommandRegistry<IO>,
  resolve: (io: IO) => SwarmCommandContext,
  options: { overlayNetworks?: boolean } = {},
): void {
  registerTable(cli, serviceCommandHandlers, resolve);
  if (options.overlayNetworks) registerTable(cli, overlayNetworkHandlers, resolve);
}

/**
 * Registers every docker command of a node with engines and the control plane: containers,
 * exec, networks, compose, swarm, node and info, and (with `services`) service and stack.
 */
export function registerDockerCommands<C>(
  cli: DockerCli<C>,
  contexts: DockerContexts<CommandIO<C>>,
  options: { services?: boolean } = {},
): void {
  registerTable(cli, containerCommandHandlers, contexts.containers);
  registerTable(cli, execCommandHandlers, contexts.exec);
  registerTable(cli, networkCommandHandlers, contexts.networks);
  registerTable(cli, composeCommandHandlers, contexts.compose);
  registerSwarmCommands(cli, contexts.swarm);
  if (options.services) registerServiceCommands(cli, contexts.swarm);
}
