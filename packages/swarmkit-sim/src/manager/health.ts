// The Raft health service and the leader's check of a prospective manager (SwarmKit raft.go
// checkHealth, SWARMKIT.md §3.4): before proposing ConfChangeAddNode the leader dials the new
// member at the address it advertised and asks `Health.Check("Raft")`, with a 5 s timeout, so a
// manager nobody can reach is never added (it would count in the quorum while unreachable).
import { splitAddr } from "../api/address";
import { HEALTH_CHECK } from "../api/methods";
import { MANAGER_ROLE } from "../ca/constants";
import type { Machine } from "../kernel/machine";
import { GrpcError } from "../transport/grpc-error";
import type { Credentials } from "../transport/identity";
import { type ClientSecurity, RpcClient } from "../transport/rpc-client";
import { RpcServer } from "../transport/rpc-server";
import { authLevelOf, authorizePeer, verifyPeerChain } from "../transport/tls";
import { parseHealthCheck } from "./validate";

export const HEALTH_CHECK_TIMEOUT_MS = 5000;
export const ERR_HEALTH_CHECK_FAILURE =
  "could not connect to prospective new cluster member using its advertised address";

export interface HealthCheckRequest {
  service: string;
}
export interface HealthCheckResponse {
  status: "SERVING" | "NOT_SERVING";
}

/**
 * Answers health checks on a manager's server (managers only, as SwarmKit's Health service):
 * the server itself ("") and Raft are serving; another service is NotFound "unknown service"
 * (manager/health/health.go Check).
 */
export function serveHealth(server: RpcServer): void {
  server.handle(HEALTH_CHECK, authLevelOf(HEALTH_CHECK), (req, call) => {
    parseHealthCheck(req, HEALTH_SERVICES);
    call.reply({ status: "SERVING" } satisfies HealthCheckResponse);
  });
}

const HEALTH_SERVICES = ["Raft"];

/**
 * A manager about to ask to join raft already listens on its swarm port (as SwarmKit's manager
 * serves gRPC before it calls Join): this server answers the leader's health check until the
 * real manager server takes the port over. Call stop() on it before starting the manager.
 */
export function startJoinHealthServer(
  machine: Machine,
  port: number,
  tls: { credentials(): Credentials | null; trustRoots(): string[] },
  clusterId: string,
  epochMs: number,
): RpcServer {
  const server = new RpcServer(machine, port, {
    verifyClient: (chain) => verifyPeerChain(chain, tls.trustRoots(), machine.localNow(), epochMs),
    serverCredentials: () => tls.credentials(),
    authorize: (peer) => authorizePeer(peer, [MANAGER_ROLE], clusterId, undefined),
    authorizeForwarded: () => new GrpcError("PermissionDenied", "Permission denied: forwarding not served"),
  });
  serveHealth(server);
  server.start();
  return server;
}

/**
 * The leader's check: null when `addr` answers SERVING within the timeout, else the error
 * SwarmKit wraps (`could not connect ...: <cause>`; gRPC code Unknown, as errors.Wrap gives).
 */
export function checkHealth(
  machine: Machine,
  addr: string,
  security: ClientSecurity,
  done: (err: GrpcError | null) => void,
): void {
  const [host, port] = splitAddr(addr);
  const c = new RpcClient(machine, { address: host, port }, security);
  c.call(
    HEALTH_CHECK,
    { service: "Raft" } satisfies HealthCheckRequest,
    HEALTH_CHECK_TIMEOUT_MS,
    (err, res: HealthCheckResponse | undefined) => {
      c.close();
      if (err) return done(new GrpcError("Unknown", `${ERR_HEALTH_CHECK_FAILURE}: ${err.message}`));
      if (res?.status !== "SERVING")
        return done(new GrpcError("Unknown", `health check returned status ${res?.status ?? "UNKNOWN"}`));
      done(null);
    },
  );
}
