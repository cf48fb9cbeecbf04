// Root CA rotation (`docker swarm ca --rotate`, SK manager/controlapi/ca_rotation.go,
// ca/server.go RootCAFromAPI, ca/reconciler.go). Three phases:
//   1. start: make a new root and cross-sign it with the old key. Nodes keep trusting the old
//      root; new certificates are signed with the new key and carry the cross-signed
//      certificate as an intermediate, so they verify against the old root (and the new one).
//   2. reissue: every node renews (the reconciler's job, not this file's).
//   3. finish: the new root becomes the only root; certificates carry no intermediate.
import type { KeyPair } from "./keys";
import type { RandomSource } from "./random";
import { RootCA } from "./rootca";

/** What the cluster object stores while a rotation runs (api.RootRotation). */
export interface RootRotation {
  /** The new root certificate. */
  caCertPem: string;
  caKey: KeyPair;
  /** The new root's certificate signed by the old root's key. */
  crossSignedCaCertPem: string;
}

/** The cluster object's CA state (api.RootCA, the parts that matter here). */
export interface RootCAState {
  caCertPem: string;
  caKey: KeyPair | null;
  rotation: RootRotation | null;
}

/** Phase 1: a fresh root, cross-signed by the current one (which must hold its key). */
export function startRootRotation(current: RootCA, rand: RandomSource, now: number): RootRotation {
  const next = RootCA.create(rand, { now, epochMs: current.epochMs });
  return { caCertPem: next.certPem, caKey: next.key!, crossSignedCaCertPem: current.crossSign(next.certPem) };
}

/**
 * The CA a manager signs with for a given cluster state (RootCAFromAPI): during a rotation the
 * trust root stays the old certificate, while the signer is the new key, presented through the
 * cross-signed certificate, which is also appended to every certificate issued.
 */
export function rootCAFromState(state: RootCAState, epochMs?: number): RootCA {
  if (state.rotation) {
    return new RootCA({
      certPem: state.caCertPem,
      key: state.rotation.caKey,
      signingCertPem: state.rotation.crossSignedCaCertPem,
      intermediatesPem: state.rotation.crossSignedCaCertPem,
      epochMs,
    });
  }
  return new RootCA({ certPem: state.caCertPem, key: state.caKey, epochMs });
}

/** Phase 3: the new root replaces the old one; the rotation record is dropped. */
export function finishRootRotation(state: RootCAState): RootCAState {
  if (!state.rotation) throw new Error("no root rotation in progress");
  return { caCertPem: state.rotation.caCertPem, caKey: state.rotation.caKey, rotation: null };
}
