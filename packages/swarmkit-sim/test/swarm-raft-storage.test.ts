// Regression tests for the managers' raft host (manager/raft/raft-host.ts, storage.ts): the
// WAL's truncations survive a snapshot, a snapshot from the leader replaces the WAL, a changed
// commit index is synced, and a restarted member can reach a member added while it was down.
// The members start as managers start them (a new cluster, joins, restarts), run on kernel
// machines and talk over the kernel network (managers carry the same messages over their
// authenticated RPC).
import type { Entry, Snapshot } from "@swarm-sim/raft";
import { describe, expect, it } from "vitest";
import type { RaftMemberInfo } from "../src/api/raft";
import type { Machine } from "../src/kernel/machine";
import { Sim } from "../src/kernel/sim";
import { KernelRaftTransport, RaftHost, type RaftStart, RaftStorage, raftCipher } from "../src/manager/raft";

const DIR = "/var/lib/docker/swarm/raft/";
const PORT = 2377;

const entry = (index: number, term: number): Entry => ({
  index,
  term,
  type: "normal",
  data: { index, term },
});
const snapshotAt = (index: number, term: number): Snapshot => ({
  metadata: { index, term, confState: { voters: [1] } },
  data: { app: null, members: [], removed: [], recentRids: [] },
});
const terms = (es: Entry[]) => es.map((e) => `${e.index}@${e.term}`);

describe("RaftStorage: the WAL and snapshots", () => {
  const storages = (disk: Machine["disk"], sim: Sim) =>
    [
      ["in the clear", new RaftStorage(disk, DIR)],
      ["encrypted", new RaftStorage(disk, DIR, raftCipher(new Uint8Array(32).fill(7), sim.random.fork("n")))],
    ] as const;

  for (const which of ["in the clear", "encrypted"] as const) {
    it(`load: a rewrite at or below the snapshot index still truncates the entries after it (${which})`, () => {
      const sim = new Sim({ seed: 1 });
      const disk = sim.addMachine("m").disk;
      const st = storages(disk, sim).find(([w]) => w === which)![1];
      st.saveHardState({ term: 2, vote: 1, commit: 2 });
      st.appendEntries([1, 2, 3, 4, 5].map((i) => entry(i, 1)));
      // A new leader overwrote index 2: entries 3..5 of term 1 are gone.
      st.appendEntries([entry(2, 2)]);
      expect(terms(st.load()!.entries)).toEqual(["1@1", "2@2"]);
      // A snapshot at 2 covers both; nothing of the old term-1 suffix may come back.
      st.saveSnapshot(snapshotAt(2, 2));
      expect(terms(st.load()!.entries)).toEqual([]);
      st.appendEntries([entry(3, 2)]);
      expect(terms(st.load()!.entries)).toEqual(["3@2"]);
    });
  }

  it("load with an older snapshot: the truncation below it is applied before filtering", () => {
    const sim = new Sim({ seed: 2 });
    const disk = sim.addMachine("m").disk;
    const st = new RaftStorage(disk, DIR);
    st.saveHardState({ term: 2, vote: 1, commit: 3 });
    st.appendEntries([1, 2, 3, 4, 5].map((i) => entry(i, 1)));
    st.appendEntries([entry(3, 2)]);
    // The snapshot file is written directly (as if the WAL rewrite was lost): load alone must cope.
    disk.write(`${DIR}snapshot`, snapshotAt(3, 2));
    expect(terms(st.load()!.entries)).toEqual([]);
  });

  it("saveSnapshot (taken here) keeps the entries after it", () => {
    const sim = new Sim({ seed: 3 });
    const st = new RaftStorage(sim.addMachine("m").disk, DIR);
    st.saveHardState({ term: 1, vote: 1, commit: 5 });
    st.appendEntries([1, 2, 3, 4, 5].map((i) => entry(i, 1)));
    st.saveSnapshot(snapshotAt(3, 1));
    expect(terms(st.load()!.entries)).toEqual(["4@1", "5@1"]);
  });

  it("installSnapshot (from the leader) drops the whole WAL, entries after it included", () => {
    const sim = new Sim({ seed: 4 });
    const st = new RaftStorage(sim.addMachine("m").disk, DIR);
    st.saveHardState({ term: 1, vote: 1, commit: 2 });
    st.appendEntries([1, 2, 3, 4, 5].map((i) => entry(i, 1)));
    st.installSnapshot(snapshotAt(3, 2));
    const p = st.load()!;
    expect(p.snapshot?.metadata.index).toBe(3);
    expect(terms(p.entries)).toEqual([]);
  });
});

/** A small cluster of raft hosts, each restarted from its disk when its machine boots again. */
class Cluster {
  readonly sim: Sim;
  readonly members = new Map<number, RaftHost>();
  readonly applied = new Map<number, unknown[]>();
  readonly removed = new Set<number>();
  private readonly machines = new Map<number, Machine>();

  constructor(
    seed: number,
    private readonly snapshots: { snapshotInterval?: number; logEntriesForSlowFollowers?: number } = {},
  ) {
    this.sim = new Sim({ seed });
  }

  info(id: number): RaftMemberInfo {
    return { raftId: id, nodeId: `node${id}`, addr: `${this.machines.get(id)!.addresses[0]}:${PORT}` };
  }

  /** Creates the machine for member `id` (not started): its first boot starts the member as `first`, later ones restart it. */
  add(id: number, first: () => RaftStart): Machine {
    const m = this.sim.addMachine(`manager${id}`);
    m.stop(); // a machine comes up running; boot it once the member's start is known
    this.machines.set(id, m);
    let boots = 0;
    m.onBoot(() => {
      if (this.removed.has(id)) return;
      const start = boots++ === 0 ? first() : ({ kind: "restart" } as const);
      this.startMember(id, m, start);
    });
    m.onHalt(() => this.members.get(id)?.stop());
    return m;
  }

  private startMember(id: number, m: Machine, start: RaftStart): void {
    const log: unknown[] = [];
    this.applied.set(id, log);
    const member = new RaftHost({
      machine: m,
      random: this.sim.random.fork(`raft/${id}/${this.sim.now()}`),
      start,
      dataDir: DIR,
      tickMs: 1000,
      dataKey: null,
      ...this.snapshots,
      transport: new KernelRaftTransport(m, PORT),
      stateMachine: {
        apply: (actions) => {
          log.push(...(actions as unknown[]));
          return null;
        },
        snapshot: () => [...log],
        restore: (data) => {
          log.length = 0;
          log.push(...((data as unknown[] | null) ?? []));
        },
      },
      onRemoved: () => this.removed.add(id),
    });
    this.members.set(id, member);
  }

  machine(id: number): Machine {
    return this.machines.get(id)!;
  }

  leader(): RaftHost | undefined {
    for (const [id, m] of this.members)
      if (this.machine(id).state === "running" && !this.removed.has(id) && m.isLeader()) return m;
    return undefined;
  }

  waitForLeader(limitMs = 60_000): RaftHost {
    expect(this.sim.runUntil(() => this.leader() !== undefined, limitMs)).toBe(true);
    return this.leader()!;
  }

  /** Runs a request to completion and returns its error. */
  settle(req: (done: (err: Error | null) => void) => void, limitMs = 60_000): Error | null {
    let result: Error | null | undefined;
    req((err) => {
      result = err;
    });
    expect(this.sim.runUntil(() => result !== undefined, limitMs)).toBe(true);
    return result!;
  }

  write(n: number, via = this.waitForLeader()): void {
    const err = this.settle((done) => via.propose([{ type: "test", n } as never], (e) => done(e)));
    expect(err).toBeNull();
  }

  /** Starts member 1 as a new cluster and joins the others through the leader. */
  static of(seed: number, n: number, snapshots: Cluster["snapshots"] = {}): Cluster {
    const c = new Cluster(seed, snapshots);
    c.add(1, () => ({ kind: "new", self: c.info(1) })).start();
    c.waitForLeader();
    for (let id = 2; id <= n; id++) c.join(id);
    return c;
  }

  join(id: number): void {
    // As a manager joins: the leader adds it, then it starts knowing the members it was told of.
    const m = this.add(id, () => ({ kind: "join", self: this.info(id), members }));
    const leader = this.waitForLeader();
    expect(this.settle((done) => leader.addMember(this.info(id), done))).toBeNull();
    const members = leader.members();
    m.start();
    this.sim.runFor(3000);
  }
}

describe("the raft host: durability and membership across restarts", () => {
  it("a leader that removed the only other member and crashed comes back as the leader (commit index synced)", () => {
    const c = Cluster.of(11, 2);
    c.write(1);
    const leader = c.waitForLeader();
    const other = leader.raftId === 1 ? 2 : 1;
    expect(c.settle((done) => leader.removeMember(other, done))).toBeNull();
    // The removed member applied its removal and stopped for good.
    expect(c.sim.runUntil(() => c.removed.has(other), 10_000)).toBe(true);
    c.machine(leader.raftId).crash();
    c.sim.runFor(1000);
    c.machine(leader.raftId).start();
    const back = c.waitForLeader(30_000);
    expect(back.raftId).toBe(leader.raftId);
    expect(back.members().map((m) => m.raftId)).toEqual([leader.raftId]);
    c.write(2);
  });

  it("a joiner that crashed before its first Ready was synced restarts from its identity alone and is caught up", () => {
    const c = Cluster.of(14, 2);
    c.write(1);
    const leader = c.waitForLeader();
    const m = c.add(3, () => ({ kind: "join", self: c.info(3), members }));
    expect(c.settle((done) => leader.addMember(c.info(3), done))).toBeNull();
    const members = leader.members();
    m.start();
    // It crashes before its Ready loop ran: only its identity is on disk (SwarmKit's empty WAL).
    m.crash();
    const disk = new RaftStorage(m.disk, DIR);
    expect(disk.readIdentity()?.raftId).toBe(3);
    expect(disk.exists()).toBe(false);
    m.start();
    c.write(2);
    expect(
      c.sim.runUntil(() => c.applied.get(3)!.length === c.applied.get(leader.raftId)!.length, 30_000),
    ).toBe(true);
    expect(
      c.members
        .get(3)!
        .members()
        .map((x) => x.raftId),
    ).toEqual([1, 2, 3]);
  });

  it("a restarted member reaches a member added while it was down", () => {
    const c = Cluster.of(12, 3);
    c.write(1);
    // Member 3 goes down; member 4 joins; the old leader removes itself; 2 goes down too.
    const down = c.leader()!.raftId === 3 ? 2 : 3;
    c.machine(down).crash();
    c.join(4);
    c.write(2);
    const oldLeader = c.waitForLeader();
    // Its removal applied, it hands over to the remaining voters (those that are up), then stops.
    expect(c.settle((done) => oldLeader.removeMember(oldLeader.raftId, done))).toBeNull();
    expect(c.sim.runUntil(() => c.removed.has(oldLeader.raftId), 10_000)).toBe(true);
    // The remaining voters: `down`, 4 and one more; stop the "one more" so that only `down`
    // (which never heard of 4) and 4 can form a quorum.
    const rest = [1, 2, 3].find((id) => id !== down && id !== oldLeader.raftId)!;
    c.sim.runFor(5000);
    c.machine(rest).crash();
    c.machine(down).start();
    const leader = c.waitForLeader(60_000);
    expect([down, 4]).toContain(leader.raftId);
    c.write(3);
    // The restarted member caught up, and knows 4's address from the log now.
    expect(c.sim.runUntil(() => c.applied.get(down)!.length === c.applied.get(4)!.length, 30_000)).toBe(true);
    expect(c.members.get(down)!.member(4)?.addr).toBe(c.info(4).addr);
  });

  it("a follower that receives the leader's snapshot drops its whole WAL, a stale suffix from an old leader included", () => {
    const c = Cluster.of(13, 5, { snapshotInterval: 10, logEntriesForSlowFollowers: 2 });
    c.write(0);
    const old = c.waitForLeader();
    const follower = [1, 2, 3, 4, 5].find((id) => id !== old.raftId)!;
    const majority = [1, 2, 3, 4, 5].filter((id) => id !== old.raftId && id !== follower);
    const name = (id: number) => c.machine(id).name;
    c.sim.net.partition([[name(old.raftId), name(follower)], majority.map(name)]);
    // The old leader, cut off with one follower, appends entries that never commit (40 of them,
    // more than the new leader will have committed when it sends its snapshot).
    for (let n = 0; n < 40; n++) old.propose([{ type: "stale", n } as never], () => {});
    c.sim.runFor(100);
    const stale = new RaftStorage(c.machine(follower).disk, DIR).load()!;
    const staleLast = stale.entries[stale.entries.length - 1].index;
    // The majority elects a new leader and commits (and snapshots, compacting) past the split.
    expect(c.sim.runUntil(() => majority.some((id) => c.members.get(id)!.isLeader()), 60_000)).toBe(true);
    const leader = c.members.get(majority.find((id) => c.members.get(id)!.isLeader())!)!;
    for (let n = 1; n <= 20; n++) c.write(n, leader);
    c.sim.net.heal();
    // The moment the follower has the new leader's snapshot on disk, nothing of the old suffix
    // may remain in its WAL (it would come back at a restart as if it were its log).
    const onDisk = () => new RaftStorage(c.machine(follower).disk, DIR).load()!;
    const snapIndex = () => onDisk().snapshot?.metadata.index ?? 0;
    expect(c.sim.runUntil(() => snapIndex() > stale.hardState.commit, 60_000)).toBe(true);
    expect(snapIndex()).toBeLessThan(staleLast); // the stale suffix reaches past the snapshot
    expect(
      onDisk().entries.filter(
        (e) => (e.data as { payload?: { type: string }[] })?.payload?.[0]?.type === "stale",
      ),
    ).toEqual([]);
    // And the follower converges on the leader's log.
    c.write(21, leader);
    const applied = (id: number) => c.applied.get(id)!.map((a) => JSON.stringify(a));
    expect(c.sim.runUntil(() => applied(follower).length === applied(leader.raftId).length, 30_000)).toBe(
      true,
    );
    expect(applied(follower)).toEqual(applied(leader.raftId));
  });
});
