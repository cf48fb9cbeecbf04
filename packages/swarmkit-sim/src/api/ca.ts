// What a node and the managers' CA say to each other (SwarmKit api/ca.proto, reduced to what
// the simulation uses); the method names are in methods.ts. Also the node object as the CA
// creates it for a joining node (and `swarm init` for the first manager).
import type { Node, NodeAvailability, NodeRole } from "./types";

/** CA.GetRootCACertificate's answer. */
export interface RootCAResponse {
  certificatePem: string;
}

/** NodeCA.IssueNodeCertificate: a join (with a token) or a renewal (with the node's certificate). */
export interface IssueRequest {
  token?: string;
  publicKeyPem: string;
  availability?: NodeAvailability;
}

export interface IssueResponse {
  nodeId: string;
}

/** NodeCA.NodeCertificateStatus's answer. */
export interface StatusResponse {
  state: string;
  certificatePem: string;
  role: NodeRole;
}

export function newNodeObject(
  id: string,
  role: NodeRole,
  availability: NodeAvailability,
  /** Absent: the signing failed, the certificate is FAILED. */
  pem: string | undefined,
): Omit<Node, "version" | "createdAt" | "updatedAt"> {
  return {
    id,
    spec: { labels: {}, desiredRole: role, availability },
    role,
    status: { state: "unknown", message: "", addr: "" },
    certificate: { role, cn: id, state: pem ? "issued" : "failed", pem },
  };
}
