// The root-rotation reconciler (SwarmKit ca/reconciler.go), run on the leader: while a root
// rotation is in progress, it asks nodes whose certificate is not yet signed by the new key
// to renew (IssuanceState ROTATE), at most 30 per batch, one batch every 3 s; once every node
// reports (in its description's TLSInfo) a certificate from the new key it finishes the rotation: the new root becomes the only root, and
// both join tokens are regenerated (their digest changed).
import type { Timer } from "../kernel/event-queue";
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import { newJoinTokens } from "../ca/cluster-pki";
import { caDigest } from "../ca/jointoken";
import { certificateInfo } from "../ca/certificate";
import type { Proposer } from "./store/actions";
import type { MemoryStore } from "./store/memory-store";
import { WriteTx } from "./store/write-tx";

export const ROTATE_MAX_BATCH = 30;
export const ROOT_RECONCILE_INTERVAL_MS = 3000;

export class CaReconciler {
  private timer: Timer | null = null;
  private running = false;

  constructor(
    private readonly machine: Machine,
    private readonly store: MemoryStore,
    private readonly proposer: Proposer,
    private readonly random: Random,
  ) {}

  start(): void {
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = null;
  }

  private schedule(): void {
    if (this.running) this.timer = this.machine.after(ROOT_RECONCILE_INTERVAL_MS, () => this.run());
  }

  private run(): void {
    const c = this.store.cluster();
    const rot = c?.rootCA.rootRotation;
    if (!c || !rot) {
      this.schedule();
      return;
    }
    const tx = new WriteTx(this.store, this.machine.sim.now());
    let unconverged = 0;
    let batch = 0;
    const newKey = certificateInfo(rot.caCertPem).publicKeyPem;
    for (const n of this.store.values("node")) {
      // Converged: the node reports (its description's TLSInfo) a certificate from the new key.
      if (n.description?.tlsInfo?.certIssuerPublicKey === newKey) continue;
      unconverged++;
      if (n.certificate.state === "rotate" || batch >= ROTATE_MAX_BATCH) continue;
      batch++;
      tx.update("node", n.id, (x) => {
        x.certificate = { ...x.certificate, state: "rotate" };
      });
    }
    if (unconverged === 0) {
      tx.update("cluster", c.id, (x) => {
        x.rootCA = {
          ...x.rootCA,
          caCertPem: rot.caCertPem,
          caKeyPem: rot.caKeyPem,
          caCertHash: caDigest(rot.caCertPem),
          joinTokens: newJoinTokens(rot.caCertPem, this.random),
          rootRotation: undefined,
        };
        delete x.rootCA.rootRotation;
      });
    }
    if (tx.actions.length === 0) {
      this.schedule();
      return;
    }
    this.proposer.propose(tx.actions, () => this.schedule());
  }
}
