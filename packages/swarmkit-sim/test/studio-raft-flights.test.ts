// Raft in flight (lab/studio/raft-flights.ts over the raft host's wire tap): on a real lab of
// three managers, the leader's heartbeats and appends fly to the followers and their answers
// come back, each landing where it was sent; a message to a manager cut off by a partition
// never lands; an election shows as votes. Watching changes nothing (the same trace hash), and
// once detached the tap has no handlers left.
import { describe, expect, it } from "vitest";
import { type FlightBatch, Lab, RaftFlights } from "../src/index";
import { THREE_MANAGER_SWARM } from "./support/lab-lines";

function threeManagers(seed: string): Lab {
  const lab = new Lab({ seed, services: true });
  for (const line of THREE_MANAGER_SWARM) lab.run(line);
  lab.run("sleep 3");
  return lab;
}

function collect(flights: RaftFlights, lab: Lab, ms: number): FlightBatch {
  const all: FlightBatch = { flights: [], landed: [] };
  for (let t = 0; t < ms; t += 100) {
    lab.sim.runFor(100);
    const b = flights.drain();
    all.flights.push(...b.flights);
    all.landed.push(...b.landed);
  }
  return all;
}

describe("Raft in flight", () => {
  it("shows heartbeats from the leader and their answers, each landing; a partitioned follower's never land", () => {
    const lab = threeManagers("flights");
    const flights = new RaftFlights();
    flights.attach(lab);
    const quiet = collect(flights, lab, 3000);
    const landed = new Set(quiet.landed);
    const beats = quiet.flights.filter((f) => f.type === "Heartbeat");
    expect(new Set(beats.map((f) => `${f.from}>${f.to}`))).toEqual(new Set(["node2>node3", "node2>node4"]));
    // SwarmKit's heartbeat tick is one second: about three to each follower.
    expect(beats.length).toBeGreaterThanOrEqual(4);
    expect(beats.every((f) => landed.has(f.id))).toBe(true);
    const answers = quiet.flights.filter((f) => f.type === "HeartbeatResp");
    expect(new Set(answers.map((f) => `${f.from}>${f.to}`))).toEqual(new Set(["node3>node2", "node4>node2"]));
    expect(answers.every((f) => landed.has(f.id) && f.term === beats[0].term)).toBe(true);

    lab.run("partition node4");
    flights.drain(); // (what was sent before the partition)
    const cut = collect(flights, lab, 3000);
    const cutLanded = new Set(cut.landed);
    const toNode4 = cut.flights.filter((f) => f.to === "node4");
    expect(toNode4.length).toBeGreaterThan(0);
    expect(toNode4.some((f) => cutLanded.has(f.id))).toBe(false);
    expect(cut.flights.filter((f) => f.to === "node3").every((f) => cutLanded.has(f.id))).toBe(true);
  });

  it("shows an election as votes once the leader dies", () => {
    const lab = threeManagers("flights-election");
    const flights = new RaftFlights();
    flights.attach(lab);
    lab.run("docker kill node2");
    const b = collect(flights, lab, 25_000);
    const votes = b.flights.filter((f) => f.type === "Vote" || f.type === "PreVote");
    expect(votes.length).toBeGreaterThan(0);
    expect(votes.every((f) => f.from !== "node2")).toBe(true);
    const granted = b.flights.filter((f) => f.type === "VoteResp" && !f.reject);
    expect(granted.length).toBeGreaterThan(0);
    expect(b.flights.some((f) => f.type === "App" && f.term > 2)).toBe(true);
  });

  it("only looks: the same trace watched or not; detached, the tap has no handlers", () => {
    const run = (watch: boolean) => {
      const lab = threeManagers("flights-trace");
      const flights = new RaftFlights();
      if (watch) flights.attach(lab);
      lab.run("docker kill node3");
      collect(flights, lab, 8000);
      flights.detach();
      expect(lab.raftWire.sent).toBeUndefined();
      expect(lab.raftWire.received).toBeUndefined();
      return lab.sim.trace.hash();
    };
    expect(run(true)).toBe(run(false));
  });
});
