// One call straight to a manager's swarm port from a machine, presenting a certificate chain
// (or none), past dockerd: what a test or a stolen certificate can do. Runs the simulation
// until the manager answers. A node given as the caller's identity lends its certificate and
// its key (read from its disk, as an attacker who owns it would); a bare identity may come
// without its key (the handshake is then signed with a key of the caller's own, and fails).
import { type StolenIdentity, stealIdentity } from "../../src/attack/rogue";
import { generateKeyPair, signingKeyFromPem } from "../../src/ca/keys";
import type { Machine, World } from "../../src/kernel/machine";
import type { SwarmNode } from "../../src/node/swarm-node";
import type { GrpcError } from "../../src/transport/grpc-error";
import type { Credentials } from "../../src/transport/identity";
import { RpcClient } from "../../src/transport/rpc-client";

export interface Answer {
  err: GrpcError | null;
  res?: any;
}

/** Who calls: a node (its certificate and key), a stolen identity, or nobody (no certificate). */
export type Caller = SwarmNode | StolenIdentity | null;

export function credentialsFor(who: Caller, machine: Machine): Credentials | null {
  if (who === null) return null;
  const id = "machine" in who ? stealIdentity(who.machine, { withKey: true }) : who;
  if (!id.chain) return null;
  const key = id.keyPem
    ? signingKeyFromPem(id.keyPem)
    : generateKeyPair(machine.sim.random.fork(`test-caller/${machine.name}`)).privateKey;
  return { chain: id.chain, key };
}

export function callManager(
  sim: World,
  from: Machine,
  to: SwarmNode,
  method: string,
  who: Caller,
  body: unknown = {},
): Answer {
  const [host, port] = to.advertiseAddr.split(":");
  const creds = credentialsFor(who, from);
  const c = new RpcClient(from, { address: host, port: Number(port) }, { credentials: () => creds });
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
