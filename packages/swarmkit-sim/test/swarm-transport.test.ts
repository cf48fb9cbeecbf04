// RPC over the kernel network: request/response, deadlines, server restarts, pushes, and the
// handshake that verifies a certificate once per connection.
import { describe, expect, it } from "vitest";
import { Sim } from "../src/kernel/sim";
import { GrpcError } from "../src/transport/grpc-error";
import type { Credentials } from "../src/transport/identity";
import { RpcClient } from "../src/transport/rpc-client";
import { FINISHED_WAIT_MS } from "../src/transport/conn-table";
import { RpcServer } from "../src/transport/rpc-server";
import { verifyPeerChain } from "../src/transport/tls";
import { testPki } from "./support/tls-fixtures";

function world() {
  const sim = new Sim({ seed: 1 });
  const a = sim.addMachine("a");
  const b = sim.addMachine("b");
  const pki = testPki(sim);
  const serverId = pki.issue("server");
  let verifications = 0;
  const server = new RpcServer(b, 2377, {
    verifyClient: (chain) => {
      verifications++;
      return verifyPeerChain(chain, [pki.rootPem], b.localNow(), sim.epochMs);
    },
    serverCredentials: () => serverId,
    authorize: (peer, level) =>
      level === "insecure" || peer ? null : new GrpcError("PermissionDenied", "no cert"),
    authorizeForwarded: () => null,
  });
  server.handle("Echo", "any", (req, call) => call.reply({ echo: req, peer: call.peer?.nodeId }));
  server.handle("Open", "insecure", (_req, call) => call.reply({ ok: true }));
  server.handle("Never", "any", () => {});
  server.start();
  const as = (creds: Credentials | null) => ({ credentials: () => creds });
  return { sim, a, b, server, pki, as, verifications: () => verifications };
}

function call(sim: Sim, c: RpcClient, method: string, body: unknown, timeout = 5000) {
  let out: { err: GrpcError | null; res?: any } | undefined;
  c.call(method, body, timeout, (err, res) => {
    out = { err, res };
  });
  sim.runUntil(() => out !== undefined, 60_000);
  return out!;
}

describe("rpc transport", () => {
  it("answers requests and verifies the certificate once per connection", () => {
    const w = world();
    const c = new RpcClient(
      w.a,
      { address: w.b.address, port: 2377 },
      w.as(w.pki.issue("node-a", "swarm-worker")),
    );
    expect(call(w.sim, c, "Echo", 1).res).toEqual({ echo: 1, peer: "node-a" });
    expect(call(w.sim, c, "Echo", 2).res).toEqual({ echo: 2, peer: "node-a" });
    expect(w.verifications()).toBe(1);
    c.reconnect();
    expect(call(w.sim, c, "Echo", 3).res?.echo).toBe(3);
    expect(w.verifications()).toBe(2);
  });

  it("refuses a bad certificate at the handshake and lets certless clients reach insecure methods only", () => {
    const w = world();
    const bad = new RpcClient(w.a, { address: w.b.address, port: 2377 }, w.as(w.pki.foreign("bad")));
    expect(call(w.sim, bad, "Open", {}).err?.message).toBe(
      'rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: remote error: tls: unknown certificate authority"',
    );
    const none = new RpcClient(w.a, { address: w.b.address, port: 2377 }, w.as(null));
    expect(call(w.sim, none, "Open", {}).res).toEqual({ ok: true });
    expect(call(w.sim, none, "Echo", {}).err?.code).toBe("PermissionDenied");
  });

  it("times out when the server does not answer or is unreachable", () => {
    const w = world();
    const c = new RpcClient(w.a, { address: w.b.address, port: 2377 }, w.as(w.pki.issue("x")));
    const t0 = w.sim.now();
    expect(call(w.sim, c, "Never", {}, 3000).err?.message).toBe(
      "rpc error: code = DeadlineExceeded desc = context deadline exceeded",
    );
    expect(w.sim.now() - t0).toBeCloseTo(3000, 0);
    w.sim.net.isolate("b");
    expect(call(w.sim, c, "Echo", 1, 2000).err?.code).toBe("DeadlineExceeded");
  });

  it("handshakes again when the server forgot the connection (restart)", () => {
    const w = world();
    const c = new RpcClient(w.a, { address: w.b.address, port: 2377 }, w.as(w.pki.issue("x")));
    expect(call(w.sim, c, "Echo", 1).err).toBeNull();
    w.server.dropConnections();
    expect(call(w.sim, c, "Echo", 2).res?.echo).toBe(2);
    expect(w.verifications()).toBe(2);
  });

  it("handshakes again when the client's Finished was lost (requests are not held for good)", () => {
    const w = world();
    // The network loses the client's Finished: the client believes the connection open, the
    // server holds its requests waiting for the Finished.
    const send = w.a.send.bind(w.a);
    let lost = 0;
    w.a.send = ((to, payload, port) => {
      if ((payload as { t?: string }).t === "fin" && lost++ === 0) return;
      return send(to, payload, port);
    }) as typeof w.a.send;
    const c = new RpcClient(w.a, { address: w.b.address, port: 2377 }, w.as(w.pki.issue("x")));
    expect(call(w.sim, c, "Echo", 1, 3000).err?.code).toBe("DeadlineExceeded");
    // Past FINISHED_WAIT_MS the server forgets the handshake and answers "reset".
    w.sim.runFor(FINISHED_WAIT_MS);
    expect(call(w.sim, c, "Echo", 2, 3000).res?.echo).toBe(2);
    expect(lost).toBe(2);
  });

  it("delivers server pushes on the connection", () => {
    const w = world();
    let conn = 0;
    w.server.handle("Sub", "any", (_r, callx) => {
      conn = callx.conn;
      callx.reply({});
    });
    const c = new RpcClient(w.a, { address: w.b.address, port: 2377 }, w.as(w.pki.issue("x")));
    const got: unknown[] = [];
    c.onPush = (b) => got.push(b);
    call(w.sim, c, "Sub", {});
    w.server.push(conn, { hello: 1 });
    w.sim.runFor(10);
    expect(got).toEqual([{ hello: 1 }]);
  });
});
