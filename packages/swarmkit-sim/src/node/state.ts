// What a node keeps on its machine's disk (dockerd's swarm state directory): the node's
// identity and addresses, its certificates and key, and (on managers) the raft data. It
// survives restarts; `docker swarm leave` wipes it.
import type { NodeRole } from "../api/types";
import type { Disk } from "../kernel/disk";
import type { StoredDek } from "../ca/autolock";

export const SWARM_DIR = "swarm/";
export const STATE_FILE = "swarm/docker-state.json";
export const NODE_CERT = "swarm/certificates/swarm-node.crt";
export const NODE_KEY = "swarm/certificates/swarm-node.key";
export const ROOT_CERT = "swarm/certificates/swarm-root-ca.crt";
export const RAFT_DIR = "swarm/raft/";

export interface PersistedState {
  nodeId: string;
  clusterId: string;
  role: NodeRole;
  /** host:port this node advertises (managers: the raft/API address). */
  advertiseAddr: string;
  listenAddr: string;
  /** Managers the agent knows, for reconnecting after a restart. */
  managers: string[];
}

/** The node key on disk: plain when autolock is off, sealed with the KEK when it is on. */
export type StoredKey =
  | { locked: false; pem: string; dek?: StoredDek }
  | { locked: true; sealed: StoredDek; pemSealed: unknown };

export function loadState(disk: Disk): PersistedState | undefined {
  return disk.read(STATE_FILE) as PersistedState | undefined;
}

export function saveState(disk: Disk, s: PersistedState): void {
  disk.write(STATE_FILE, { ...s, managers: [...s.managers] });
}

export function wipeSwarmState(disk: Disk): void {
  for (const p of disk.list(SWARM_DIR)) disk.remove(p);
  disk.fsync();
}
