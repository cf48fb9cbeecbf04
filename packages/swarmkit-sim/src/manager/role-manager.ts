// The role manager (SwarmKit manager/role_manager.go), run on the leader: it makes each node's
// Role follow its DesiredRole. Promotion is immediate. Demotion first takes the member out of
// Raft (or, for the leader itself, hands leadership over so the next leader removes it), and
// only then sets Role=worker, so a worker certificate is never issued to a raft member.
import type { Node } from "../api/types";
import type { Timer } from "../kernel/event-queue";
import type { Machine } from "../kernel/machine";
import type { Consensus } from "./consensus";
import type { Proposer, StoreEvent } from "./store/actions";
import type { MemoryStore } from "./store/memory-store";
import { WriteTx } from "./store/write-tx";

export const ROLE_RECONCILE_INTERVAL_MS = 5000;
/** How long the role manager waits for one raft removal (SwarmKit removalTimeout). */
export const REMOVAL_TIMEOUT_MS = 5000;

export class RoleManager {
  private timer: Timer | null = null;
  private running = false;
  private busy = new Set<string>();
  private readonly onChange = (e: StoreEvent) => {
    if (e.type === "node" && e.op !== "delete") {
      const n = e.object as Node;
      if (n.role !== n.spec.desiredRole) this.reconcile(n);
    }
  };

  constructor(
    private readonly machine: Machine,
    private readonly store: MemoryStore,
    private readonly proposer: Proposer,
    private readonly consensus: Consensus,
  ) {}

  start(): void {
    this.running = true;
    this.store.events.on("change", this.onChange);
    this.tick();
  }

  stop(): void {
    this.running = false;
    this.store.events.off("change", this.onChange);
    this.timer?.cancel();
    this.timer = null;
    this.busy.clear();
  }

  /** Retries every 5 s while some node's role is not what was asked. */
  private tick(): void {
    if (!this.running) return;
    let pending = false;
    for (const n of this.store.values("node")) {
      if (n.role !== n.spec.desiredRole) {
        pending = true;
        this.reconcile(n);
      }
    }
    this.timer = pending ? this.machine.after(ROLE_RECONCILE_INTERVAL_MS, () => this.tick()) : null;
  }

  private ensureTicking(): void {
    if (!this.timer && this.running)
      this.timer = this.machine.after(ROLE_RECONCILE_INTERVAL_MS, () => this.tick());
  }

  private reconcile(n: Node): void {
    if (!this.running || this.busy.has(n.id)) return;
    this.ensureTicking();
    if (n.spec.desiredRole === "manager") {
      this.setRole(n.id, "manager");
      return;
    }
    const member = this.consensus.members().find((m) => m.nodeId === n.id);
    if (!member) {
      this.setRole(n.id, "worker");
      return;
    }
    // SwarmKit's quorum safeguard, before a hand-over as before a removal.
    if (!this.consensus.canRemoveMember(member.raftId)) return;
    if (member.raftId === this.consensus.raftId) {
      // Demoting the leader: hand over; the next leader's role manager removes us. Only once
      // no other demoted member can still be removed: handing leadership to the peer active
      // longest could pick that member, whose role manager would hand it straight back (two
      // demoted managers passed leadership to and fro every millisecond, and no node's session
      // lasted). Removed first, it cannot be picked. (SwarmKit's role manager removes one
      // member at a time, waiting up to removalTimeout for each, so it gets there in the end.)
      if (this.otherRemovableDemotion(n.id)) return;
      this.busy.add(n.id);
      this.consensus.transferLeadership(() => this.busy.delete(n.id));
      return;
    }
    this.busy.add(n.id);
    const release = () => this.busy.delete(n.id);
    // Waited for at most removalTimeout: the next reconciliation looks again (a removal that
    // commits later is then found done, and the role set).
    let waiting = true;
    const timeout = this.machine.after(REMOVAL_TIMEOUT_MS, () => {
      waiting = false;
      release();
    });
    this.consensus.removeMember(member.raftId, (err) => {
      if (!waiting) return;
      waiting = false;
      timeout.cancel();
      release();
      if (!err) this.setRole(n.id, "worker");
    });
  }

  /** Whether another node waits for demotion and is a raft member that can be removed now. */
  private otherRemovableDemotion(selfId: string): boolean {
    for (const m of this.consensus.members()) {
      if (m.nodeId === selfId) continue;
      const n = this.store.get("node", m.nodeId);
      if (n?.spec.desiredRole === "worker" && this.consensus.canRemoveMember(m.raftId)) return true;
    }
    return false;
  }

  private setRole(nodeId: string, role: Node["role"]): void {
    const cur = this.store.get("node", nodeId);
    if (!cur || cur.role === role) return;
    this.busy.add(nodeId);
    const tx = new WriteTx(this.store, this.machine.sim.now());
    tx.update("node", nodeId, (n) => {
      n.role = role;
    });
    this.proposer.propose(tx.actions, () => this.busy.delete(nodeId));
  }
}
