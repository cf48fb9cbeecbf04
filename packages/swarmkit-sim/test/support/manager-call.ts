// One call straight to a manager's swarm port from a machine, presenting a certificate chain
// (or none), past dockerd: what a test or a stolen certificate can do. Runs the simulation
// until the manager answers.
import type { Machine } from "../../src/kernel/machine";
import type { World } from "../../src/kernel/machine";
import type { SwarmNode } from "../../src/node/swarm-node";
import type { GrpcError } from "../../src/transport/grpc-error";
import { RpcClient } from "../../src/transport/rpc-client";

export interface Answer {
  err: GrpcError | null;
  res?: any;
}

export function callManager(
  sim: World,
  from: Machine,
  to: SwarmNode,
  method: string,
  chain: string | null,
  body: unknown = {},
): Answer {
  const [host, port] = to.advertiseAddr.split(":");
  const c = new RpcClient(from, { address: host, port: Number(port) }, { clientChain: () => chain });
  let out: Answer | undefined;
  c.call(method, body, 5000, (err, res) => {
    out = { err, res };
  });
  sim.runUntil(() => out !== undefined, 10_000);
  c.close();
  if (!out) throw new Error(`${method}: no answer`);
  return out;
}

/** "ok", or `Code: description`. */
export const outcome = (a: Answer): string => (a.err ? `${a.err.code}: ${a.err.desc}` : "ok");
