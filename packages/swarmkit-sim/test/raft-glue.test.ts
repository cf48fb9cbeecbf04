// The raft host (manager/raft/) on simulated machines: ticking, the persistence contract on the
// disk, recovery, transport, proposals with their errors and timeout, ReadIndex, membership,
// leadership transfer, the hand-over of a leader that removes itself, snapshots, autolock,
// force-new-cluster, and the invariant checker hook.
import { InvariantChecker, InvariantViolation } from "@swarm-sim/raft";
import { describe, expect, it } from "vitest";
import { Sim } from "../src/kernel";
import {
  ErrCannotRemoveMember,
  ErrLostLeadership,
  ErrStopped,
  ErrTimeout,
  KernelRaftTransport,
  RaftHost,
  RaftStorage,
  raftCipher,
} from "../src/manager/raft";
import { forceNewCluster } from "../src/manager/raft/force-new-cluster";
import { GrpcError } from "../src/transport/grpc-error";
import { KvStateMachine, RaftCluster } from "./raft-harness";

const LINK = { latency: { kind: "uniform" as const, min: 1, max: 10 } };

function elect(c: RaftCluster): RaftHost {
  expect(c.waitForStableLeader(120_000)).toBeGreaterThanOrEqual(0);
  // Let the new leader's first entry commit: until then it refuses membership changes.
  c.sim.runFor(500);
  return c.stableLeader()!;
}

/** A gRPC error's description (SwarmKit's text), or an error's message. */
function why(err: Error): string {
  return err instanceof GrpcError ? err.desc : err.message;
}

/** Runs a request until it settles; returns why it failed, or "ok". */
function settle(c: RaftCluster, req: (done: (err: Error | null) => void) => void, limitMs = 60_000): string {
  let outcome: string | undefined;
  req((err) => (outcome ??= err ? why(err) : "ok"));
  c.sim.runUntil(() => outcome !== undefined, limitMs);
  return outcome ?? "pending";
}

const proposeAndWait = (c: RaftCluster, h: RaftHost, payload: unknown) =>
  settle(c, (done) => h.propose(payload, done));

describe("RaftHost on simulated machines", () => {
  it("a single-member cluster elects itself at boot and commits alone", () => {
    const c = new RaftCluster({ size: 1, seed: 1 });
    c.sim.runFor(1);
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

  it("an Error the state machine returns fails the proposal, on every member alike", () => {
    const c = new RaftCluster({ size: 3, seed: 3, link: LINK });
    const leader = elect(c);
    for (const kv of c.kv) kv.apply = () => new Error("update out of sequence");
    expect(proposeAndWait(c, leader, "x")).toBe("update out of sequence");
  });

  it("SwarmKit semantics: a follower refuses proposals with 'node lost leader status' (FailedPrecondition) unless the cluster forwards them", () => {
    const swarmkit = new RaftCluster({ size: 3, seed: 4, link: LINK, host: { forwardProposals: false } });
    const l = elect(swarmkit);
    const f = swarmkit.hosts.find((h) => h !== l)!;
    let err: Error | null = null;
    f.propose("x", (e) => (err = e));
    expect(err).toBeInstanceOf(GrpcError);
    expect((err as unknown as GrpcError).message).toBe(
      "rpc error: code = FailedPrecondition desc = raft: failed to process the request: node lost leader status",
    );
    // A forwarded proposal arriving anyway is dropped, as SwarmKit's ProcessRaftMessage does.
    const before = l.status().lastIndex;
    swarmkit.transports[f.raftId - 1].send(swarmkit.infos[l.raftId - 1].addr, {
      msg: {
        type: "MsgProp",
        from: f.raftId,
        to: l.raftId,
        term: 0,
        logTerm: 0,
        index: 0,
        entries: [{ term: 0, index: 0, type: "normal", data: { rid: "rogue", payload: "rogue" } }],
        commit: 0,
        reject: false,
        rejectHint: 0,
        snapshot: undefined,
        context: undefined,
      },
      from: swarmkit.infos[f.raftId - 1].addr,
    });
    swarmkit.sim.runFor(100);
    expect(l.status().lastIndex).toBe(before);

    const c = new RaftCluster({ size: 3, seed: 4, link: LINK });
    const leader = elect(c);
    const follower = c.hosts.find((h) => h !== leader)!;
    expect(proposeAndWait(c, follower, "y")).toBe("ok");
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
    expect(proposeAndWait(c, follower, "lost")).toBe(ErrTimeout);
    expect(c.sim.now() - t0).toBeCloseTo(25_000, -2); // 5 s + 2 x 10 ticks x 1 s
  });

  it("a crash fails pending requests with 'node is stopped'; the member recovers its log from disk", () => {
    const c = new RaftCluster({ size: 3, seed: 7, link: LINK });
    const leader = elect(c);
    for (let i = 0; i < 20; i++)
      proposeAndWait(c, leader, { input: { op: "append", key: "log", value: `${i},` } });
    const follower = c.hosts.find((h) => h !== leader)!;
    const id = follower.raftId;
    const before = follower.status();
    let outcome = "";
    follower.readIndex((err) => (outcome = err ? why(err) : "ok"));
    follower.machine.crash();
    expect(outcome).toBe(ErrStopped);
    expect(follower.running).toBe(false);
    follower.machine.start();
    const after = c.host(id).status();
    expect(after).toMatchObject({ term: before.term, vote: before.vote, lastIndex: before.lastIndex });
    // It replays what it knew committed (the last commit index may not have been synced: raft
    // allows losing it), and hears the rest from the leader.
    c.sim.runFor(1);
    expect(c.kv[id - 1].appliedLog.length).toBeGreaterThanOrEqual(19);
    c.sim.runFor(2000);
    expect(c.kv[id - 1].get("log")).toBe(c.kv[leader.raftId - 1].get("log"));
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
    expect(c.transports[leader.raftId - 1].sent).toBeGreaterThan(10);
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
      seen = c.kv[follower.raftId - 1].get("x");
    });
    c.sim.runUntil(() => seen !== undefined, 10_000);
    expect(seen).toBe("new");
  });

  it("adds a member that catches up from the log, and removes one", () => {
    const c = new RaftCluster({ size: 3, seed: 11, link: LINK, spares: 1 });
    const leader = elect(c);
    proposeAndWait(c, leader, { input: { op: "put", key: "a", value: "1" } });
    expect(settle(c, (done) => leader.addMember(c.infos[3], done), 30_000)).toBe("ok");
    c.sim.runFor(3000);
    expect(c.host(4).status().voters).toEqual([1, 2, 3, 4]);
    expect(c.kv[3].get("a")).toBe("1");
    expect(leader.members().map((p) => p.raftId)).toEqual([1, 2, 3, 4]);

    const victim = c.hosts.find((h) => h !== leader)!;
    expect(settle(c, (done) => leader.removeMember(victim.raftId, done), 30_000)).toBe("ok");
    c.sim.runFor(2000);
    expect(victim.state).toBe("removed"); // it applied its own removal and stopped
    expect(leader.status().voters).not.toContain(victim.raftId);
    // Its messages are refused from now on, as SwarmKit's ProcessRaftMessage refuses them.
    expect(leader.members().map((p) => p.raftId)).not.toContain(victim.raftId);
  });

  it("a leader that removes itself hands over: it leads on until the others committed its removal, then stops", () => {
    const c = new RaftCluster({ size: 3, seed: 20, link: LINK });
    const leader = elect(c);
    const others = c.hosts.filter((h) => h !== leader);
    expect(settle(c, (done) => leader.removeMember(leader.raftId, done), 30_000)).toBe("ok");
    // Applied: it leads on (its raft node does), but as a member it is leaving.
    expect(leader.state).toBe("leaving");
    expect(leader.status().raftState).toBe("leader");
    expect(leader.isLeader()).toBe(false);
    expect(proposeAndWait(c, leader, "refused")).toBe(ErrLostLeadership);
    expect(c.sim.runUntil(() => leader.state === "removed", 10_000)).toBe(true);
    // Both others had committed the removal when it stopped.
    for (const h of others) expect(h.status().voters).toEqual(others.map((o) => o.raftId));
    // Its last word told the most up-to-date of them to campaign (accepted from a removed
    // member): a new leader without waiting for an election timeout.
    const took = c.waitForStableLeader(30_000);
    expect(took).toBeGreaterThanOrEqual(0);
    expect(took).toBeLessThan(1000);
    expect(others).toContain(c.leader());
  });

  it("a leader that removed the only other member and crashed at once restarts as a cluster of one", () => {
    const c = new RaftCluster({ size: 2, seed: 18, link: LINK });
    const leader = elect(c);
    const id = leader.raftId;
    const other = c.hosts.find((h) => h !== leader)!;
    expect(settle(c, (done) => leader.removeMember(other.raftId, done), 10_000)).toBe("ok");
    c.sim.runUntil(() => !other.running, 10_000); // it applied its removal and stopped
    leader.machine.crash();
    leader.machine.start();
    c.sim.runFor(1);
    // The commit index that covers the removal was synced, so the membership is [leader] alone.
    expect(c.host(id).status().voters).toEqual([id]);
    expect(c.host(id).isLeader()).toBe(true);
  });

  it("a member that was down while another joined answers the newcomer, now leader, before it learns its address", () => {
    const c = new RaftCluster({ size: 3, seed: 19, link: LINK, spares: 1 });
    const leader = elect(c);
    const sleeper = c.hosts.find((h) => h !== leader)!;
    const sid = sleeper.raftId;
    const newcomer = c.host(4);
    sleeper.machine.crash();
    expect(settle(c, (done) => leader.addMember(c.infos[3], done), 30_000)).toBe("ok");
    c.sim.runFor(3000);
    expect(settle(c, (done) => leader.transferLeadership(done, 4), 30_000)).toBe("ok");
    expect(newcomer.isLeader()).toBe(true);
    // The sleeper's member table (and its log) know nothing of member 4; it answers 4 where
    // 4 says it listens, and so catches up.
    sleeper.machine.start();
    c.sim.runFor(1);
    expect(
      c
        .host(sid)
        .members()
        .map((p) => p.raftId),
    ).toEqual([1, 2, 3]);
    c.sim.runFor(5000);
    expect(c.host(sid).status().voters).toEqual([1, 2, 3, 4]);
    expect(c.host(sid).status().commit).toBe(newcomer.status().commit);
  });

  it("refuses to remove a member when the rest could not form a quorum", () => {
    const c = new RaftCluster({ size: 3, seed: 12, link: LINK });
    const leader = elect(c);
    const [a, b] = c.hosts.filter((h) => h !== leader);
    a.machine.crash();
    c.sim.runFor(5000);
    expect(leader.isActive(a.raftId)).toBe(false);
    expect(leader.canRemoveMember(b.raftId)).toBe(false);
    let out = "";
    leader.removeMember(b.raftId, (err) => (out = err ? why(err) : "ok"));
    expect(out).toBe(ErrCannotRemoveMember);
    expect(leader.canRemoveMember(a.raftId)).toBe(true);
  });

  it("transfers leadership to the longest-active peer, or a chosen one", () => {
    const c = new RaftCluster({ size: 3, seed: 13, link: LINK });
    const leader = elect(c);
    const t0 = c.sim.now();
    expect(settle(c, (done) => leader.transferLeadership(done), 30_000)).toBe("ok");
    expect(c.sim.now() - t0).toBeLessThan(1000); // no election timeout to wait for
    const next = c.leader()!;
    expect(next).not.toBe(leader);
    expect(settle(c, (done) => next.transferLeadership(done, leader.raftId), 30_000)).toBe("ok");
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
    const id = lagging.raftId;
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
    expect(c.kv[id - 1].get("s")).toBe(".".repeat(60));
    // and it restarts from its own snapshot afterwards
    c.host(id).machine.crash();
    c.host(id).machine.start();
    c.sim.runFor(1);
    expect(c.kv[id - 1].get("s")).toBe(".".repeat(60));
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
    expect(c.kv[leader.raftId - 1].get("p")).toBe("q");
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

  it("under autolock the log and snapshots are sealed on disk, and a member restarts only with the key", () => {
    const sim = new Sim({ seed: 21 });
    const m = sim.addMachine("m1");
    const key = new Uint8Array(32).fill(9);
    const self = { raftId: 1, nodeId: "m1", addr: `${m.address}:2377` };
    const start = (start: ConstructorParameters<typeof RaftHost>[0]["start"], dataKey: Uint8Array | null) => {
      const kv = new KvStateMachine();
      const host = new RaftHost({
        machine: m,
        random: sim.random.fork("raft"),
        start,
        stateMachine: kv,
        transport: new KernelRaftTransport(m),
        dataKey,
        snapshotInterval: 5,
      });
      return { host, kv };
    };
    const a = start({ kind: "new", self }, key);
    sim.runFor(1);
    for (let i = 0; i < 8; i++)
      a.host.propose({ input: { op: "append", key: "x", value: `${i}` } }, () => {});
    sim.runFor(100);
    expect(a.kv.get("x")).toBe("01234567");
    const raw = JSON.stringify([...m.disk.list("/var/lib/docker/swarm/raft/")].map((p) => m.disk.read(p)));
    expect(raw).not.toContain("01234");
    expect(() => new RaftStorage(m.disk).load()).toThrow(/locked/);
    a.host.stop();
    const b = start({ kind: "restart" }, key);
    sim.runFor(1);
    expect(b.kv.get("x")).toBe("01234567");
    // Turning autolock off rewrites the data in the clear.
    b.host.setDataKey(null);
    expect(new RaftStorage(m.disk).load()!.hardState.term).toBeGreaterThan(0);
    expect(() =>
      new RaftStorage(m.disk, undefined, raftCipher(key, sim.random.fork("n"))).load(),
    ).not.toThrow();
  });

  it("--force-new-cluster: a member alone keeps what was committed, and the others are removed", () => {
    const c = new RaftCluster({ size: 3, seed: 22, link: LINK });
    const leader = elect(c);
    for (let i = 0; i < 5; i++)
      proposeAndWait(c, leader, { input: { op: "append", key: "f", value: `${i}` } });
    c.sim.runFor(2000);
    const survivor = c.hosts.find((h) => h !== leader)!;
    const m = survivor.machine;
    for (const x of c.machines) x.crash();
    m.start();
    c.host(survivor.raftId).stop(); // the harness restarted it; the operator runs --force-new-cluster instead
    const kv = new KvStateMachine();
    const h = new RaftHost({
      machine: m,
      random: c.sim.random.fork("force"),
      start: { kind: "force-new-cluster" },
      stateMachine: kv,
      transport: new KernelRaftTransport(m),
    });
    c.sim.runFor(1);
    expect(kv.get("f")).toBe("01234");
    expect(h.status().voters).toEqual([survivor.raftId]);
    expect(h.isLeader()).toBe(true);
    expect(h.members().map((x) => x.raftId)).toEqual([survivor.raftId]);
    expect(proposeAndWait(c, h, { input: { op: "append", key: "f", value: "5" } })).toBe("ok");
    expect(kv.get("f")).toBe("012345");
  });
});

describe("forceNewCluster", () => {
  it("keeps the term and the vote of the hard state (else the member could vote twice in the term)", () => {
    const me = { raftId: 7, nodeId: "n7", addr: "10.0.0.7:2377" };
    const p = forceNewCluster(
      {
        hardState: { term: 4, vote: 3, commit: 1 },
        entries: [
          {
            index: 1,
            term: 4,
            type: "confChange",
            data: { type: "addNode", nodeId: 7, context: { info: me } },
          },
        ],
      },
      7,
      new KvStateMachine(),
    );
    expect(p.hardState).toEqual({ term: 4, vote: 3, commit: 1 });
    expect(p.snapshot?.metadata.confState.voters).toEqual([7]);
  });
});

describe("RaftStorage", () => {
  const e = (index: number, term: number) => ({
    index,
    term,
    type: "normal" as const,
    data: `${index}@${term}`,
  });

  it("resolves overwritten suffixes, also across a snapshot taken after the overwrite", () => {
    const disk = new Sim({ seed: 1 }).addMachine("m").disk;
    const st = new RaftStorage(disk);
    st.saveHardState({ term: 2, vote: 1, commit: 0 });
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
    const st = new RaftStorage(disk);
    st.saveHardState({ term: 1, vote: 1, commit: 1 });
    st.appendEntries([e(1, 1), e(2, 1), e(3, 1)]);
    st.installSnapshot({ metadata: { index: 2, term: 4, confState: { voters: [1] } }, data: null });
    expect(st.load()!.entries).toEqual([]);
  });

  it("only what was synced survives a crash", () => {
    const sim = new Sim({ seed: 1 });
    const m = sim.addMachine("m");
    const st = new RaftStorage(m.disk);
    st.saveHardState({ term: 2, vote: 1, commit: 0 });
    st.appendEntries([e(1, 2)]);
    st.sync();
    st.appendEntries([e(2, 2)]);
    m.crash();
    expect(new RaftStorage(m.disk).load()).toEqual({
      hardState: { term: 2, vote: 1, commit: 0 },
      snapshot: undefined,
      entries: [e(1, 2)],
    });
  });
});
