// Joining a swarm (SwarmKit node/node.go loadSecurityConfig, ca/certificates.go GetRemoteCA,
// GetRemoteSignedCertificate and RequestAndSaveNewCertificates), in SwarmKit's order of trust:
//   1. fetch the root CA over a connection that verifies nothing (InsecureSkipVerify), and
//      check it against the digest the token pins;
//   2. only then open a connection that verifies the manager against that root (ServerName
//      swarm-ca), with its proof of possession (the handshake's CertificateVerify), and send
//      the token there: a "manager" that serves the public root but holds no certificate of
//      that root, or holds one without its key, never sees the token;
//   3. poll NodeCertificateStatus, and check what comes back before keeping it ("trust, but
//      verify"): it must chain to the pinned root and be valid now, carry our public key, name
//      the node ID the CA gave us, and a swarm role.
import { splitAddr } from "../api/address";
import type { IssueRequest, IssueResponse, RootCAResponse, StatusResponse } from "../api/ca";
import { CA_METHODS } from "../api/methods";
import { CA_ROLE, MANAGER_ROLE, WORKER_ROLE } from "../ca/constants";
import { checkRemoteCA, parseJoinToken } from "../ca/jointoken";
import { rawPublicKey } from "../ca/keys";
import { verifyChain } from "../ca/verify";
import type { Machine } from "../kernel/machine";
import { securityBugs } from "../transport/bugs";
import { GrpcError } from "../transport/grpc-error";
import { type ClientSecurity, RpcClient } from "../transport/rpc-client";
import { verifyServerChain } from "../transport/tls";

export const GET_CERT_RETRIES = 5;
export const GET_CERT_RETRY_INTERVAL_MS = 2000;
const STATUS_POLL_BASE_MS = 1000;
const STATUS_POLL_MAX_MS = 30_000;
const RPC_TIMEOUT_MS = 5000;

export interface Bootstrapped {
  rootPem: string;
  certPem: string;
  nodeId: string;
  role: "manager" | "worker";
}

/** What a join under way holds (closed when the join ends, either way). */
export interface JoinHandle {
  close(): void;
}

/**
 * Runs the join handshake against `remote` (host:port). `done` gets the certificate, or the
 * error dockerd would report (token, fingerprint, the manager's TLS, the CA's refusal, or a
 * certificate that does not check).
 */
export function bootstrapJoin(
  machine: Machine,
  remote: string,
  token: string,
  publicKeyPem: string,
  availability: IssueRequest["availability"],
  epochMs: number,
  done: (err: Error | null, r?: Bootstrapped) => void,
): JoinHandle | null {
  let digest: string;
  try {
    digest = parseJoinToken(token).digestHex;
  } catch (e) {
    done(e as Error);
    return null;
  }
  const [host, port] = splitAddr(remote);
  const target = { address: host, port };
  const weak = securityBugs(machine.sim).joinTrustsEarly === true;
  // Step 1: no client certificate, the server not verified (InsecureSkipVerify).
  const bootstrap = new RpcClient(machine, target, { credentials: () => null });
  let ca: RpcClient | null = null;
  let over = false;
  const finish = (err: Error | null, r?: Bootstrapped) => {
    if (over) return;
    over = true;
    bootstrap.close();
    ca?.close();
    done(err, r);
  };

  const withRetries = (
    client: RpcClient,
    method: string,
    req: unknown,
    cb: (res: any) => void,
    attempt = 1,
  ): void => {
    client.call(method, req, RPC_TIMEOUT_MS, (err, res) => {
      if (over) return;
      if (!err) return cb(res);
      // The CA's answers are final; only transport failures are retried.
      const retriable =
        err.code === "Unavailable" || err.code === "DeadlineExceeded" || err.code === "Aborted";
      if (!retriable || attempt >= GET_CERT_RETRIES) return finish(err);
      machine.after(GET_CERT_RETRY_INTERVAL_MS, () => withRetries(client, method, req, cb, attempt + 1));
    });
  };

  withRetries(bootstrap, CA_METHODS.getRootCA, {}, (res: RootCAResponse) => {
    const rootPem = typeof res?.certificatePem === "string" ? res.certificatePem : "";
    try {
      checkRemoteCA(digest, rootPem);
    } catch (e) {
      return finish(e as Error);
    }
    bootstrap.close();
    // Step 2: a connection that trusts that root alone, and the manager must prove its key.
    const pinned: ClientSecurity = {
      credentials: () => null,
      verifyServer: (chain) => verifyServerChain(chain, rootPem, machine.localNow(), epochMs, CA_ROLE),
    };
    const client = weak
      ? new RpcClient(machine, target, { credentials: () => null })
      : new RpcClient(machine, target, pinned);
    ca = client;
    withRetries(
      client,
      CA_METHODS.issue,
      { token, publicKeyPem, availability } satisfies IssueRequest,
      (issued: IssueResponse) => {
        const nodeId = typeof issued?.nodeId === "string" ? issued.nodeId : "";
        let wait = STATUS_POLL_BASE_MS;
        const poll = () => {
          client.call(CA_METHODS.status, { nodeId }, RPC_TIMEOUT_MS, (err, st: StatusResponse) => {
            if (over) return;
            if (
              !err &&
              st?.state === "issued" &&
              typeof st.certificatePem === "string" &&
              st.certificatePem
            ) {
              // Step 3: trust, but verify.
              const r: Bootstrapped = { rootPem, certPem: st.certificatePem, nodeId, role: st.role };
              const bad = weak ? null : checkIssued(r, publicKeyPem, machine.localNow(), epochMs);
              return finish(bad, bad ? undefined : r);
            }
            if (
              err &&
              !(err instanceof GrpcError && (err.code === "Unavailable" || err.code === "DeadlineExceeded"))
            )
              return finish(err);
            machine.after(wait, poll);
            wait = Math.min(STATUS_POLL_MAX_MS, wait * 2);
          });
        };
        poll();
      },
    );
  });
  return { close: () => finish(new GrpcError("Canceled", "context canceled")) };
}

/**
 * The checks a joining node makes on the certificate the CA sent before it keeps it (SwarmKit's
 * ValidateCertChain against the pinned root, then tls.X509KeyPair with our key); the node ID
 * is the certificate's CN and must be the one the CA answered with, and its role a swarm role.
 * Null when it checks, else the error.
 */
export function checkIssued(
  r: Bootstrapped,
  publicKeyPem: string,
  now: number,
  epochMs: number,
): Error | null {
  const v = verifyChain(r.certPem, r.rootPem, now, { epochMs });
  if (!v.ok) return new Error(v.error);
  let ours: Uint8Array;
  try {
    ours = rawPublicKey(publicKeyPem);
  } catch {
    return new Error("tls: private key does not match public key");
  }
  const theirs = v.leaf.publicRaw;
  if (theirs.length !== ours.length || theirs.some((b, i) => b !== ours[i]))
    return new Error("tls: private key does not match public key");
  if (v.info.nodeId !== r.nodeId)
    return new Error(
      `certificate issued for node ID ${v.info.nodeId}, but the CA answered for node ID ${r.nodeId}`,
    );
  const role = v.info.role === MANAGER_ROLE ? "manager" : v.info.role === WORKER_ROLE ? "worker" : null;
  if (role === null || role !== r.role)
    return new Error(
      `certificate has role ${JSON.stringify(v.info.role)}, not the ${r.role} role the CA reported`,
    );
  return null;
}
