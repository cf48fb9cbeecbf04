// Call deadlines kept in the shared per-timeout FIFO (transport/deadlines.ts): a call fails at
// its deadline exactly, answered calls cost no timer event, and the deadline follows the
// client machine as its own timer would (held while paused, gone after a crash, later when
// its clock is set back).
import { describe, expect, it } from "vitest";
import { Sim } from "../src/kernel/sim";
import type { GrpcError } from "../src/transport/grpc-error";
import { deadlinesFor } from "../src/transport/deadlines";
import { RpcClient } from "../src/transport/rpc-client";
import { RpcServer } from "../src/transport/rpc-server";
import { verifyPeerChain } from "../src/transport/tls";
import { testPki } from "./support/tls-fixtures";

function world() {
  const sim = new Sim({ seed: 7 });
  const a = sim.addMachine("a");
  const b = sim.addMachine("b");
  a.start();
  b.start();
  const pki = testPki(sim);
  const serverId = pki.issue("server");
  const clientId = pki.issue("a", "swarm-worker");
  const server = new RpcServer(b, 2377, {
    verifyClient: (chain) => verifyPeerChain(chain, [pki.rootPem], b.localNow(), sim.epochMs),
    serverCredentials: () => serverId,
    authorize: () => null,
    authorizeForwarded: () => null,
  });
  server.handle("Echo", "any", (req, call) => call.reply(req));
  server.handle("Never", "any", () => {});
  server.start();
  const client = new RpcClient(a, { address: b.address, port: 2377 }, { credentials: () => clientId });
  return { sim, a, b, client };
}

type Outcome = { err: GrpcError | null; at: number } | undefined;

function start(sim: Sim, c: RpcClient, method: string, timeout: number): () => Outcome {
  let out: Outcome;
  c.call(method, {}, timeout, (err) => {
    out = { err, at: sim.now() };
  });
  return () => out;
}

describe("rpc deadlines", () => {
  it("fails an unanswered call at its deadline exactly, among answered ones", () => {
    const w = world();
    const answered = start(w.sim, w.client, "Echo", 1000);
    const t0 = w.sim.now();
    const lost = start(w.sim, w.client, "Never", 1000);
    const later = [0, 1, 2].map(() => start(w.sim, w.client, "Echo", 1000));
    w.sim.runFor(5000);
    expect(answered()?.err).toBeNull();
    for (const l of later) expect(l()?.err).toBeNull();
    expect(lost()?.err?.code).toBe("DeadlineExceeded");
    expect(lost()!.at).toBe(t0 + 1000);
  });

  it("runs no timer per answered call", () => {
    const w = world();
    let done = 0;
    const beat = () =>
      w.client.call("Echo", {}, 5000, () => {
        done++;
        if (done < 200) w.a.after(100, beat);
      });
    beat();
    const before = w.sim.eventsRun;
    w.sim.runFor(60_000);
    expect(done).toBe(200);
    // Per call: the request, the answer and the next call's timer; the deadlines add a handful.
    expect(w.sim.eventsRun - before).toBeLessThan(200 * 3 + 20);
  });

  it("holds the deadline while the client machine is paused, and drops it after a crash", () => {
    const w = world();
    const paused = start(w.sim, w.client, "Never", 1000);
    w.a.pause();
    w.sim.runFor(3000);
    expect(paused()).toBeUndefined();
    w.a.resume();
    w.sim.runFor(1);
    expect(paused()?.err?.code).toBe("DeadlineExceeded");

    const crashed = start(w.sim, w.client, "Never", 1000);
    w.a.crash();
    w.a.start();
    w.sim.runFor(5000);
    expect(crashed()).toBeUndefined();
  });

  it("waits for the machine's own clock when it was set back", () => {
    const w = world();
    const t0 = w.sim.now();
    const out = start(w.sim, w.client, "Never", 1000);
    w.a.setClockSkew(-500);
    w.sim.runFor(5000);
    expect(out()?.err?.code).toBe("DeadlineExceeded");
    expect(out()!.at).toBeCloseTo(t0 + 1500, 6);
  });

  it("expires calls of different timeouts each at its own deadline", () => {
    const w = world();
    const t0 = w.sim.now();
    const long = start(w.sim, w.client, "Never", 3000);
    const short = start(w.sim, w.client, "Never", 1000);
    w.sim.runFor(10_000);
    expect(short()!.at).toBe(t0 + 1000);
    expect(long()!.at).toBe(t0 + 3000);
  });
});

describe("deadline FIFO slots", () => {
  /** A call stub: records when it expired. */
  function call(expiresAt: number, expired: number[]) {
    return { expiresAt, expire: () => expired.push(expiresAt) };
  }

  it("never expires a released call, also after the FIFO compacts its slots", () => {
    const sim = new Sim({ seed: 1 });
    const fifo = deadlinesFor(sim, 1000);
    const expired: number[] = [];
    // 3000 calls 1 ms apart; every call but each 500th is released at once (answered): the
    // FIFO must never expire a released call.
    for (let i = 0; i < 3000; i++) {
      sim.runFor(1);
      const c = call(sim.now() + 1000, expired);
      const slot = fifo.add(c);
      if (i % 500 !== 0) fifo.release(c, slot);
    }
    sim.runFor(2000);
    expect(expired).toEqual([1001, 1501, 2001, 2501, 3001, 3501]);
  });

  it("ignores a release of a slot that was already expired or compacted away", () => {
    const sim = new Sim({ seed: 1 });
    const fifo = deadlinesFor(sim, 10);
    const expired: number[] = [];
    const first = call(10, expired);
    const slot = fifo.add(first);
    sim.runFor(20);
    const second = call(30, expired);
    fifo.add(second);
    fifo.release(first, slot); // stale: must not clear the second call's slot
    sim.runFor(20);
    expect(expired).toEqual([10, 30]);
  });

  it("callWith hands its context to the shared answer function: answers, deadlines, a closed client", () => {
    const w = world();
    type Ctx = { name: string; got: string[] };
    const answer = (ctx: Ctx, err: GrpcError | null, res?: unknown) =>
      ctx.got.push(err ? `${ctx.name}:${err.code}` : `${ctx.name}:${JSON.stringify(res)}`);
    const one: Ctx = { name: "one", got: [] };
    const two: Ctx = { name: "two", got: [] };
    w.client.callWith("Echo", { n: 1 }, 1000, answer, one);
    w.client.callWith("Never", {}, 1000, answer, two);
    w.sim.runFor(2000);
    expect(one.got).toEqual(['one:{"n":1}']);
    expect(two.got).toEqual(["two:DeadlineExceeded"]);
    w.client.close();
    w.client.callWith("Echo", {}, 1000, answer, one);
    expect(one.got).toEqual(['one:{"n":1}', "one:Canceled"]);
  });
});
