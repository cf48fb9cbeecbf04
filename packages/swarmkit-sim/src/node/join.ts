// Joining a swarm (SwarmKit node/node.go loadSecurityConfig, ca/certificates.go GetRemoteCA,
// ca/config.go DownloadRootCA and RequestAndSaveNewCertificates): fetch the root CA without
// verifying TLS and check it against the token's digest, ask for a certificate with the token,
// then poll its status until it is issued.
import { splitAddr } from "../api/address";
import type { IssueRequest, IssueResponse, RootCAResponse, StatusResponse } from "../api/ca";
import { CA_METHODS } from "../api/methods";
import { checkRemoteCA, parseJoinToken } from "../ca/jointoken";
import type { Machine } from "../kernel/machine";
import { GrpcError } from "../transport/grpc-error";
import { RpcClient } from "../transport/rpc-client";

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

/**
 * Runs the join handshake against `remote` (host:port). `done` gets the certificate, or the
 * error dockerd would report (token, fingerprint, or the CA's refusal).
 */
export function bootstrapJoin(
  machine: Machine,
  remote: string,
  token: string,
  publicKeyPem: string,
  availability: IssueRequest["availability"],
  done: (err: Error | null, r?: Bootstrapped) => void,
): RpcClient | null {
  let digest: string;
  try {
    digest = parseJoinToken(token).digestHex;
  } catch (e) {
    done(e as Error);
    return null;
  }
  const [host, port] = splitAddr(remote);
  // Bootstrap connection: no client certificate, server not verified (InsecureSkipVerify).
  const client = new RpcClient(machine, { address: host, port }, { clientChain: () => null });
  const finish = (err: Error | null, r?: Bootstrapped) => {
    client.close();
    done(err, r);
  };

  const withRetries = (method: string, req: unknown, cb: (res: any) => void, attempt = 1): void => {
    client.call(method, req, RPC_TIMEOUT_MS, (err, res) => {
      if (client.closed) return;
      if (!err) return cb(res);
      // The CA's answers are final; only transport failures are retried.
      const retriable =
        err.code === "Unavailable" || err.code === "DeadlineExceeded" || err.code === "Aborted";
      if (!retriable || attempt >= GET_CERT_RETRIES) return finish(err);
      machine.after(GET_CERT_RETRY_INTERVAL_MS, () => withRetries(method, req, cb, attempt + 1));
    });
  };

  withRetries(CA_METHODS.getRootCA, {}, (res: RootCAResponse) => {
    try {
      checkRemoteCA(digest, res.certificatePem);
    } catch (e) {
      return finish(e as Error);
    }
    const rootPem = res.certificatePem;
    withRetries(
      CA_METHODS.issue,
      { token, publicKeyPem, availability } satisfies IssueRequest,
      (issued: IssueResponse) => {
        let wait = STATUS_POLL_BASE_MS;
        const poll = () => {
          client.call(
            CA_METHODS.status,
            { nodeId: issued.nodeId },
            RPC_TIMEOUT_MS,
            (err, st: StatusResponse) => {
              if (client.closed) return;
              if (!err && st.state === "issued" && st.certificatePem) {
                return finish(null, {
                  rootPem,
                  certPem: st.certificatePem,
                  nodeId: issued.nodeId,
                  role: st.role,
                });
              }
              if (
                err &&
                !(err instanceof GrpcError && (err.code === "Unavailable" || err.code === "DeadlineExceeded"))
              )
                return finish(err);
              machine.after(wait, poll);
              wait = Math.min(STATUS_POLL_MAX_MS, wait * 2);
            },
          );
        };
        poll();
      },
    );
  });
  return client;
}
