// Deliberately weakened security, for tests that must see an attack succeed once the defence
// is taken away (each attack test runs its attack twice: against the real checks, where it is
// refused, and against one of these, where it must get through, or the test could not fail).
// Set per simulation, before the machines' servers and clients are made (they read it once);
// never set outside tests.
import type { World } from "../kernel/machine";

export interface SecurityBugs {
  /** Handshakes skip the CertificateVerify checks: a certificate without its key is believed. */
  noProofOfPossession?: boolean;
  /**
   * The server finds a request's connection by the client's connection number in the message
   * (one table for every source, unbounded, the binder unchecked), as before the handshake
   * bound connections to their kernel source.
   */
  connectionFromPayload?: boolean;
  /** A joining node sends its token over the unverified bootstrap connection and keeps any certificate. */
  joinTrustsEarly?: boolean;
  /** The control API answers with the cluster object as stored (CA key, unlock key, network keys). */
  noRedaction?: boolean;
  /**
   * The CA signs a renewal with the role of the certificate presented, not the node's current
   * role: a promotion or demotion never reaches the certificate.
   */
  renewalKeepsPresentedRole?: boolean;
}

const NONE: SecurityBugs = Object.freeze({});
const bySim = new WeakMap<World, SecurityBugs>();

/** Weakens this simulation's security (tests only). */
export function setSecurityBugs(sim: World, bugs: SecurityBugs): void {
  bySim.set(sim, { ...bugs });
}

/** The weakenings in force in this simulation (none, normally). */
export function securityBugs(sim: World): SecurityBugs {
  return bySim.get(sim) ?? NONE;
}
