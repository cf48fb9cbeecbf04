// The control API's cluster methods (SwarmKit manager/controlapi/cluster.go): settings,
// join-token rotation, certificate expiry, autolock and the unlock key.
import type { Cluster } from "../../api/types";
import type { Random } from "../../kernel/random";
import { newJoinTokens, newRootRotation, newUnlockKey } from "../../ca/cluster-pki";
import { GrpcError } from "../../transport/grpc-error";
import type { ControlDeps } from "./nodes";

export const MIN_CERT_EXPIRY_MS = 3_600_000;

export interface ClusterUpdate {
  certExpiryMs?: number;
  autolock?: boolean;
  heartbeatPeriodMs?: number;
  taskHistoryLimit?: number;
  rotateWorkerToken?: boolean;
  rotateManagerToken?: boolean;
  rotateUnlockKey?: boolean;
  forceRotateCA?: boolean;
}

export function updateCluster(
  d: ControlDeps & { random: Random },
  u: ClusterUpdate,
  done: (err: Error | null, c?: Cluster) => void,
): void {
  const cluster = d.store.cluster();
  if (!cluster) {
    done(new GrpcError("NotFound", "cluster not found"));
    return;
  }
  if (u.certExpiryMs !== undefined && u.certExpiryMs < MIN_CERT_EXPIRY_MS) {
    done(new GrpcError("InvalidArgument", "minimum certificate expiry time is: 1h0m0s"));
    return;
  }
  const fresh = newJoinTokens(cluster.rootCA.caCertPem, d.random);
  const next: Cluster = {
    ...cluster,
    updatedAt: d.now(),
    spec: {
      ...cluster.spec,
      caConfig: {
        ...cluster.spec.caConfig,
        nodeCertExpiryMs: u.certExpiryMs ?? cluster.spec.caConfig.nodeCertExpiryMs,
        forceRotate: cluster.spec.caConfig.forceRotate + (u.forceRotateCA ? 1 : 0),
      },
      encryptionConfig: { autoLockManagers: u.autolock ?? cluster.spec.encryptionConfig.autoLockManagers },
      dispatcher: { heartbeatPeriodMs: u.heartbeatPeriodMs ?? cluster.spec.dispatcher.heartbeatPeriodMs },
      orchestration: {
        taskHistoryRetentionLimit: u.taskHistoryLimit ?? cluster.spec.orchestration.taskHistoryRetentionLimit,
      },
    },
    rootCA: {
      ...cluster.rootCA,
      joinTokens: {
        worker: u.rotateWorkerToken ? fresh.worker : cluster.rootCA.joinTokens.worker,
        manager: u.rotateManagerToken ? fresh.manager : cluster.rootCA.joinTokens.manager,
      },
    },
  };
  // A forced CA rotation starts a root rotation, unless one is already running.
  if (u.forceRotateCA) {
    next.rootCA = { ...next.rootCA, lastForcedRotation: next.spec.caConfig.forceRotate };
    if (!cluster.rootCA.rootRotation)
      next.rootCA.rootRotation = newRootRotation(cluster, d.random, d.now(), d.epochMs);
  }
  // Turning autolock on makes a key; rotating makes a new one; turning it off drops it.
  const autolock = next.spec.encryptionConfig.autoLockManagers;
  if (!autolock) next.unlockKey = "";
  else if (!cluster.unlockKey || u.rotateUnlockKey) next.unlockKey = newUnlockKey(d.random);
  d.proposer.propose([{ op: "update", type: "cluster", object: next }], (err) =>
    done(err, err ? undefined : d.store.cluster()),
  );
}

/**
 * The cluster as the control API answers with it (SwarmKit controlapi redactClusters): no CA
 * private key (nor the rotation's), no unlock key, no network bootstrap keys. Join tokens,
 * certificates and the removed-node list stay. Inside the managers the keys travel only as
 * SwarmKit's do: in the raft-replicated store (the CA signer, the key manager), by
 * CA.GetUnlockKey to managers, and not at all to workers (no component of theirs uses them).
 */
export function redactCluster(c: Cluster): Cluster {
  const rotation = c.rootCA.rootRotation;
  return {
    ...c,
    rootCA: {
      ...c.rootCA,
      caKeyPem: "",
      ...(rotation ? { rootRotation: { ...rotation, caKeyPem: "" } } : {}),
    },
    unlockKey: "",
    networkBootstrapKeys: null,
  };
}

export function getUnlockKey(d: ControlDeps): { unlockKey: string } {
  const c = d.store.cluster();
  if (!c) throw new GrpcError("NotFound", "cluster not found");
  return { unlockKey: c.spec.encryptionConfig.autoLockManagers ? c.unlockKey : "" };
}
