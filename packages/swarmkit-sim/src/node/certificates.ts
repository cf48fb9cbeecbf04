// A node's certificates (SwarmKit ca/config.go, ca/renewer.go): its TLS certificate and the
// trust root on disk, the TLS hooks the agent's and the manager's connections use, and renewal
// on the machine's clock: at a random moment between 50 % and 80 % of the validity, at once
// (after 500 ms) when the node's role changes or a root rotation asks for it, with go-events'
// backoff after a failure. A renewal asks the CA for a certificate for the same key, with the
// role the node object has now; the node installs what comes back (role changes follow).
import { splitAddr } from "../api/address";
import type { StatusResponse } from "../api/ca";
import type { NodeSummary } from "../api/dispatcher";
import { CA_METHODS } from "../api/methods";
import type { NodeRole } from "../api/types";
import { certificateInfo } from "../ca/certificate";
import { keyPairFromPem } from "../ca/keys";
import { calculateRandomExpiry, FORCED_RENEWAL_DELAY_MS, renewalBackoff } from "../ca/renewal";
import { certificateSignedBy } from "../ca/verify";
import { MANAGER_ROLE, WORKER_ROLE } from "../ca/constants";
import { rawPublicKey } from "../ca/keys";
import type { Timer } from "../kernel/event-queue";
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { Credentials } from "../transport/identity";
import { type ClientSecurity, RpcClient } from "../transport/rpc-client";
import { credentialsOf, verifyServerChain } from "../transport/tls";
import { NODE_CERT, ROOT_CERT } from "./state";

type Done = (err: Error | null) => void;

/** What renewal needs of its node. */
export interface CertificateOwner {
  readonly machine: Machine;
  readonly epochMs: number;
  /** A fresh random stream for one operation. */
  rand(what: string): Random;
  /** The node's run: answers that come back in another run are dropped. */
  incarnation(): number;
  /** The manager to ask ("" when none is known; null when the node is in no swarm). */
  renewalTarget(): string | null;
  /** The node's TLS key (PEM), "" when it has none. */
  keyPem(): string;
  /** The role the node holds now (null outside a swarm). */
  role(): NodeRole | null;
  /** A renewed certificate came, for `role`: the node stores it and follows the role. */
  install(certPem: string, role: NodeRole): void;
}

export class NodeCertificates {
  /** The node's certificate (PEM, with intermediates), "" when it has none. */
  certPem = "";
  /** The root it trusts (PEM), "" when it has none. */
  rootPem = "";
  private renewTimer: Timer | null = null;
  /** The renewal request in flight, if any. */
  private request: RpcClient | null = null;
  private failures = 0;

  constructor(private readonly owner: CertificateOwner) {}

  /** The node's certificate and the key that proves it (null without both). */
  credentials(): Credentials | null {
    return credentialsOf(this.certPem, this.owner.keyPem());
  }

  /** What the node's servers present and trust (the manager, the join health server). */
  tls(): { credentials(): Credentials | null; trustRoots(): string[] } {
    return {
      credentials: () => this.credentials(),
      trustRoots: () => (this.rootPem ? [this.rootPem] : []),
    };
  }

  /** How the node dials a manager: its certificate, and the manager's checked against the root. */
  clientSecurity(): ClientSecurity {
    return {
      credentials: () => this.credentials(),
      verifyServer: (chain: string | null) =>
        verifyServerChain(chain, this.rootPem, this.owner.machine.localNow(), this.owner.epochMs),
    };
  }

  /** Reads both from the disk (boot). */
  load(): void {
    const disk = this.owner.machine.disk;
    this.certPem = (disk.read(NODE_CERT) as string) ?? "";
    this.rootPem = (disk.read(ROOT_CERT) as string) ?? "";
  }

  /** Writes both (not synced). */
  write(): void {
    const disk = this.owner.machine.disk;
    disk.write(NODE_CERT, this.certPem);
    disk.write(ROOT_CERT, this.rootPem);
  }

  /** Keeps a renewed certificate (not synced). */
  keep(certPem: string): void {
    this.certPem = certPem;
    this.owner.machine.disk.write(NODE_CERT, certPem);
  }

  /**
   * The node left the swarm: no certificate, no renewal. A request in flight is forgotten (its
   * answer comes to another run of the node and is dropped), so a later swarm can renew.
   */
  clear(): void {
    this.cancelRenewal();
    this.request = null;
    this.certPem = this.rootPem = "";
  }

  /** The machine halted: renewal stops (its timers died with the machine's processes). */
  halted(): void {
    this.cancelRenewal();
    this.request = null;
  }

  cancelRenewal(): void {
    this.renewTimer?.cancel();
    this.renewTimer = null;
  }

  /** Schedules the next renewal at a random moment in [50 %, 80 %) of the validity. */
  schedule(): void {
    this.renewTimer?.cancel();
    if (!this.certPem) return;
    const info = certificateInfo(this.certPem, this.owner.epochMs);
    const at = calculateRandomExpiry(info.notBefore, info.notAfter, this.owner.rand("renewal"));
    const m = this.owner.machine;
    this.renewTimer = m.after(Math.max(0, at - m.localNow()), () => this.renew());
  }

  /**
   * The node object changed (its session's push): trust a new root once our certificate is from
   * it (a root rotation finished), and renew soon if the role changed or a rotation asks for it.
   */
  nodeChanged(n: NodeSummary): void {
    const role = this.owner.role();
    if (role === null) return;
    const m = this.owner.machine;
    if (n.rootCAPem && n.rootCAPem !== this.rootPem && certificateSignedBy(this.certPem, n.rootCAPem)) {
      this.rootPem = n.rootCAPem;
      m.disk.write(ROOT_CERT, this.rootPem);
      m.disk.fsync();
    }
    if (n.role !== role || n.certState === "rotate") {
      this.renewTimer?.cancel();
      this.renewTimer = m.after(FORCED_RENEWAL_DELAY_MS, () => this.renew());
    }
  }

  /** Asks the CA for a new certificate (same key), with the role the node object has now. */
  renew(done?: Done): void {
    const target = this.owner.renewalTarget();
    if (!target || this.request) {
      done?.(null);
      return;
    }
    const owner = this.owner;
    const inc = owner.incarnation();
    const [host, port] = splitAddr(target);
    const c = new RpcClient(owner.machine, { address: host, port }, this.clientSecurity());
    this.request = c;
    const fail = (err: Error) => {
      c.close();
      this.request = null;
      this.failures++;
      this.renewTimer?.cancel();
      this.renewTimer = owner.machine.after(
        Math.max(1000, renewalBackoff(this.failures, owner.rand("backoff"))),
        () => this.renew(),
      );
      done?.(err);
    };
    const key = owner.keyPem();
    const publicKeyPem = key ? keyPairFromPem(key).publicKeyPem : "";
    c.call(CA_METHODS.issue, { publicKeyPem }, 5000, (err, res) => {
      if (inc !== owner.incarnation()) return;
      if (err) return fail(err);
      c.call(CA_METHODS.status, { nodeId: res?.nodeId }, 5000, (err2, st: StatusResponse) => {
        c.close();
        if (inc !== owner.incarnation()) return;
        if (err2 || st?.state !== "issued") return fail(err2 ?? new Error("certificate not issued"));
        // Before it replaces ours: it must carry our key and our node ID, and a swarm role.
        const bad = renewedCertificateError(st, res?.nodeId, publicKeyPem, owner.epochMs);
        if (bad) return fail(bad);
        this.request = null;
        this.failures = 0;
        owner.install(st.certificatePem, st.role);
        done?.(null);
      });
    });
  }
}

/**
 * What is wrong with a renewed certificate the CA sent (null: nothing): unreadable, not for our
 * key, not for our node ID, or without a swarm role matching the one reported. Its chain is
 * checked when it is used (our trust root may be about to change in a root rotation).
 */
function renewedCertificateError(
  st: StatusResponse,
  nodeId: unknown,
  publicKeyPem: string,
  epochMs: number,
): Error | null {
  try {
    const info = certificateInfo(st.certificatePem, epochMs);
    const ours = rawPublicKey(publicKeyPem);
    const theirs = rawPublicKey(info.publicKeyPem);
    if (theirs.length !== ours.length || theirs.some((b, i) => b !== ours[i]))
      return new Error("tls: private key does not match public key");
    if (info.nodeId !== nodeId)
      return new Error(`certificate issued for node ID ${info.nodeId}, not ${String(nodeId)}`);
    const role = info.role === MANAGER_ROLE ? "manager" : info.role === WORKER_ROLE ? "worker" : null;
    if (role === null || role !== st.role)
      return new Error(`certificate has role ${JSON.stringify(info.role)}`);
    return null;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}
