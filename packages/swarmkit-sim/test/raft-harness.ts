// A cluster of RaftHosts on simulated machines, with a key-value store as the state machine,
// for the raft glue's tests: one machine per member (m1, m2, ...), raft IDs 1, 2, ..., the
// invariant checker attached to every member, and KV clients that record a history for the
// linearizability checker.
import {
  applyKv,
  InvariantChecker,
  type KvInput,
  type KvOperation,
  type KvOutput,
  type NodeId,
} from "@swarm-sim/raft";
import type { LinkConfig } from "../src/kernel";
import { Sim } from "../src/kernel";
import type { Machine } from "../src/kernel/machine";
import { RaftHost, type RaftHostOptions, type RaftStateMachine } from "../src/manager/raft";

/** The replicated key-value store: applies KvInput commands, answers as applyKv does. */
export class KvStateMachine implements RaftStateMachine {
  data = new Map<string, string>();
  /** Every payload applied, in order (tests compare these across members). */
  appliedLog: unknown[] = [];

  /** `onApply` sees each command's ID and answer (the test's oracle of what took effect). */
  constructor(private readonly onApply?: (opId: string, output: KvOutput) => void) {}

  apply(payload: unknown): unknown {
    this.appliedLog.push(payload);
    const cmd = payload as { opId?: string; input?: KvInput };
    if (!cmd || typeof cmd !== "object" || !cmd.input) return null;
    const key = cmd.input.key;
    const [out, next] = applyKv(this.data.get(key) ?? null, cmd.input);
    if (next === null) this.data.delete(key);
    else this.data.set(key, next);
    if (cmd.opId !== undefined) this.onApply?.(cmd.opId, out);
    return out;
  }

  snapshot(): unknown {
    return { data: [...this.data], log: this.appliedLog.slice() };
  }

  restore(snap: unknown): void {
    const s = snap as { data: [string, string][]; log: unknown[] } | undefined;
    this.data = new Map(s?.data ?? []);
    this.appliedLog = s?.log.slice() ?? [];
  }

  get(key: string): string | null {
    return this.data.get(key) ?? null;
  }
}

export interface ClusterOptions {
  size: number;
  seed: number;
  link?: LinkConfig;
  host?: Partial<Omit<RaftHostOptions, "machine" | "id" | "peers" | "stateMachine">>;
  /** Attach the invariant checker (default true). */
  check?: boolean;
  /** Extra machines with empty members that are not in the cluster until added (default 0). */
  spares?: number;
}

export class RaftCluster {
  readonly sim: Sim;
  readonly machines: Machine[] = [];
  readonly hosts: RaftHost[] = [];
  readonly kv: KvStateMachine[] = [];
  readonly checker: InvariantChecker | undefined;
  readonly names: string[];
  /** When each KV command was first applied anywhere, and what it answered. */
  readonly firstApplied = new Map<string, { at: number; output: KvOutput }>();
  /** The command ID of each write a KvClient sent. */
  readonly opIds = new Map<KvOperation, string>();

  constructor(readonly opts: ClusterOptions) {
    this.sim = new Sim({ seed: opts.seed });
    if (opts.link) this.sim.net.setDefaultLink(opts.link);
    const sim = this.sim;
    if (opts.check !== false)
      this.checker = new InvariantChecker({ seed: opts.seed, traceTail: () => sim.trace.tail(30) });
    const total = opts.size + (opts.spares ?? 0);
    this.names = Array.from({ length: total }, (_, i) => `m${i + 1}`);
    for (const name of this.names) this.machines.push(this.sim.addMachine(name, { start: false }));
    const peers = this.machines.map((m, i) => ({ id: i + 1, address: m.address }));
    this.machines.forEach((machine, i) => {
      const kv = new KvStateMachine((opId, output) => {
        if (!this.firstApplied.has(opId)) this.firstApplied.set(opId, { at: this.sim.now(), output });
      });
      this.kv.push(kv);
      const initial = i < opts.size;
      this.hosts.push(
        new RaftHost({
          machine,
          id: i + 1,
          // The first `size` members found the cluster. A spare starts empty and is told the
          // members' addresses (as SwarmKit's join answer does) but is no voter until added.
          peers: initial ? peers.slice(0, opts.size) : peers,
          bootstrap: initial,
          stateMachine: kv,
          observer: this.checker,
          ...opts.host,
        }),
      );
    });
    for (const m of this.machines) m.start();
  }

  host(id: NodeId): RaftHost {
    return this.hosts[id - 1];
  }

  /** The running leader with the highest term, if any. */
  leader(): RaftHost | undefined {
    let best: RaftHost | undefined;
    for (const h of this.hosts) {
      if (!h.running || !h.isLeader()) continue;
      if (!best || h.status()!.term > best.status()!.term) best = h;
    }
    return best;
  }

  /** Runs until a leader that every running member follows exists; returns how long it took (ms) or -1. */
  waitForStableLeader(limitMs: number): number {
    const t0 = this.sim.now();
    const ok = this.sim.runUntil(() => this.stableLeader() !== undefined, limitMs);
    return ok ? this.sim.now() - t0 : -1;
  }

  /**
   * Settles the writes whose client never heard back, from what the cluster actually applied
   * (call it once the cluster has healed and settled: an entry not applied by then never will
   * be). One that was applied took effect no later than its first application anywhere, with
   * the answer the state machine gave; one that was not applied never happened. This removes
   * nothing the checker needs (every value a read saw came from an applied write) and spares it
   * an exponential search over the orders of writes of unknown outcome.
   */
  resolveIndeterminate(history: KvOperation[]): KvOperation[] {
    const out: KvOperation[] = [];
    for (const op of history) {
      if (op.return !== undefined) {
        out.push(op);
        continue;
      }
      const id = this.opIds.get(op);
      const fa = id === undefined ? undefined : this.firstApplied.get(id);
      if (fa) out.push({ ...op, return: fa.at, output: fa.output });
    }
    return out;
  }

  /** A leader whose term and leadership every running voter (in its view) shares. */
  stableLeader(): RaftHost | undefined {
    const l = this.leader();
    if (!l) return undefined;
    const s0 = l.status()!;
    for (const id of s0.voters) {
      const h = this.host(id);
      if (!h.running) continue;
      const s = h.status()!;
      if (s.term !== s0.term || s.lead !== l.id) return undefined;
    }
    return l;
  }

  /** Running members that the leader (or, without one, the first running member) counts as voters. */
  voters(): RaftHost[] {
    const ref = this.leader() ?? this.hosts.find((h) => h.running);
    return (ref?.status()?.voters ?? []).map((id) => this.host(id)).filter((h) => h.running);
  }
}

/** How KV clients read: through ReadIndex (linearizable), or straight from local state (broken). */
export type ReadMode = "readIndex" | "unsafeLocal";

/**
 * A client of the replicated KV store that talks to one member at a time and records every
 * operation: call time, and return time plus output, or no return when the outcome is
 * unknown (an error or a timeout: the write may still commit).
 */
export class KvClient {
  readonly history: KvOperation[];
  private busy = false;

  constructor(
    readonly id: number,
    private readonly cluster: RaftCluster,
    history: KvOperation[],
    private readonly readMode: ReadMode = "readIndex",
  ) {
    this.history = history;
  }

  isBusy(): boolean {
    return this.busy;
  }

  /**
   * Sends one operation to member `via`; `then` runs when it settles. Operations that surely
   * had no effect leave no trace in the history: a read that failed, and a write refused on
   * the spot (no leader known, say), which never reached a log. A write that failed later
   * (timeout, lost leadership, crash) may still commit: its outcome is unknown.
   */
  run(input: KvInput, via: NodeId, then?: () => void): void {
    const sim = this.cluster.sim;
    const host = this.cluster.host(via);
    const op: KvOperation = { clientId: this.id, input, call: sim.now() };
    this.history.push(op);
    this.busy = true;
    let synchronous = true;
    const finish = (output: KvOutput | undefined, known: boolean) => {
      if (known) {
        op.return = sim.now();
        op.output = output;
      } else if (input.op === "get" || synchronous) {
        this.history.splice(this.history.lastIndexOf(op), 1);
      }
      this.busy = false;
      then?.();
    };
    if (input.op === "get") {
      if (this.readMode === "unsafeLocal") {
        // The broken variant: answer from local state, no ReadIndex round.
        finish(host.running ? this.cluster.kv[via - 1].get(input.key) : undefined, host.running);
        return;
      }
      host.readIndex((err) => finish(err ? undefined : this.cluster.kv[via - 1].get(input.key), !err));
    } else {
      const opId = `op${this.cluster.opIds.size}`;
      this.cluster.opIds.set(op, opId);
      host.propose(
        { client: this.id, opId, input },
        (err, result) => finish(err ? undefined : (result as KvOutput), !err),
        { forward: true },
      );
    }
    synchronous = false;
  }
}

// fast-check's report names the counterexample; the cause (an invariant violation with its
// trace tail, say) is the error of the last failing run, which is the shrunk counterexample.
let lastCause = "";
export function recordingCause<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    lastCause = e instanceof Error ? e.message : String(e);
    throw e;
  }
}
export function withCause(f: () => void): void {
  lastCause = "";
  try {
    f();
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\nCause: ${lastCause}`);
  }
}
/** withCause for an asynchronous property (one that lets the event loop turn between runs). */
export async function withCauseAsync(f: () => Promise<void>): Promise<void> {
  lastCause = "";
  try {
    await f();
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\nCause: ${lastCause}`);
  }
}
