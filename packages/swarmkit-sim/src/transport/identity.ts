// Who is on the other end of a connection, as the manager learns it from the TLS handshake
// (the certificate's CN, OU and O: SWARMKIT.md §2.2), and what a side presents to prove it.
import type { KeyObject } from "node:crypto";
import type { CertRole } from "../ca/constants";

export type { CertRole };

export interface PeerIdentity {
  nodeId: string;
  role: CertRole;
  clusterId: string;
}

/** What a side presents in the handshake: its certificate PEM (with intermediates), or nothing. */
export type CertChain = string | null;

/**
 * A side's TLS identity: its chain, and the private key of the chain's leaf, with which it
 * signs the handshake's transcript (proof of possession).
 */
export interface Credentials {
  chain: string;
  key: KeyObject;
}

/** A chain that verified against the trust roots: whom it names, and its leaf's public key. */
export interface VerifiedPeer {
  peer: PeerIdentity;
  publicKey: KeyObject;
}

/** Which certificates may call a method (SWARMKIT.md §2.3). */
export type AuthLevel = "insecure" | "managers" | "any";
