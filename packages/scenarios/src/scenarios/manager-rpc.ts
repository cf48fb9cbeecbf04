// What a stolen certificate opens: a call from a node's machine straight to a manager's swarm
// port, presenting a given certificate chain, past dockerd and its CLI checks. The manager's
// mutual TLS and per-method role checks are all that stand in the way.
import { type Machine, RpcClient, type Sim, splitHostPort } from "@swarm-sim/swarmkit-sim";

/** The manager's answer to one call: null when it served it, else `Code: message`. */
export function callManager(
  sim: Sim,
  from: Machine,
  managerAddr: string,
  method: string,
  chain: string | null,
  body: unknown = {},
): string | null {
  const addr = splitHostPort(managerAddr);
  if (!addr) throw new Error(`not a host:port address: ${managerAddr}`);
  const client = new RpcClient(
    from,
    { address: addr.host, port: Number(addr.port) },
    { clientChain: () => chain },
  );
  let answer: { err: string | null } | undefined;
  client.call(method, body, 5000, (err) => {
    answer = { err: err ? `${err.code}: ${err.message}` : null };
  });
  sim.runUntil(() => answer !== undefined, 10_000);
  client.close();
  return answer ? answer.err : "DeadlineExceeded: no answer";
}

/** Refused by the role check (PermissionDenied) or by the TLS handshake (Unavailable). */
export function refused(answer: string | null): boolean {
  return answer !== null && /^(PermissionDenied|Unavailable):/.test(answer);
}
