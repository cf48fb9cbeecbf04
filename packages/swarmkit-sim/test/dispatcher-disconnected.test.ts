// Node status DISCONNECTED (SWARMKIT.md §4.2): when the dispatcher drops a node's session the
// node shows `Disconnected` with `node is currently trying to find new manager` until it
// registers again (Ready) or its heartbeat grace ends (Down); a new leader still marks every
// node that is not down Unknown, and a stepping-down leader's dispatcher does not override it.
import { describe, expect, it } from "vitest";
import type { Node, NodeState } from "../src/api/types";
import { Sim } from "../src/kernel/sim";
import { NODE_DISCONNECTED_MESSAGE } from "../src/manager/dispatcher/dispatcher";
import type { StoreEvent } from "../src/manager/store/actions";
import type { SwarmNode } from "../src/node/swarm-node";
import { buildSwarm } from "../src/swarm/build";
import { docker } from "./support/swarm-cli";

/** The statuses `node` goes through in `manager`'s store, from now on. */
function statusHistory(manager: SwarmNode, nodeId: string): { state: NodeState; message: string }[] {
  const seen: { state: NodeState; message: string }[] = [];
  manager.manager!.store.events.on("change", (e: StoreEvent) => {
    if (e.type !== "node" || e.object.id !== nodeId) return;
    const n = e.object as Node;
    const last = seen[seen.length - 1];
    if (!last || last.state !== n.status.state || last.message !== n.status.message)
      seen.push({ state: n.status.state, message: n.status.message });
  });
  return seen;
}

function lsStatus(sim: Sim, on: SwarmNode, hostname: string): string {
  const row = docker(sim, on, "node ls", [], { format: "{{.Hostname}} {{.Status}}" })
    .out.split("\n")
    .find((l) => l.startsWith(`${hostname} `));
  return row?.split(" ")[1] ?? "";
}

describe("node status DISCONNECTED", () => {
  it("a node told to disconnect shows Disconnected, then Ready once its agent registers again", () => {
    const sim = new Sim({ seed: 51 });
    const s = buildSwarm(sim, { managers: 1, workers: 2 });
    sim.runFor(20_000);
    const [leader] = s.managers;
    const [w, other] = s.workers;
    const history = statusHistory(leader, w.nodeId);
    const d = leader.manager!.activeDispatcher!;
    expect(d.disconnect(w.nodeId)).toBe(true);
    expect(w.agent!.connected).toBe(true);
    // The agent hears `node must disconnect` and is off at once.
    expect(sim.runUntil(() => !w.agent!.connected, 1000)).toBe(true);
    expect(sim.runUntil(() => history.length >= 2, 10_000)).toBe(true);
    expect(history).toEqual([
      { state: "disconnected", message: NODE_DISCONNECTED_MESSAGE },
      { state: "ready", message: "" },
    ]);
    // READY is committed before the session opens; the reply follows.
    expect(sim.runUntil(() => w.agent!.connected, 1000)).toBe(true);
    expect(leader.manager!.store.get("node", other.nodeId)?.status.state).toBe("ready");
    expect(d.disconnect("no-such-node")).toBe(false);
  });

  it("stays Disconnected in docker node ls while the node is unreachable, then goes Down", () => {
    const sim = new Sim({ seed: 52 });
    const s = buildSwarm(sim, { managers: 1, workers: 1 });
    sim.runFor(20_000);
    const [leader] = s.managers;
    const [w] = s.workers;
    const host = w.machine.name;
    sim.net.isolate(host);
    leader.manager!.activeDispatcher!.disconnect(w.nodeId);
    sim.runFor(1000);
    expect(leader.manager!.store.get("node", w.nodeId)?.status).toMatchObject({
      state: "disconnected",
      message: NODE_DISCONNECTED_MESSAGE,
    });
    expect(lsStatus(sim, leader, host)).toBe("Disconnected");
    // Its last heartbeat grace (period x 3, at most 16.5 s) still runs out.
    sim.runFor(17_000);
    expect(leader.manager!.store.get("node", w.nodeId)?.status).toMatchObject({
      state: "down",
      message: "heartbeat failure",
    });
    expect(lsStatus(sim, leader, host)).toBe("Down");
    sim.net.reconnect(host);
    expect(
      sim.runUntil(() => leader.manager!.store.get("node", w.nodeId)?.status.state === "ready", 30_000),
    ).toBe(true);
    expect(lsStatus(sim, leader, host)).toBe("Ready");
  });

  it("a new leader still marks nodes Unknown; the old leader's stopping dispatcher cannot write", () => {
    const sim = new Sim({ seed: 53 });
    const s = buildSwarm(sim, { managers: 3, workers: 1 });
    sim.runFor(20_000);
    const old = s.managers.find((m) => m.manager?.activeDispatcher)!;
    const rest = s.managers.filter((m) => m !== old);
    const [w] = s.workers;
    const histories = rest.map((m) => statusHistory(m, w.nodeId));
    sim.net.isolate(old.machine.name);
    expect(sim.runUntil(() => rest.some((m) => m.manager?.activeDispatcher), 60_000)).toBe(true);
    expect(sim.runUntil(() => !old.manager?.activeDispatcher, 60_000)).toBe(true);
    const leader = rest.find((m) => m.manager?.activeDispatcher)!;
    expect(
      sim.runUntil(() => leader.manager!.store.get("node", w.nodeId)?.status.state === "ready", 60_000),
    ).toBe(true);
    const h = histories[rest.indexOf(leader)];
    expect(h[0]).toEqual({
      state: "unknown",
      message: `Node moved to "unknown" state due to leadership change in cluster`,
    });
    expect(h[h.length - 1].state).toBe("ready");
    expect(h.some((x) => x.state === "disconnected")).toBe(false);
  });
});
