import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Concurrency,
  Engine,
  ExchangeClient,
  HttpClient,
  HttpRequest,
  HttpResponse,
  ImageRegistry,
  type NetError,
  type Program,
  type ProgramContext,
  Sim,
  fcParams,
  replyHttp,
  serveHttp,
} from "../../src/index";
import { responseHead } from "../../src/engine/http/message";
import { CONNECT_TIMEOUT_MS, ExchangeServer, HOST_UNREACHABLE_MS } from "../../src/engine/net/exchange";
import { type ServedRecord, checkSchedule, limitOf } from "./schedule-check";
import { world } from "./fixtures";

/** A server that records each request's arrival, start and finish; service time from the path. */
class RecordingServer implements Program {
  readonly records: ServedRecord[] = [];
  constructor(private readonly model: Concurrency) {}
  start(ctx: ProgramContext): void {
    serveHttp(ctx, 80, this.model, (req, inc) => {
      const [id, ms] = req.path.slice(1).split("/").map(Number);
      const rec: ServedRecord = { id, arrived: inc.arrivedAt, started: inc.startedAt, finished: -1 };
      this.records.push(rec);
      ctx.after(ms, () => {
        rec.finished = ctx.now();
        replyHttp(inc, new HttpResponse(200, String(id), "text/plain"));
      });
    });
  }
}

describe("engine: HTTP over the simulated network", () => {
  it("a GET goes out and back; the client measures the round trip", () => {
    const w = world();
    w.engine.createNetwork("app");
    w.engine.run({ image: "echo", name: "srv", network: "app" });
    w.engine.run({ image: "sleeper", name: "cli", network: "app" });
    const ctx = (w.programs.get("sleeper")![0] as unknown as { ctx: ProgramContext }).ctx;
    let latency = -1;
    let body = "";
    ctx.http.get({ host: "srv", port: 80 }, "/x", (err, res, ms) => {
      expect(err).toBeUndefined();
      body = res!.text;
      latency = ms;
    });
    w.sim.runFor(1000);
    expect(body).toMatch(/ \/x$/);
    // 10 ms of service plus two loopback hops of 0.02 ms.
    expect(latency).toBeCloseTo(10.04, 6);
  });

  it("nobody listening: Connection refused after one round trip", () => {
    const w = world();
    const http = new HttpClient(new ExchangeClient(w.engine.hostNet()), (n) => w.engine.resolveFromHost(n));
    let err: NetError | undefined;
    let at = -1;
    http.get({ host: "localhost", port: 81 }, "/", (e) => {
      err = e;
      at = w.sim.now();
    });
    w.sim.runFor(1000);
    expect(err?.code).toBe("ECONNREFUSED");
    expect(err?.message).toBe("Connection refused");
    expect(at).toBeCloseTo(0.04, 9);
  });

  it("an address nobody owns: No route to host after ARP gives up; a dead machine: the timeout", () => {
    const sim = new Sim({ seed: 1 });
    const a = sim.addMachine("a");
    const b = sim.addMachine("b");
    const ea = Engine.attach(a, { images: new ImageRegistry() });
    const client = new ExchangeClient(ea.hostNet());
    const seen: [string, number][] = [];
    client.call({ address: "10.9.9.9", port: 80 }, "x", 1, (e) => seen.push([e!.code, sim.now()]));
    b.listen(80, () => {});
    b.crash();
    client.call({ address: b.address, port: 80 }, "x", 1, (e) => seen.push([e!.code, sim.now()]), 5000);
    client.call({ address: b.address, port: 80 }, "x", 1, (e) => seen.push([e!.code, sim.now()]));
    sim.runFor(200_000);
    expect(seen).toEqual([
      ["EHOSTUNREACH", HOST_UNREACHABLE_MS],
      ["ETIMEDOUT", 5000],
      ["ETIMEDOUT", CONNECT_TIMEOUT_MS],
    ]);
  });

  it("a virtual router translates connections to addresses no machine owns (service VIPs)", () => {
    const w = world();
    w.engine.createNetwork("app");
    w.engine.run({ image: "echo", name: "a", network: "app" });
    w.engine.run({ image: "echo", name: "b", network: "app" });
    w.engine.run({ image: "sleeper", name: "cli", network: "app" });
    const ctx = (w.programs.get("sleeper")![0] as unknown as { ctx: ProgramContext }).ctx;
    const backends = ["a", "b"].map((n) => w.engine.container(n).address);
    let next = 0;
    const remove = w.engine.addVirtualRouter((to, from) => {
      if (to.address === "10.9.0.2") return { address: backends[next++ % 2], port: to.port };
      if (to.address === "10.9.0.3") return "refused";
      expect(from.machine).toBe(w.sim.machine("node1"));
      return undefined;
    });
    const seen: string[] = [];
    const get = (host: string) =>
      ctx.http.get({ host, port: 80 }, "/x", (e, res) => seen.push(e ? `${e.code} ${e.target}` : res!.text));
    for (let i = 0; i < 4; i++) get("10.9.0.2");
    get("10.9.0.3");
    get("10.9.0.4");
    w.sim.runFor(5000);
    const [ha, hb] = ["a", "b"].map((n) => w.engine.container(n).config.hostname);
    // The refusal comes from the node's own kernel (no round trip); ARP gives up after 3 s.
    expect(seen).toEqual([
      "ECONNREFUSED 10.9.0.3",
      `${ha} /x`,
      `${hb} /x`,
      `${ha} /x`,
      `${hb} /x`,
      "EHOSTUNREACH 10.9.0.4",
    ]);
    remove();
    get("10.9.0.2");
    w.sim.runFor(5000);
    expect(seen.at(-1)).toBe("EHOSTUNREACH 10.9.0.2");
  });

  it("a port whose server closed refuses again, also after the machine restarted", () => {
    const sim = new Sim({ seed: 5 });
    const a = sim.addMachine("a");
    const b = sim.addMachine("b");
    const client = new ExchangeClient(Engine.attach(a, { images: new ImageRegistry() }).hostNet());
    const host = Engine.attach(b, { images: new ImageRegistry() }).hostNet();
    const seen: string[] = [];
    const call = () =>
      client.call({ address: b.address, port: 7 }, "x", 1, (e, body) => seen.push(e ? e.code : String(body)));
    const open = () => new ExchangeServer(host, 7, { kind: "eventLoop" }, (inc) => inc.reply("pong", 4));
    const first = open();
    call();
    sim.runFor(10);
    first.close();
    call();
    sim.runFor(10);
    open();
    b.crash(); // listeners go with the machine
    b.start();
    call();
    sim.runFor(10);
    expect(seen).toEqual(["pong", "ECONNREFUSED", "ECONNREFUSED"]);
  });

  it("a server that goes away resets the requests it was serving and those waiting", () => {
    const w = world();
    w.engine.createNetwork("app");
    const srv = w.engine.run({ image: "echo-single", name: "srv", network: "app" });
    w.engine.run({ image: "sleeper", name: "cli", network: "app" });
    const ctx = (w.programs.get("sleeper")![0] as unknown as { ctx: ProgramContext }).ctx;
    const codes: string[] = [];
    for (let i = 0; i < 3; i++)
      ctx.http.get({ host: "srv", port: 80 }, "/", (e) => codes.push(e ? e.code : "ok"));
    w.sim.runFor(150); // one answered (100 ms), one in service, one waiting
    w.engine.kill(srv.id);
    w.sim.runFor(10);
    expect(codes).toEqual(["ok", "ECONNRESET", "ECONNRESET"]);
  });

  it("the response head counts bytes as on the wire", () => {
    const res = new HttpResponse(200, "hello", "text/plain", "1.0", [
      ["Server", "x"],
      ["Date", "<date>"],
    ]);
    const head = responseHead(res, Date.UTC(2026, 0, 1));
    expect(head).toBe(
      "HTTP/1.0 200 OK\r\nServer: x\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n",
    );
    expect(new HttpRequest("GET", "/32").requestLine).toBe("GET /32 HTTP/1.1");
  });

  it("property: single, pool and event-loop servers keep their concurrency, FIFO and work-conserving", () => {
    const modelArb = fc.oneof(
      fc.constant<Concurrency>({ kind: "single" }),
      fc.integer({ min: 1, max: 4 }).map((size): Concurrency => ({ kind: "pool", size })),
      fc.constant<Concurrency>({ kind: "eventLoop" }),
    );
    const requestsArb = fc.array(
      fc.record({ at: fc.integer({ min: 0, max: 2000 }), ms: fc.integer({ min: 0, max: 400 }) }),
      { minLength: 1, maxLength: 25 },
    );
    fc.assert(
      fc.property(modelArb, requestsArb, fc.integer({ min: 1, max: 1000 }), (model, reqs, seed) => {
        const w = world(seed);
        const server = new RecordingServer(model);
        w.images.register({ name: "rec", command: ["rec"], create: () => server });
        w.engine.createNetwork("app");
        const srv = w.engine.run({ image: "rec", name: "srv", network: "app" });
        const answers = new Map<number, number>();
        reqs.forEach((r, id) => {
          // Each request from its own client container, as independent callers.
          const c = w.engine.run({ image: "sleeper", name: `c${id}`, network: "app" });
          const ctx = (w.programs.get("sleeper")!.at(-1) as unknown as { ctx: ProgramContext }).ctx;
          expect(ctx.containerId).toBe(c.id);
          ctx.after(r.at, () =>
            ctx.http.get({ host: "srv", port: 80 }, `/${id}/${r.ms}`, (e, res) => {
              expect(e).toBeUndefined();
              answers.set(id, (answers.get(id) ?? 0) + Number(res!.text === String(id)));
            }),
          );
        });
        w.sim.runFor(2000 + 400 * reqs.length + 100);
        expect(srv.state).toBe("running");
        expect([...answers.values()].every((n) => n === 1)).toBe(true);
        expect(answers.size).toBe(reqs.length);
        expect(checkSchedule(server.records, model)).toBeUndefined();
        if (model.kind !== "eventLoop") expect(srv.state === "running" && limitOf(model)).toBeGreaterThan(0);
      }),
      fcParams(40),
    );
  });

  it("the schedule checker fails on broken runs", () => {
    const single: Concurrency = { kind: "single" };
    // Two in service at once on a single-threaded server.
    expect(
      checkSchedule(
        [
          { id: 0, arrived: 0, started: 0, finished: 100 },
          { id: 1, arrived: 10, started: 10, finished: 110 },
        ],
        single,
      ),
    ).toMatch(/2 in service/);
    // Out of arrival order.
    expect(
      checkSchedule(
        [
          { id: 0, arrived: 0, started: 0, finished: 100 },
          { id: 1, arrived: 10, started: 200, finished: 300 },
          { id: 2, arrived: 20, started: 100, finished: 200 },
        ],
        single,
      ),
    ).toMatch(/started before/);
    // Waited with a free slot.
    expect(
      checkSchedule([{ id: 0, arrived: 0, started: 50, finished: 100 }], { kind: "pool", size: 2 }),
    ).toMatch(/slot was free/);
    // A correct single-threaded run passes.
    expect(
      checkSchedule(
        [
          { id: 0, arrived: 0, started: 0, finished: 100 },
          { id: 1, arrived: 10, started: 100, finished: 200 },
        ],
        single,
      ),
    ).toBeUndefined();
  });
});
