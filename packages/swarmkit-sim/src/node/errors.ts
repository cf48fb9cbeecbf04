// dockerd's swarm error texts (moby daemon/cluster/errors.go, swarm.go; SWARMKIT.md §6.4).

export const ERR_NO_SWARM =
  'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
export const ERR_WORKER =
  "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";
export const ERR_MANAGER_UNAVAILABLE =
  "This node is not a swarm manager. Manager is being prepared or has trouble connecting to the cluster.";
export const ERR_ALREADY_IN_SWARM =
  'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.';
export const ERR_NOT_IN_SWARM = "This node is not part of a swarm";
export const ERR_LOCKED =
  'Swarm is encrypted and needs to be unlocked before it can be used. Please use "docker swarm unlock" to unlock it.';
export const ERR_LOCKED_LEAVE =
  "Swarm is encrypted and locked. Please unlock it first or use `--force` to ignore this message.";
export const ERR_CERTS_EXPIRED =
  "Swarm certificates have expired. To replace them, leave the swarm and join again.";
export const ERR_JOIN_TIMEOUT =
  'Timeout was reached before node joined. The attempt to join the swarm will continue in the background. Use the "docker info" command to see the current swarm status of your node.';
export const ERR_NOT_LOCKED = "swarm is not locked";
export const ERR_BAD_UNLOCK_KEY = "swarm could not be unlocked: invalid key provided";

/** An error the daemon returns (the CLI prints "Error response from daemon: " + message). */
export class DaemonError extends Error {}

/**
 * dockerd's own failure to resolve a node, service or network reference (moby
 * daemon/cluster/helpers.go): an errdefs NotFound or InvalidParameter, which the CLI prints
 * plain, without gRPC's "rpc error: code = ... desc = " wrapping (`node node9 not found`,
 * `node node1 is ambiguous (2 matches found)`). See ./lookup.ts.
 */
export class LookupError extends DaemonError {
  constructor(
    message: string,
    /** errdefs.IsNotFound: the CLI's own "no such service" texts test for it. */
    readonly notFound: boolean,
  ) {
    super(message);
  }
}

/** The leave refusal for a manager (moby daemon/cluster/swarm.go Leave). */
export function managerLeaveMessage(active: boolean, reachable: number, unreachable: number): string {
  let msg = "You are attempting to leave the swarm on a node that is participating as a manager. ";
  if (active) {
    if (reachable - 2 <= unreachable) {
      if (reachable === 1 && unreachable === 0) {
        return `${msg}Removing the last manager erases all current state of the swarm. Use \`--force\` to ignore this message. `;
      }
      msg += `Removing this node leaves ${reachable - 1} managers out of ${reachable + unreachable}. Without a Raft quorum your swarm will be inaccessible. `;
    }
  } else {
    msg += "Doing so may lose the consensus of your cluster. ";
  }
  return `${msg}The only way to restore a swarm that has lost consensus is to reinitialize it with \`--force-new-cluster\`. Use \`--force\` to suppress this message.`;
}
