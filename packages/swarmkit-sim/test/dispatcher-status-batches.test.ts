// The dispatcher writes node statuses in batches and retries a batch that failed (a conflict, a
// lost proposal). A retry must never bring back a status that a later one has replaced: a new
// leader's UNKNOWN whose batch failed, put back after the node registered and its READY
// committed, used to commit last and leave the node Unknown with a live session.
import { describe, expect, it } from "vitest";
import type { RegisterResponse } from "../src/api/dispatcher";
import type { Node } from "../src/api/types";
import { Sim } from "../src/kernel/sim";
import { Dispatcher, STATUS_BATCH_MS } from "../src/manager/dispatcher/dispatcher";
import { DirectProposer, MemoryStore, type Proposer, type StoreAction, WriteTx } from "../src/manager/store";
import type { RpcServer, ServerCall } from "../src/transport/rpc-server";
import type { GrpcError } from "../src/transport/grpc-error";
import { nodeObject } from "./support/services-fixtures";

/** Applies proposals to the store only when the test settles them, in the order it chooses. */
class HeldProposer implements Proposer {
  readonly held: { actions: StoreAction[]; done: (err: Error | null) => void }[] = [];
  constructor(private readonly direct: DirectProposer) {}
  propose(actions: StoreAction[], done: (err: Error | null) => void): void {
    this.held.push({ actions, done });
  }
  /** The statuses the i-th held proposal writes. */
  states(i: number): string[] {
    return this.held[i].actions.flatMap((a) =>
      a.type === "node" && a.op !== "delete" ? [(a.object as Node).status.state] : [],
    );
  }
  commit(i: number): void {
    this.direct.propose(this.held[i].actions, this.held[i].done);
  }
  fail(i: number): void {
    this.held[i].done(new Error("update out of sequence"));
  }
}

/** A Dispatcher.Session call from `nodeId` on no connection (no pushes). */
function registerCall(nodeId: string, out: { res?: RegisterResponse; err?: GrpcError }): ServerCall {
  return {
    peer: { nodeId, role: "swarm-worker", clusterId: "c1" },
    fromAddress: "10.0.0.9",
    conn: 0,
    stream: 0,
    slot: null,
    direct: true,
    reply: (body) => {
      out.res = body as RegisterResponse;
    },
    fail: (err) => {
      out.err = err;
    },
  } as ServerCall;
}

describe("dispatcher status batches", () => {
  it("a failed batch does not bring back a status replaced meanwhile (UNKNOWN after READY)", () => {
    const sim = new Sim({ seed: 91 });
    const machine = sim.addMachine("manager1");
    const store = new MemoryStore();
    const tx = new WriteTx(store, 0);
    tx.create("node", { ...nodeObject("w1"), status: { state: "ready", message: "", addr: "10.0.0.9" } });
    store.apply(tx.actions);
    const proposer = new HeldProposer(new DirectProposer(store));
    const d = new Dispatcher({
      machine,
      store,
      proposer,
      random: sim.random.fork("dispatcher"),
      server: null as unknown as RpcServer,
      managers: () => ["10.0.0.2:2377"],
    });
    // A new leader: w1 becomes UNKNOWN; that batch fails, and its retry is in flight ...
    d.start();
    sim.runFor(STATUS_BATCH_MS);
    expect(proposer.states(0)).toEqual(["unknown"]);
    proposer.fail(0);
    sim.runFor(STATUS_BATCH_MS);
    expect(proposer.states(1)).toEqual(["unknown"]);
    // ... when w1 registers: READY goes in the next batch.
    const out: { res?: RegisterResponse; err?: GrpcError } = {};
    d.register({ description: nodeObject("w1").description! }, registerCall("w1", out));
    sim.runFor(STATUS_BATCH_MS);
    expect(proposer.states(2)).toEqual(["ready"]);
    // The UNKNOWN retry fails too, then READY commits and the session opens.
    proposer.fail(1);
    proposer.commit(2);
    expect(out.res?.sessionId).toBeTruthy();
    sim.runFor(10 * STATUS_BATCH_MS);
    for (let i = 3; i < proposer.held.length; i++) proposer.commit(i);
    expect(store.get("node", "w1")!.status.state).toBe("ready");
    d.stop();
  });
});
