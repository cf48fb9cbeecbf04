// registerServiceCommands: the `docker service ...`, `docker stack ...` and overlay
// `docker network ...` handlers, registered on the CLI facade's dispatcher by command path,
// like registerSwarmCommands.
import type { ParsedCommand } from "../../cli/grammar/types";
import type { SwarmCommandContext, SwarmIO } from "../commands/io";
import type { CommandRegistry } from "../register";
import { serviceLogs } from "./logs-cmd";
import { networkCreate, networkInspect, networkLs, networkRm } from "./network-cmds";
import {
  type Handler,
  serviceCreate,
  serviceInspect,
  serviceLs,
  servicePs,
  serviceRm,
  serviceRollback,
  serviceScale,
  serviceUpdate,
} from "./service-cmds";
import { stackDeploy, stackLs, stackPs, stackRm, stackServices } from "./stack-cmds";

export const serviceCommandHandlers: ReadonlyArray<readonly [string[], Handler]> = [
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
 * The swarm-scoped network handlers (overlay networks live in the swarm's store). The engine's
 * own `docker network` handlers serve local networks; a lab that wants both dispatches
 * `-d overlay` (and swarm-scoped names) here.
 */
export const overlayNetworkHandlers: ReadonlyArray<readonly [string[], Handler]> = [
  [["network", "create"], networkCreate],
  [["network", "ls"], networkLs],
  [["network", "rm"], networkRm],
  [["network", "inspect"], networkInspect],
];

export function registerServiceCommands<IO extends SwarmIO>(
  cli: CommandRegistry<IO>,
  resolve: (io: IO) => SwarmCommandContext,
  options: { overlayNetworks?: boolean } = {},
): void {
  const all = options.overlayNetworks
    ? [...serviceCommandHandlers, ...overlayNetworkHandlers]
    : serviceCommandHandlers;
  for (const [path, handler] of all)
    cli.register(path, (cmd: ParsedCommand, io: IO) => handler(cmd, io, resolve(io)));
}
