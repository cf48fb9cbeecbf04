// The raft glue on simulated machines: ticking, the persistence contract on the disk,
// recovery, transport, proposals with their errors and timeout, ReadIndex, membership,
// leadership transfer, snapshots, and the invariant checker hook.
import { InvariantChecker, InvariantViolation } from "@swarm-sim/raft";
import { describe, expect, it } from "vitest";
import {
  ErrCannotRemoveMember,
  ErrLostLeadership,
  ErrStopped,
  ErrTimeout,
  RaftHost,
} from "../src/manager/raft";
import { Sim } from "../src/kernel";
import { RaftDiskStorage } from "../src/manager/raft";
import { KvStateMachine, RaftCluster } from "./raft-harness";

const LINK = { latency: { kind: "uniform" as const, min: 1, max: 10 } };

function elect(c: RaftCluster): RaftHost {
  expect(c.waitForStableLeader(120_000)).toBeGreaterThanOrEqual(0);
  // Let the new leader's first entry commit: until then it refuses membership changes.
  c.sim.runFor(500);
  return c.stableLeader()!;
}

/** Proposes and runs until settled; returns the error message or "ok". */
function proposeAndWait(c: RaftCluster, h: RaftHost, payload: unknown, forward = false): string {
  let outcome: string | undefined;
  h.propose(payload, (err) => (outcome = err ? err.message : "ok"), { forward });
  c.sim.runUntil(() => outcome !== undefined, 60_000);
  return outcome ?? "pending";
}

describe("RaftHost on simulated machines", () => {
  it("a single-member cluster elects itself at boot and commits alone", () => {
    const c = new RaftCluster({ size: 1, seed: 1 });
    expect(c.host(1).isLeader()).toBe(true);
    expect(proposeAndWait(c, c.host(1), { input: { op: "put", key: "a", value: "1" } })).toBe("ok");
    expect(c.kv[0].get("a")).toBe("1");
  });

  it("three members elect a leader within 10-20 simulated seconds of 1 s ticks", () => {
    const c = new RaftCluster({ size: 3, seed: 2, link: LINK });
    const took = c.waitForStableLeader(60_000);
    expect(took).toBeGreaterThanOrEqual(10_000);
    expect(took).toBeLessThan(25_000);
  });

  it("a proposal completes with the state machine's answer once applied; followers apply it too", () => {
    const c = new RaftCluster({ size: 3, seed: 3, link: LINK });
    const leader = elect(c);
    let result: unknown;
    leader.propose({ input: { op: "cas", key: "k", expected: null, value: "v" } }, (err, r) => {
      expect(err).toBeNull();
      result = r;
    });
    c.sim.runFor(1000);
    expect(result).toBe(true);
    c.sim.runFor(2000);
    for (const kv of c.kv) expect(kv.get("k")).toBe("v");
  });

  it("SwarmKit semantics: a follower refuses proposals with 'node lost leader status' unless forwarding", () => {
    const c = new RaftCluster({ size: 3, seed: 4, link: LINK });
    const leader = elect(c);
    const follower = c.hosts.find((h) => h !== leader)!;
    expect(proposeAndWait(c, follower, "x")).toBe(ErrLostLeadership);
    expect(ErrLostLeadership).toBe("raft: failed to process the request: node lost leader status");
    expect(proposeAndWait(c, follower, "y", true)).toBe("ok");
  });

  it("a leader cut off from the quorum fails its pending proposals when it steps down", () => {
    const c = new RaftCluster({ size: 3, seed: 5, link: LINK });
    const leader = elect(c);
    c.sim.net.isolate(leader.machine.name);
    const t0 = c.sim.now();
    expect(proposeAndWait(c, leader, "doomed")).toBe(ErrLostLeadership);
    // CheckQuorum looks every election timeout (10 ticks of 1 s) at who answered since the last
    // look, so it steps down within two of them: before the 25 s request deadline.
    expect(c.sim.now() - t0).toBeLessThanOrEqual(21_000);
  });

  it("a forwarded proposal that goes nowhere times out with SwarmKit's deadline", () => {
    const c = new RaftCluster({ size: 3, seed: 6, link: LINK });
    const leader = elect(c);
    const follower = c.hosts.find((h) => h !== leader)!;
    c.sim.net.cut(follower.machine.name, leader.machine.name);
    const t0 = c.sim.now();
    let outcome = "";
    follower.propose("lost", (err) => (outcome = err?.message ?? "ok"), { forward: true });
    c.sim.runUntil(() => outcome !== "", 60_000);
    expect(outcome).toBe(ErrTimeout);
    expect(c.sim.now() - t0).toBeCloseTo(25_000, -2); // 5 s + 2 x 10 ticks x 1 s
  });

  it("a crash fails pending requests with 'node is stopped'; the member recovers its log from disk", () => {
    const c = new RaftCluster({ size: 3, seed: 7, link: LINK });
    const leader = elect(c);
    for (let i = 0; i < 20; i++)
      proposeAndWait(c, leader, { input: { op: "append", key: "log", value: `${i},` } });
    const follower = c.hosts.find((h) => h !== leader)!;
    const before = follower.status()!;
    let outcome = "";
    follower.readIndex((err) => (outcome = err?.message ?? "ok"));
    follower.machine.crash();
    expect(outcome).toBe(ErrStopped);
    expect(follower.running).toBe(false);
    follower.machine.start();
    const after = follower.status()!;
    expect(after).toMatchObject({ term: before.term, vote: before.vote, lastIndex: before.lastIndex });
    // It replays what it knew committed at once (the last commit index may not have been
    // synced: raft allows losing it), and hears the rest from the leader.
    expect(c.kv[follower.id - 1].appliedLog.length).toBeGreaterThanOrEqual(19);
    c.sim.runFor(2000);
    expect(c.kv[follower.id - 1].get("log")).toBe(c.kv[leader.id - 1].get("log"));
  });

  it("hard state and entries are fsynced before the messages that depend on them leave", () => {
    const c = new RaftCluster({ size: 3, seed: 8, link: LINK });
    // Watch every member's disk: at each send, only a commit-index update may be unsynced
    // (raft lets a crash lose that); terms, votes and entries must be durable.
    const problems: string[] = [];
    for (const m of c.machines) {
      const disk = m.disk;
      const pending: { path: string; value: unknown }[] = [];
      let durableHard: { term: number; vote: number } | undefined;
      const { write, append, fsync, remove } = disk;
      disk.write = (path, value) => {
        pending.push({ path, value });
        write.call(disk, path, value);
      };
      disk.append = (path, record) => {
        pending.push({ path, value: record });
        append.call(disk, path, record);
      };
      disk.remove = (path) => {
        pending.push({ path, value: undefined });
        remove.call(disk, path);
      };
      disk.fsync = () => {
        for (const p of pending)
          if (p.path.endsWith("hardstate")) durableHard = p.value as typeof durableHard;
        pending.length = 0;
        fsync.call(disk);
      };
      const send = m.send.bind(m);
      m.send = (to, payload, port) => {
        for (const p of pending) {
          const h = p.value as { term: number; vote: number };
          const commitOnly =
            p.path.endsWith("hardstate") && h.term === durableHard?.term && h.vote === durableHard?.vote;
          if (!commitOnly) problems.push(`${m.name} sent with ${p.path} unsynced`);
        }
        send(to, payload, port);
      };
    }
    const leader = elect(c);
    for (let i = 0; i < 5; i++) proposeAndWait(c, leader, i);
    c.hosts.find((h) => h !== leader)!.machine.crash();
    c.sim.runFor(40_000);
    expect(leader.traffic().sent).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });

  it("a crash right after persisting, before anything else, loses no acknowledged entry", () => {
    const c = new RaftCluster({ size: 3, seed: 9, link: LINK });
    const leader = elect(c);
    let acked = 0;
    for (let i = 0; i < 10; i++) leader.propose(i, (err) => !err && acked++);
    c.sim.runFor(500);
    for (const m of c.machines) m.crash();
    for (const m of c.machines) m.start();
    const l2 = elect(c);
    proposeAndWait(c, l2, "after");
    c.sim.runFor(3000);
    for (const kv of c.kv) expect(kv.appliedLog.filter((x) => typeof x === "number")).toHaveLength(acked);
  });

  it("ReadIndex reads on a follower see every write completed before them", () => {
    const c = new RaftCluster({ size: 3, seed: 10, link: LINK });
    const leader = elect(c);
    proposeAndWait(c, leader, { input: { op: "put", key: "x", value: "new" } });
    const follower = c.hosts.find((h) => h !== leader)!;
    let seen: string | null | undefined;
    follower.readIndex((err) => {
      expect(err).toBeNull();
      seen = c.kv[follower.id - 1].get("x");
    });
    c.sim.runUntil(() => seen !== undefined, 10_000);
    expect(seen).toBe("new");
  });

  it("adds a member that catches up from the log, and removes one", () => {
    const c = new RaftCluster({ size: 3, seed: 11, link: LINK });
    const leader = elect(c);
    proposeAndWait(c, leader, { input: { op: "put", key: "a", value: "1" } });
    const m4 = c.sim.addMachine("m4");
    const kv4 = new KvStateMachine();
    const peers = [
      ...c.machines.map((m, i) => ({ id: i + 1, address: m.address })),
      { id: 4, address: m4.address },
    ];
    const h4 = new RaftHost({ machine: m4, id: 4, peers, stateMachine: kv4, observer: c.checker });
    let added = "";
    leader.addMember({ id: 4, address: m4.address }, (err) => (added = err?.message ?? "ok"));
    c.sim.runUntil(() => added !== "", 30_000);
    expect(added).toBe("ok");
    c.sim.runFor(3000);
    expect(h4.status()!.voters).toEqual([1, 2, 3, 4]);
    expect(kv4.get("a")).toBe("1");
    expect(leader.members().map((p) => p.id)).toEqual([1, 2, 3, 4]);

    const victim = c.hosts.find((h) => h !== leader)!;
    let removed = "";
    leader.removeMember(victim.id, (err) => (removed = err?.message ?? "ok"));
    c.sim.runUntil(() => removed !== "", 30_000);
    expect(removed).toBe("ok");
    c.sim.runFor(2000);
    expect(victim.running).toBe(false); // it applied its own removal and stopped
    expect(leader.status()!.voters).not.toContain(victim.id);
  });

  it("a leader that removed the only other member and crashed at once restarts as a cluster of one", () => {
    const c = new RaftCluster({ size: 2, seed: 18, link: LINK });
    const leader = elect(c);
    const other = c.hosts.find((h) => h !== leader)!;
    let removed = "";
    leader.removeMember(other.id, (err) => (removed = err?.message ?? "ok"));
    c.sim.runUntil(() => removed !== "", 10_000);
    expect(removed).toBe("ok");
    c.sim.runUntil(() => !other.running, 10_000); // it applied its removal and stopped
    leader.machine.crash();
    leader.machine.start();
    // The commit index that covers the removal was synced, so the membership is [leader] alone.
    expect(leader.status()!.voters).toEqual([leader.id]);
    expect(leader.isLeader()).toBe(true);
  });

  it("a member that was down while another joined answers the newcomer, now leader, before it learns its address", () => {
    const c = new RaftCluster({ size: 3, seed: 19, link: LINK, spares: 1 });
    const leader = elect(c);
    const sleeper = c.hosts.find((h) => h !== leader)!;
    const newcomer = c.host(4);
    sleeper.machine.crash();
    let step = "";
    leader.addMember({ id: 4, address: newcomer.machine.address }, (err) => (step = err?.message ?? "ok"));
    c.sim.runUntil(() => step !== "", 30_000);
    expect(step).toBe("ok");
    c.sim.runFor(3000);
    step = "";
    leader.transferLeadership((err) => (step = err?.message ?? "ok"), 4);
    c.sim.runUntil(() => step !== "", 30_000);
    expect(newcomer.isLeader()).toBe(true);
    // The sleeper's address book (and its log) know nothing of member 4; it answers 4 where
    // 4 wrote from, and so catches up.
    sleeper.machine.start();
    expect(sleeper.members().map((p) => p.id)).toEqual([1, 2, 3]);
    c.sim.runFor(5000);
    expect(sleeper.status()!.voters).toEqual([1, 2, 3, 4]);
    expect(sleeper.status()!.commit).toBe(newcomer.status()!.commit);
  });

  it("refuses to remove a member when the rest could not form a quorum", () => {
    const c = new RaftCluster({ size: 3, seed: 12, link: LINK });
    const leader = elect(c);
    const [a, b] = c.hosts.filter((h) => h !== leader);
    a.machine.crash();
    c.sim.runFor(5000);
    expect(leader.isActive(a.id)).toBe(false);
    expect(leader.canRemoveMember(b.id)).toBe(false);
    let out = "";
    leader.removeMember(b.id, (err) => (out = err?.message ?? "ok"));
    expect(out).toBe(ErrCannotRemoveMember);
    expect(leader.canRemoveMember(a.id)).toBe(true);
  });

  it("transfers leadership to the longest-active peer, or a chosen one", () => {
    const c = new RaftCluster({ size: 3, seed: 13, link: LINK });
    const leader = elect(c);
    let out = "";
    const t0 = c.sim.now();
    leader.transferLeadership((err) => (out = err?.message ?? "ok"));
    c.sim.runUntil(() => out !== "", 30_000);
    expect(out).toBe("ok");
    expect(c.sim.now() - t0).toBeLessThan(1000); // no election timeout to wait for
    const next = c.leader()!;
    expect(next).not.toBe(leader);
    out = "";
    next.transferLeadership((err) => (out = err?.message ?? "ok"), leader.id);
    c.sim.runUntil(() => out !== "", 30_000);
    expect(c.leader()).toBe(leader);
  });

  it("snapshots every snapshotInterval entries, compacts the WAL, and brings a lagging member back by snapshot", () => {
    const c = new RaftCluster({
      size: 3,
      seed: 14,
      link: LINK,
      host: { snapshotInterval: 20, logEntriesForSlowFollowers: 5 },
    });
    const leader = elect(c);
    const lagging = c.hosts.find((h) => h !== leader)!;
    lagging.machine.crash();
    for (let i = 0; i < 60; i++) proposeAndWait(c, leader, { input: { op: "append", key: "s", value: "." } });
    expect(leader.walLength()).toBeLessThan(25);
    const installs: unknown[] = [];
    c.sim.trace.onRecord = (r) => {
      if (r.type === "raft.installSnapshot") installs.push(r.fields);
    };
    lagging.machine.start();
    c.sim.runFor(5000);
    expect(installs).toHaveLength(1);
    expect(c.kv[lagging.id - 1].get("s")).toBe(".".repeat(60));
    // and it restarts from its own snapshot afterwards
    lagging.machine.crash();
    lagging.machine.start();
    expect(c.kv[lagging.id - 1].get("s")).toBe(".".repeat(60));
  });

  it("a paused leader is deposed; on resume it steps down and catches up", () => {
    const c = new RaftCluster({ size: 3, seed: 15, link: LINK });
    const leader = elect(c);
    leader.machine.pause();
    c.sim.runFor(30_000);
    const next = c.leader()!;
    expect(next).not.toBe(leader);
    proposeAndWait(c, next, { input: { op: "put", key: "p", value: "q" } });
    leader.machine.resume();
    c.sim.runFor(5000);
    expect(leader.isLeader()).toBe(false);
    expect(c.kv[leader.id - 1].get("p")).toBe("q");
  });

  it("the same seed gives the same trace hash", () => {
    const run = () => {
      const c = new RaftCluster({ size: 5, seed: 16, link: { ...LINK, loss: 0.05 } });
      const leader = elect(c);
      for (let i = 0; i < 10; i++) leader.propose(i, () => {});
      c.machines[0].crash();
      c.sim.runFor(60_000);
      return c.sim.trace.hash();
    };
    expect(run()).toBe(run());
  });

  it("the checker hook catches a broken host that sends before it syncs", () => {
    // Members "persist" votes and entries without fsync and crash often: they forget votes
    // and acknowledged entries, and the invariant checker notices.
    let caught: unknown;
    for (let seed = 1; seed <= 30 && !caught; seed++) {
      const c = new RaftCluster({ size: 3, seed, link: LINK, host: { bugs: { skipFsync: true } } });
      try {
        for (let round = 0; round < 8; round++) {
          c.leader()?.propose(round, () => {});
          c.sim.runFor(7000);
          for (const m of c.machines) {
            m.crash();
            m.start();
          }
        }
      } catch (e) {
        caught = e;
      }
    }
    expect(caught).toBeInstanceOf(InvariantViolation);
    expect((caught as InvariantViolation).message).toMatch(/seed: \d+/);
  });

  it("exposes the checker through the observer option", () => {
    const checker = new InvariantChecker();
    const c = new RaftCluster({ size: 3, seed: 17, link: LINK, check: false, host: { observer: checker } });
    elect(c);
    expect(checker.leadersByTerm().size).toBeGreaterThan(0);
  });
});

describe("RaftDiskStorage", () => {
  const e = (index: number, term: number) => ({
    index,
    term,
    type: "normal" as const,
    data: `${index}@${term}`,
  });

  it("resolves overwritten suffixes, also across a snapshot taken after the overwrite", () => {
    const disk = new Sim({ seed: 1 }).addMachine("m").disk;
    const st = new RaftDiskStorage(disk);
    st.appendEntries([1, 2, 3, 4, 5, 6].map((i) => e(i, 2)));
    st.appendEntries([e(3, 3), e(4, 3)]); // a new leader rewrote from 3: 5 and 6 are gone
    expect(st.load()!.entries.map((x) => `${x.index}@${x.term}`)).toEqual(["1@2", "2@2", "3@3", "4@3"]);
    st.saveSnapshot({ metadata: { index: 4, term: 3, confState: { voters: [1] } }, data: null });
    expect(st.load()!.entries).toEqual([]);
    st.appendEntries([e(5, 3)]);
    expect(st.load()!.entries.map((x) => x.index)).toEqual([5]);
  });

  it("a snapshot received from the leader drops the whole WAL", () => {
    const disk = new Sim({ seed: 1 }).addMachine("m").disk;
    const st = new RaftDiskStorage(disk);
    st.appendEntries([e(1, 1), e(2, 1), e(3, 1)]);
    st.installSnapshot({ metadata: { index: 2, term: 4, confState: { voters: [1] } }, data: null });
    expect(st.load()!.entries).toEqual([]);
  });

  it("only what was synced survives a crash", () => {
    const sim = new Sim({ seed: 1 });
    const m = sim.addMachine("m");
    const st = new RaftDiskStorage(m.disk);
    st.saveHardState({ term: 2, vote: 1, commit: 0 });
    st.appendEntries([e(1, 2)]);
    st.sync();
    st.appendEntries([e(2, 2)]);
    m.crash();
    expect(new RaftDiskStorage(m.disk).load()).toEqual({
      hardState: { term: 2, vote: 1, commit: 0 },
      snapshot: undefined,
      entries: [e(1, 2)],
    });
  });
});
