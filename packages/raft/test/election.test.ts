import { describe, expect, it } from "vitest";
import { RaftNode, seededRandom, StepNetwork, SWARMKIT_DEFAULTS } from "../src";
import { drain, msg, newNode, sent, storageWithLog } from "./helpers";

describe("defaults", () => {
  it("match SwarmKit's raft configuration", () => {
    expect(SWARMKIT_DEFAULTS).toMatchObject({
      electionTick: 10,
      heartbeatTick: 1,
      checkQuorum: true,
      preVote: false,
      maxInflightMsgs: 256,
      snapshotInterval: 10000,
      logEntriesForSlowFollowers: 500,
    });
  });

  it("rejects invalid configurations with etcd's messages", () => {
    const random = seededRandom(1);
    expect(() => new RaftNode({ id: 0, random })).toThrow("raft: cannot use none as id");
    expect(() => new RaftNode({ id: 1, random, electionTick: 1 })).toThrow(
      "raft: election tick must be greater than heartbeat tick",
    );
  });
});

describe("follower -> candidate", () => {
  it("campaigns after a randomized timeout in [electionTick, 2*electionTick)", () => {
    const seen = new Set<number>();
    for (let seed = 1; seed <= 60; seed++) {
      const n = new RaftNode({
        id: 1,
        random: seededRandom(seed),
        storage: storageWithLog([], [1, 2, 3], 0),
      });
      let ticks = 0;
      while (n.status().raftState === "follower") {
        n.tick();
        ticks++;
        expect(ticks).toBeLessThan(20);
      }
      expect(ticks).toBeGreaterThanOrEqual(10);
      seen.add(ticks);
    }
    // The timeouts really are spread out.
    expect(seen.size).toBeGreaterThan(5);
  });

  it("a candidate bumps its term, votes for itself and asks every peer with its last index and term", () => {
    const n = newNode(1, [1, 2, 3]);
    n.campaign();
    const rds = drain(n);
    expect(n.status()).toMatchObject({ raftState: "candidate", term: 1, vote: 1 });
    expect(rds[0].hardState).toEqual({ term: 1, vote: 1, commit: 0 });
    const votes = rds.flatMap((r) => r.messages);
    expect(votes.map((m) => [m.type, m.to, m.term, m.index, m.logTerm])).toEqual([
      ["MsgVote", 2, 1, 0, 0],
      ["MsgVote", 3, 1, 0, 0],
    ]);
  });

  it("a candidate with a majority of votes becomes leader, appends an empty entry and replicates it", () => {
    const n = newNode(1, [1, 2, 3]);
    n.campaign();
    drain(n);
    n.step(msg({ type: "MsgVoteResp", from: 2, to: 1, term: 1 }));
    expect(n.status().raftState).toBe("leader");
    const rds = drain(n);
    expect(rds[0].softState).toEqual({ lead: 1, raftState: "leader" });
    expect(rds[0].entries).toEqual([{ term: 1, index: 1, type: "normal", data: undefined }]);
    expect(rds[0].messages.map((m) => [m.type, m.to, m.index, m.logTerm, m.entries.length])).toEqual([
      ["MsgApp", 2, 0, 0, 1],
      ["MsgApp", 3, 0, 0, 1],
    ]);
  });

  it("a candidate rejected by a majority returns to follower", () => {
    const n = newNode(1, [1, 2, 3]);
    n.campaign();
    drain(n);
    n.step(msg({ type: "MsgVoteResp", from: 2, to: 1, term: 1, reject: true }));
    expect(n.status().raftState).toBe("candidate");
    n.step(msg({ type: "MsgVoteResp", from: 3, to: 1, term: 1, reject: true }));
    expect(n.status()).toMatchObject({ raftState: "follower", term: 1 });
  });

  it("a candidate that hears from a leader of its term becomes its follower", () => {
    const n = newNode(1, [1, 2, 3]);
    n.campaign();
    drain(n);
    n.step(msg({ type: "MsgApp", from: 2, to: 1, term: 1 }));
    expect(n.status()).toMatchObject({ raftState: "follower", lead: 2, term: 1 });
  });

  it("a single voter elects itself at once and commits alone", () => {
    const net = new StepNetwork([1]);
    net.elect(1);
    expect(net.node(1).status()).toMatchObject({ raftState: "leader", term: 2 });
    net.propose(1, "x");
    expect(net.applied.get(1)).toEqual(["x"]);
  });

  it("a node that is not a voter never campaigns", () => {
    const n = new RaftNode({ id: 9, random: seededRandom(1) });
    for (let i = 0; i < 100; i++) n.tick();
    n.campaign();
    expect(n.status()).toMatchObject({ raftState: "follower", term: 0 });
  });
});

describe("voting", () => {
  it("grants one vote per term, and repeats it to the same candidate", () => {
    const n = newNode(1, [1, 2, 3]);
    n.step(msg({ type: "MsgVote", from: 2, to: 1, term: 1 }));
    n.step(msg({ type: "MsgVote", from: 3, to: 1, term: 1 }));
    n.step(msg({ type: "MsgVote", from: 2, to: 1, term: 1 }));
    expect(sent(n).map((m) => [m.to, m.reject])).toEqual([
      [2, false],
      [3, true],
      [2, false],
    ]);
    expect(n.status().vote).toBe(2);
  });

  it("rejects a candidate whose log is behind (lower last term, or same term and shorter)", () => {
    const n = new RaftNode({
      id: 1,
      random: seededRandom(1),
      storage: storageWithLog([1, 2, 2], [1, 2, 3], 2),
    });
    drain(n);
    const ask = (from: number, term: number, index: number, logTerm: number) => {
      n.step(msg({ type: "MsgVote", from, to: 1, term, index, logTerm }));
      return sent(n)[0].reject;
    };
    expect(ask(2, 3, 5, 1)).toBe(true); // longer log, older last term
    expect(ask(3, 4, 2, 2)).toBe(true); // same last term, shorter
    expect(ask(2, 5, 3, 2)).toBe(false); // same last term, same length
  });

  it("a higher term makes any node a follower of that term; a lower term is ignored", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    const leader = net.node(1);
    const term = leader.status().term;
    leader.step(msg({ type: "MsgApp", from: 2, to: 1, term: term - 1 }));
    expect(leader.status().raftState).toBe("leader");
    leader.step(msg({ type: "MsgHeartbeatResp", from: 2, to: 1, term: term + 3 }));
    expect(leader.status()).toMatchObject({ raftState: "follower", term: term + 3, lead: 0 });
  });

  it("with CheckQuorum a stale leader's append is answered with the newer term", () => {
    const n = newNode(1, [1, 2, 3]);
    n.step(msg({ type: "MsgHeartbeat", from: 2, to: 1, term: 5 }));
    drain(n);
    n.step(msg({ type: "MsgApp", from: 3, to: 1, term: 4 }));
    expect(sent(n).map((m) => [m.type, m.to, m.term])).toEqual([["MsgAppResp", 3, 5]]);
  });
});

describe("PreVote", () => {
  const preVote = { preVote: true };

  it("a pre-candidate asks for term+1 without changing its term or vote", () => {
    const n = newNode(1, [1, 2, 3], preVote);
    n.campaign();
    const msgs = sent(n);
    expect(n.status()).toMatchObject({ raftState: "preCandidate", term: 0, vote: 0 });
    expect(msgs.map((m) => [m.type, m.term])).toEqual([
      ["MsgPreVote", 1],
      ["MsgPreVote", 1],
    ]);
  });

  it("winning the pre-vote starts the real election; losing it leaves the term alone", () => {
    const a = newNode(1, [1, 2, 3], preVote);
    a.campaign();
    drain(a);
    a.step(msg({ type: "MsgPreVoteResp", from: 2, to: 1, term: 1 }));
    expect(a.status()).toMatchObject({ raftState: "candidate", term: 1, vote: 1 });

    const b = newNode(1, [1, 2, 3], preVote);
    b.campaign();
    drain(b);
    b.step(msg({ type: "MsgPreVoteResp", from: 2, to: 1, term: 0, reject: true }));
    b.step(msg({ type: "MsgPreVoteResp", from: 3, to: 1, term: 0, reject: true }));
    expect(b.status()).toMatchObject({ raftState: "follower", term: 0 });
  });

  it("a pre-vote request never changes the voter's term or vote", () => {
    const n = newNode(1, [1, 2, 3], preVote);
    n.step(msg({ type: "MsgPreVote", from: 2, to: 1, term: 7 }));
    const [resp] = sent(n);
    expect(resp).toMatchObject({ type: "MsgPreVoteResp", term: 7, reject: false });
    expect(n.status()).toMatchObject({ term: 0, vote: 0 });
  });

  it("a partitioned node rejoining does not disrupt a healthy leader", () => {
    const net = new StepNetwork([1, 2, 3], { config: preVote });
    net.elect(1);
    const term = net.node(1).status().term;
    net.isolate(3);
    net.tickAll(100); // node 3 keeps pre-campaigning and losing, its term stays put
    expect(net.node(3).status().term).toBe(term);
    net.heal();
    net.tickAll(30);
    expect(net.leader()).toBe(1);
    expect(net.node(1).status().term).toBe(term);
  });
});

describe("CheckQuorum", () => {
  it("a leader that cannot hear a quorum for an election timeout steps down", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.isolate(1);
    net.tick(1, 9);
    expect(net.node(1).status().raftState).toBe("leader");
    net.tick(1, 11);
    expect(net.node(1).status().raftState).toBe("follower");
  });

  it("a leader that hears a quorum stays, even with one peer gone", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.crash(3);
    net.tickAll(50);
    expect(net.leader()).toBe(1);
  });

  it("followers that heard from the leader recently ignore a disruptive candidate's votes", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    const term = net.node(1).status().term;
    net.node(3).campaign(); // as if its timer fired early
    net.process(3);
    net.filter = (m) => m.type !== "MsgAppResp" || m.from !== 3; // only look at the votes
    net.deliverAll();
    expect(net.node(2).status()).toMatchObject({ term, lead: 1, vote: 1 });
    expect(net.leader()).toBe(1);
  });

  it("without CheckQuorum an isolated leader keeps believing it leads", () => {
    const net = new StepNetwork([1, 2, 3], { config: { checkQuorum: false } });
    net.elect(1);
    net.isolate(1);
    net.tick(1, 50);
    expect(net.node(1).status().raftState).toBe("leader");
  });
});

describe("leader heartbeats", () => {
  it("every heartbeatTick, with commit capped at what each follower has", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    net.isolate(3);
    net.propose(1, "x");
    net.deliverAll();
    net.heal();
    net.node(1).tick();
    const beats = sent(net.node(1)).filter((m) => m.type === "MsgHeartbeat");
    const commit = net.node(1).status().commit;
    expect(beats.map((m) => [m.to, m.commit])).toEqual([
      [2, commit],
      [3, commit - 1],
    ]);
  });

  it("the leader ignores an election request", () => {
    const net = new StepNetwork([1, 2, 3]);
    net.elect(1);
    const term = net.node(1).status().term;
    net.node(1).campaign();
    expect(net.node(1).status()).toMatchObject({ raftState: "leader", term });
  });
});
