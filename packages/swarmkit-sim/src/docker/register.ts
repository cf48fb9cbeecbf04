// registerSwarmCommands: the swarm, node and info handlers, registered on the CLI facade's
// dispatcher by command path.
import type { ParsedCommand } from "../cli/grammar/types";
import { infoCommand } from "./commands/info";
import type { SwarmCommandContext, SwarmIO } from "./commands/io";
import {
  nodeDemote,
  nodeInspect,
  nodeLs,
  nodePromote,
  nodePs,
  nodeRm,
  nodeUpdate,
} from "./commands/node-cmds";
import {
  swarmCa,
  swarmInit,
  swarmJoin,
  swarmJoinToken,
  swarmLeave,
  swarmUnlock,
  swarmUnlockKey,
  swarmUpdate,
} from "./commands/swarm-cmds";

/** What registerSwarmCommands needs from the cli module's DockerCli. */
export interface CommandRegistry<IO extends SwarmIO = SwarmIO> {
  register(path: string[], handler: (cmd: ParsedCommand, io: IO) => number): void;
}

type Handler = (cmd: ParsedCommand, io: SwarmIO, ctx: SwarmCommandContext) => number;

/** The handlers by command path. */
export const swarmCommandHandlers: ReadonlyArray<readonly [string[], Handler]> = [
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

export function registerSwarmCommands<IO extends SwarmIO>(
  cli: CommandRegistry<IO>,
  resolve: (io: IO) => SwarmCommandContext,
): void {
  for (const [path, handler] of swarmCommandHandlers) {
    cli.register(path, (cmd, io) => handler(cmd, io, resolve(io)));
  }
}
