// The CA as the control plane uses it, over the cluster object (api/types Cluster): the signing
// CA of a cluster (during a root rotation too), a new root, join tokens, node certificates, the
// unlock key's text. RootCA objects are cached by their key PEMs, so a renewal never re-parses.
import type { Cluster, JoinTokens, NodeRole } from "../api/types";
import { formatUnlockKey, generateUnlockKey } from "./autolock";
import { certRoleOf } from "./constants";
import { generateJoinToken } from "./jointoken";
import { keyPairFromPem } from "./keys";
import type { RandomSource } from "./random";
import { RootCA } from "./rootca";
import { rootCAFromState, startRootRotation } from "./rotation";

const rootCache = new Map<string, RootCA>();

/** The signing CA of a cluster object (cached by its key). */
export function signerOf(cluster: Cluster, epochMs?: number): RootCA {
  const rot = cluster.rootCA.rootRotation;
  const key = `${cluster.rootCA.caKeyPem}\n${rot?.caKeyPem ?? ""}\n${epochMs ?? ""}`;
  let ca = rootCache.get(key);
  if (!ca) {
    // During a root rotation the new key signs, presenting the cross-signed certificate, so the
    // chain still verifies against the old root (SwarmKit RootCAFromAPI).
    ca = rootCAFromState(
      {
        caCertPem: cluster.rootCA.caCertPem,
        caKey: keyPairFromPem(cluster.rootCA.caKeyPem),
        rotation: rot
          ? {
              caCertPem: rot.caCertPem,
              caKey: keyPairFromPem(rot.caKeyPem),
              crossSignedCaCertPem: rot.crossSignedCACertPem,
            }
          : null,
      },
      epochMs,
    );
    if (rootCache.size > 64) rootCache.clear();
    rootCache.set(key, ca);
  }
  return ca;
}

/** A new root CA for `swarm init`, as the cluster object keeps it. */
export function createRootCA(
  rand: RandomSource,
  now: number,
  epochMs?: number,
): { certPem: string; keyPem: string; digest: string } {
  const ca = RootCA.create(rand, { now, epochMs });
  return { certPem: ca.certPem, keyPem: ca.key!.privateKeyPem, digest: ca.digest() };
}

/** A worker and a manager token for the root `caCertPem`. */
export function newJoinTokens(caCertPem: string, rand: RandomSource): JoinTokens {
  const ca = { digest: () => new RootCA({ certPem: caCertPem }).digest() };
  return { worker: generateJoinToken(ca, rand), manager: generateJoinToken(ca, rand) };
}

/** A node certificate signed by the cluster's CA, with the cluster's certificate expiry. */
export function signNodeCertificate(
  cluster: Cluster,
  req: { nodeId: string; role: NodeRole; publicKeyPem: string; nowMs: number },
  rand: RandomSource,
  epochMs?: number,
): string {
  return signerOf(cluster, epochMs).issueNodeCertificate({
    nodeId: req.nodeId,
    role: certRoleOf(req.role),
    clusterId: cluster.id,
    publicKey: req.publicKeyPem,
    now: req.nowMs,
    expiryMs: cluster.spec.caConfig.nodeCertExpiryMs,
    rand,
  }).certPem;
}

/** Starts a root rotation (phase 1 of SWARMKIT.md §2.5): a new root, cross-signed by the old. */
export function newRootRotation(
  cluster: Cluster,
  rand: RandomSource,
  now: number,
  epochMs?: number,
): NonNullable<Cluster["rootCA"]["rootRotation"]> {
  const r = startRootRotation(signerOf(cluster, epochMs), rand, now);
  return {
    caCertPem: r.caCertPem,
    caKeyPem: r.caKey.privateKeyPem,
    crossSignedCACertPem: r.crossSignedCaCertPem,
  };
}

/** A new unlock key (KEK) in its human-readable form, `SWMKEY-1-...` (SWARMKIT.md §2.6). */
export function newUnlockKey(rand: RandomSource): string {
  return formatUnlockKey(generateUnlockKey(rand));
}
