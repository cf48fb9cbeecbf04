// The shape every leader-only reconciler shares (orchestrators, scheduler, allocator, task
// reaper): watch the store's commits, note what became dirty, and after a short debounce read
// the store and write one batch of changes through the proposer. While a batch is in flight no
// new one is computed, because the store does not show it yet (with Raft it lands later) and a
// second pass would repeat it. Writes that fail are retried after a pause. With the CPU model
// (cost-model.ts), a pass is work on the manager's machine: its batch is written when that
// work is done, so a busy manager writes its decisions late.
import { CpuLane } from "../../kernel/cpu";
import type { Timer } from "../../kernel/event-queue";
import type { LeaderComponent, LeaderContext } from "../component";
import type { CostModel } from "../cost-model";
import type { StoreAction, StoreEvent } from "../store/actions";
import { WriteTx } from "../store/write-tx";

/** SwarmKit splits big batches into transactions of at most this many changes (store.MaxChangesPerTransaction). */
export const MAX_CHANGES_PER_TX = 200;
/** Pause before retrying a batch that could not be written. */
export const RETRY_MS = 500;

export abstract class StoreLoop implements LeaderComponent {
  abstract readonly name: string;
  protected ctx!: LeaderContext;
  protected running = false;
  /** Wait this long after the last event before running (SwarmKit's scheduler: 50 ms). */
  protected debounceMs = 0;
  /** ...but never longer than this after the first one (SwarmKit's scheduler: 1 s). */
  protected maxLatencyMs = Number.POSITIVE_INFINITY;
  private runTimer: Timer | null = null;
  private firstKickAt = -1;
  private inFlight = 0;
  private pendingKick = false;
  private readonly timers = new Set<Timer>();
  /** The loop's passes take effect in order (it is one goroutine). */
  private readonly lane = new CpuLane();
  private readonly onCommit = (c: { events: StoreEvent[] }) => {
    if (this.running && this.observe(c.events)) this.kick();
  };

  start(ctx: LeaderContext): void {
    this.ctx = ctx;
    this.running = true;
    ctx.store.events.on("commit", this.onCommit);
    this.init();
    this.kick();
  }

  stop(): void {
    this.running = false;
    this.ctx?.store.events.off("commit", this.onCommit);
    this.runTimer?.cancel();
    this.runTimer = null;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    this.inFlight = 0;
    this.pendingKick = false;
    this.firstKickAt = -1;
    this.reset();
  }

  /** Called at start: mark everything dirty (a new leader re-reads the whole store). */
  protected abstract init(): void;
  /** Notes what the events made dirty; true if there is work to do. */
  protected abstract observe(events: readonly StoreEvent[]): boolean;
  /**
   * Reads the store, writes decisions into tx. Returns a function that marks the work dirty
   * again, run if the write fails.
   */
  protected abstract reconcile(tx: WriteTx): (() => void) | undefined;
  /** Drops in-memory state at stop. */
  protected abstract reset(): void;

  /** Core-ms a pass that wrote `actions` store actions cost (the scheduler counts its own). */
  protected passCostMs(actions: number, c: CostModel): number {
    return c.reconcileActionMs * actions;
  }

  protected now(): number {
    return this.ctx.sim.now();
  }

  /** A timer on the manager's machine that dies with this component. */
  protected after(ms: number, fn: () => void): Timer {
    const t = this.ctx.machine.after(ms, () => {
      this.timers.delete(t);
      if (this.running) fn();
    });
    this.timers.add(t);
    return t;
  }

  protected cancel(t: Timer | null | undefined): void {
    if (!t) return;
    t.cancel();
    this.timers.delete(t);
  }

  /**
   * This loop's clock, timers, randomness, store and kick, for the supervisors it runs (restart
   * and update supervisors: restart-supervisor.ts's SupervisorHost).
   */
  protected supervisorHost() {
    const self = this;
    return {
      now: () => self.now(),
      after: (ms: number, fn: () => void): Timer => self.after(ms, fn),
      cancel: (t: Timer | null | undefined) => self.cancel(t),
      kick: () => self.kick(),
      get random() {
        return self.ctx.random;
      },
      get store() {
        return self.ctx.store;
      },
    };
  }

  /** Asks for a reconcile pass (debounced). */
  protected kick(): void {
    if (!this.running) return;
    if (this.inFlight > 0) {
      this.pendingKick = true;
      return;
    }
    const now = this.now();
    if (this.firstKickAt < 0) this.firstKickAt = now;
    const latest = this.firstKickAt + this.maxLatencyMs;
    const at = Math.min(now + this.debounceMs, latest);
    if (this.runTimer && this.runTimer.at <= at && this.debounceMs === 0) return;
    this.cancel(this.runTimer);
    this.runTimer = this.after(Math.max(0, at - now), () => {
      this.runTimer = null;
      this.firstKickAt = -1;
      this.runOnce();
    });
  }

  private runOnce(): void {
    const tx = new WriteTx(this.ctx.store, this.now());
    const redo = this.reconcile(tx);
    const actions = coalesce(tx.actions);
    const costs = this.ctx.costs;
    if (!costs) {
      if (actions.length > 0) this.write(actions, redo);
      return;
    }
    const ms = this.passCostMs(actions.length, costs);
    const cpu = this.ctx.machine.cpu;
    if (actions.length === 0) {
      if (ms > 0) cpu.charge(ms);
      return;
    }
    // No other pass while this one's work is under way (its batch is not in the store yet).
    this.inFlight++;
    cpu.run(
      ms,
      () => {
        if (!this.running) return;
        this.inFlight--;
        this.write(actions, redo);
      },
      this.lane,
    );
  }

  /** Proposes a pass's batch, in transactions of at most MAX_CHANGES_PER_TX changes. */
  private write(actions: StoreAction[], redo: (() => void) | undefined): void {
    const chunks: StoreAction[][] = [];
    for (let i = 0; i < actions.length; i += MAX_CHANGES_PER_TX)
      chunks.push(actions.slice(i, i + MAX_CHANGES_PER_TX));
    this.inFlight += chunks.length;
    let failed = false;
    for (const chunk of chunks) {
      this.ctx.proposer.propose(chunk, (err) => {
        if (!this.running) return;
        if (err) failed = true;
        if (--this.inFlight > 0) return;
        if (failed) {
          redo?.();
          this.pendingKick = false;
          this.after(RETRY_MS, () => this.kick());
          return;
        }
        if (this.pendingKick) {
          this.pendingKick = false;
          this.kick();
        }
      });
    }
  }
}

/**
 * Folds repeated writes to one object into one action, so that a transaction can be split into
 * chunks: a second update of an object in a later chunk would carry a stale version.
 * create+update -> create (final value); update+update -> update (final value, first version);
 * create+delete -> nothing; update+delete -> delete.
 */
export function coalesce(actions: readonly StoreAction[]): StoreAction[] {
  const byKey = new Map<string, number>();
  const out: (StoreAction | null)[] = [];
  for (const a of actions) {
    const key = `${a.type}/${a.op === "delete" ? a.id : a.object.id}`;
    const i = byKey.get(key);
    const prev = i === undefined ? null : out[i];
    if (!prev) {
      byKey.set(key, out.length);
      out.push(a);
      continue;
    }
    if (a.op === "delete") {
      out[i!] = prev.op === "create" ? null : a;
      if (prev.op === "create") byKey.delete(key);
    } else if (prev.op === "delete") {
      byKey.set(key, out.length);
      out.push(a);
    } else {
      out[i!] = {
        op: prev.op,
        type: a.type,
        object: prev.op === "update" ? { ...a.object, version: prev.object.version } : a.object,
      };
    }
  }
  return out.filter((a): a is StoreAction => a !== null);
}
