// What a stolen certificate opens: a call from a node's machine straight to a manager's swarm
// port, presenting a given identity (a certificate, with or without its key), past dockerd and
// its CLI checks. The manager's mutual TLS (with proof of possession) and per-method role
// checks are all that stand in the way. The calls go through the attacker's toolbox (Rogue).
import { type Machine, Rogue, type Sim, type StolenIdentity } from "@swarm-sim/swarmkit-sim";

/** The manager's answer to one call: null when it served it, else `Code: message`. */
export function callManager(
  sim: Sim,
  from: Machine,
  managerAddr: string,
  method: string,
  identity: StolenIdentity | null,
  body: unknown = {},
): string | null {
  return Rogue.on(sim, from).present(identity).callNow(managerAddr, method, body).err;
}

/** Refused by the role check (PermissionDenied) or by the TLS handshake (Unavailable). */
export function refused(answer: string | null): boolean {
  return answer !== null && /^(PermissionDenied|Unavailable):/.test(answer);
}
