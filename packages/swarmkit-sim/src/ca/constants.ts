// SwarmKit's CA constants (SK ca/config.go, ca/certificates.go, ca/renewer.go). Durations are
// milliseconds, the unit of simulated time.
const HOUR = 3_600_000;

/** Certificate OU of a manager (`ca.ManagerRole`). */
export const MANAGER_ROLE = "swarm-manager";
/** Certificate OU of a worker (`ca.WorkerRole`). */
export const WORKER_ROLE = "swarm-worker";
/** CN of the root CA, and the ServerName a node uses while bootstrapping (`DefaultRootCN`). */
export const CA_ROLE = "swarm-ca";

/** The two roles a node certificate can carry in its OU. */
export type CertRole = typeof MANAGER_ROLE | typeof WORKER_ROLE;
/** The role as the API's Node object spells it. */
export type NodeRole = "manager" | "worker";

export function certRoleOf(role: NodeRole): CertRole {
  return role === "manager" ? MANAGER_ROLE : WORKER_ROLE;
}

export function nodeRoleOf(role: CertRole): NodeRole {
  return role === MANAGER_ROLE ? "manager" : "worker";
}

/** Root CA lifetime: 630720000 s = 20 years of 365 days (`RootCAExpiration`). */
export const ROOT_CA_EXPIRATION_MS = 630_720_000_000;
/** cfssl backdates certificates it signs without an explicit backdate (the root) by 5 minutes. */
export const ROOT_CA_BACKDATE_MS = 5 * 60_000;
/** Default node certificate lifetime: 2160 h, 90 days (`DefaultNodeCertExpiration`). */
export const DEFAULT_NODE_CERT_EXPIRATION_MS = 2160 * HOUR;
/** Smallest node certificate lifetime the signer accepts (`MinNodeCertExpiration`). */
export const MIN_NODE_CERT_EXPIRATION_MS = HOUR;
/** Node certificates are backdated by 1 h against clock skew (`CertBackdate`). */
export const CERT_BACKDATE_MS = HOUR;
/** The control API's refusal of a shorter `--cert-expiry` (SK manager/controlapi/cluster.go). */
export const MIN_CERT_EXPIRY_ERROR = "minimum certificate expiry time is: 1h0m0s";
