// Who is on the other end of a connection, as the manager learns it from the TLS handshake
// (the certificate's CN, OU and O: SWARMKIT.md §2.2).
import type { CertRole } from "../ca/constants";

export type { CertRole };

export interface PeerIdentity {
  nodeId: string;
  role: CertRole;
  clusterId: string;
}

/** What a side presents in the handshake: its certificate PEM (with intermediates), or nothing. */
export type CertChain = string | null;

/** Which certificates may call a method (SWARMKIT.md §2.3). */
export type AuthLevel = "insecure" | "managers" | "any";
