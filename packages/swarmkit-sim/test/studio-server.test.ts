// The studio's protocol and server (lab/studio/protocol.ts, studio.ts, server.ts), with a real
// WebSocket client on 127.0.0.1 and the pacer on a fake wall clock: the page's files, the Host
// and Origin checks, every message a page sends (checked, bad ones answered with an error), the
// terminals shared by every page, the clock controls, going back in time, and the lab's end.
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import {
  Lab,
  LiveLab,
  parseClientMessage,
  parseSessionFile,
  replaySession,
  type ServerMessage,
  Studio,
  type StudioServer,
  startStudioServer,
  toCrlf,
} from "../src/index";

describe("the page's messages are checked", () => {
  it("takes well-formed messages", () => {
    expect(parseClientMessage('{"type":"open","cols":80,"rows":24}')).toEqual({
      ok: true,
      message: { type: "open", cols: 80, rows: 24 },
    });
    expect(parseClientMessage('{"type":"input","term":2,"data":"ls\\r"}')).toEqual({
      ok: true,
      message: { type: "input", term: 2, data: "ls\r" },
    });
    expect(parseClientMessage('{"type":"speed","speed":0.25}')).toEqual({
      ok: true,
      message: { type: "speed", speed: 0.25 },
    });
    expect(parseClientMessage('{"type":"seek","t":1500.5,"inputs":3}')).toEqual({
      ok: true,
      message: { type: "seek", t: 1500.5, inputs: 3 },
    });
    expect(parseClientMessage('{"type":"pause"}')).toEqual({ ok: true, message: { type: "pause" } });
  });

  it("refuses what is malformed, with a message saying what is wrong", () => {
    const error = (text: string) => {
      const p = parseClientMessage(text);
      return p.ok ? undefined : p.error;
    };
    expect(error("not json")).toBe("not JSON");
    expect(error("[1]")).toBe("not a JSON object");
    expect(error('{"type":"format c:"}')).toBe('unknown message type "format c:"');
    expect(error('{"type":"input","term":0,"data":"x"}')).toBe("term must be a terminal number (1-256)");
    expect(error('{"type":"input","term":1.5,"data":"x"}')).toBe("term must be a terminal number (1-256)");
    expect(error('{"type":"input","term":1,"data":7}')).toBe(
      "data must be a string of at most 65536 characters",
    );
    expect(error(`{"type":"input","term":1,"data":"${"x".repeat(70_000)}"}`)).toMatch(/at most 65536/);
    expect(error('{"type":"open","cols":1,"rows":24}')).toBe("cols must be 2-1000 and rows 2-500");
    expect(error('{"type":"resize","term":2,"cols":80,"rows":9999}')).toBe(
      "cols must be 2-1000 and rows 2-500",
    );
    expect(error('{"type":"speed","speed":0}')).toBe("speed must be a number above 0, at most 10000");
    expect(error('{"type":"speed","speed":"fast"}')).toBe("speed must be a number above 0, at most 10000");
    expect(error('{"type":"seek","t":-1}')).toBe("t must be a simulated time in ms (0 or more)");
    expect(error('{"type":"seek","t":5,"inputs":-2}')).toBe("inputs must be a count (0 or more)");
  });

  it("a browser's terminal gets carriage returns with its line feeds", () => {
    expect(toCrlf("a\nb\r\nc")).toBe("a\r\nb\r\nc");
  });
});

class Page {
  readonly messages: ServerMessage[] = [];
  private waiters: (() => void)[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on("message", (d) => {
      this.messages.push(JSON.parse(d.toString()));
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static open(url: string, origin?: string): Promise<Page> {
    const ws = new WebSocket(url, origin ? { origin } : {});
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(new Page(ws)));
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    });
  }
  send(m: unknown): void {
    this.ws.send(typeof m === "string" ? m : JSON.stringify(m));
  }
  /** The first message (after `from`) that `match` accepts. */
  async next<T extends ServerMessage["type"]>(
    type: T,
    match: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    from = 0,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    for (let round = 0; round < 400; round++) {
      const found = this.messages
        .slice(from)
        .find((m): m is Extract<ServerMessage, { type: T }> => m.type === type && match(m as never));
      if (found) return found;
      await new Promise<void>((r) => {
        this.waiters.push(r);
        // wall-clock: a test waits for a real socket, at most a while.
        setTimeout(r, 25);
      });
    }
    throw new Error(`no ${type} message; got ${this.messages.map((m) => m.type).join(" ")}`);
  }
  output(term: number): string {
    return this.messages
      .filter((m): m is Extract<ServerMessage, { type: "output" }> => m.type === "output" && m.term === term)
      .map((m) => m.data)
      .join("");
  }
}

describe("the studio's server", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function studio(seed = 5) {
    const makeLab = () => new Lab({ seed, services: true });
    let wall = 0;
    const lines: string[] = [];
    const live = new LiveLab({
      lab: makeLab(),
      makeLab,
      speed: 1,
      wallNow: () => wall,
      recorder: { header: (h) => lines.push(JSON.stringify(h)), event: (e) => lines.push(JSON.stringify(e)) },
    });
    const first = live.openTerminal({ mode: "tty" });
    // As runLiveLab does: the front-ends start, then the first prompt.
    const s = new Studio(live, { wallNow: () => wall });
    first.begin();
    const server: StudioServer = await startStudioServer(s, { port: 0 });
    cleanups.push(() => server.close());
    live.pacer.start("manual");
    /** The wall clock moves `ms` and the pacer ticks (the world runs ms at speed 1). */
    const tick = (ms: number) => {
      for (let done = 0; done < ms; done += 100) {
        wall += 100;
        live.pacer.tick();
      }
    };
    return { live, server, tick, file: () => `${lines.join("\n")}\n` };
  }

  it("serves the page and xterm.js from here, to 127.0.0.1 only", async () => {
    const { server } = await studio();
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${server.port}${path}`, { headers });
    const index = await get("/");
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await index.text()).toContain("<title>swarm-sim studio</title>");
    for (const path of [
      "/studio.js",
      "/terminals.js",
      "/cluster.js",
      "/raft.js",
      "/timeline.js",
      "/connection.js",
    ]) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    }
    const xterm = await get("/vendor/xterm.mjs");
    expect(xterm.status).toBe(200);
    expect(await xterm.text()).toContain("export{");
    expect((await get("/vendor/addon-fit.mjs")).status).toBe(200);
    expect((await get("/vendor/xterm.css")).status).toBe(200);
    expect((await get("/../../package.json")).status).toBe(404);
    expect((await get("/%2e%2e/package.json")).status).toBe(404);
    // (fetch may not set Host: node:http may, as a page served from another name would.)
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port: server.port, path: "/", headers: { Host: "evil.example:80" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(rebound).toBe(403);
    const post = await fetch(`http://127.0.0.1:${server.port}/`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    await expect(Page.open(`ws://127.0.0.1:${server.port}/ws`, "http://evil.example")).rejects.toThrow(
      "refused: 403",
    );
    await expect(Page.open(`ws://127.0.0.1:${server.port}/elsewhere`)).rejects.toThrow("refused: 403");
  });

  it("a port taken: the default one moves on, an asked one fails with a clear message", async () => {
    const { server } = await studio();
    const again = await startStudioServer(new Studio(new LiveLab({ lab: new Lab({ seed: 1 }) })), {
      port: server.port,
      search: true,
    });
    cleanups.push(() => again.close());
    expect(again.port).toBeGreaterThan(server.port);
    await expect(
      startStudioServer(new Studio(new LiveLab({ lab: new Lab({ seed: 1 }) })), { port: server.port }),
    ).rejects.toThrow(`the studio cannot listen on 127.0.0.1:${server.port}: the port is already in use`);
  });

  it("shares the terminals with every page, takes typed keys, checks every message", async () => {
    const { live, server, tick } = await studio();
    const url = `ws://127.0.0.1:${server.port}/ws`;
    const a = await Page.open(url, `http://127.0.0.1:${server.port}`);
    const hello = await a.next("hello");
    expect(hello).toMatchObject({ version: 1, seed: "5", canSeek: true, inputs: 1 });
    expect(hello.terminals).toEqual([
      { id: 1, node: "node1", screen: expect.stringContaining("[node1] ~ $ "), input: true, own: true },
    ]);
    expect(hello.view.nodes.map((n) => n.name)).toEqual(["node1"]);

    // A terminal of its own, which a second page sees too.
    a.send({ type: "open", cols: 100, rows: 30 });
    const opened = await a.next("opened", (m) => m.mine);
    expect(opened.terminal).toMatchObject({ id: 2, node: "node1", own: false, input: true });
    const b = await Page.open(url);
    expect((await b.next("hello")).terminals.map((t) => t.id)).toEqual([1, 2]);
    a.send({ type: "input", term: 2, data: "echo hello from the browser\r" });
    await b.next("output", (m) => m.term === 2 && m.data.includes("hello from the browser\r\n"));
    expect(live.recorded().some((e) => e.type === "line" && e.text === "echo hello from the browser")).toBe(
      true,
    );
    a.send({ type: "input", term: 2, data: "docker exec -it node9 sh\r" });
    await a.next("output", (m) => m.term === 2 && m.data.includes("No such container: node9"));

    // Bad messages: an error each, nothing changed.
    const errors = a.messages.length;
    a.send("{oops");
    a.send({ type: "input", term: 7, data: "ls\r" });
    a.send({ type: "close", term: 1 });
    a.send({ type: "seek", t: 10_000_000 });
    await a.next("error", (m) => m.message.includes("earlier time"), errors);
    const said = a.messages
      .slice(errors)
      .filter((m): m is Extract<ServerMessage, { type: "error" }> => m.type === "error")
      .map((m) => m.message);
    expect(said).toEqual([
      "not JSON",
      "no terminal 7 is open",
      "terminal 1 is the lab's own: exit at its node1 ends the lab",
      expect.stringMatching(/^can only go back to an earlier time \(before 00:00:0\d\)$/),
    ]);

    // The clock: pause, speed, resume act on the pacer; the view says so.
    a.send({ type: "pause" });
    await a.next("view", (m) => m.clock.paused);
    const t0 = live.now;
    tick(1000);
    expect(live.now).toBe(t0);
    a.send({ type: "speed", speed: 4 });
    a.send({ type: "resume" });
    await a.next("view", (m) => !m.clock.paused && m.clock.speed === 4);
    tick(1000);
    expect(live.now).toBeCloseTo(t0 + 4000, -1);

    // Closing a page's terminal: both pages hear it; the session records it.
    a.send({ type: "close", term: 2 });
    await b.next("closed", (m) => m.term === 2);
    expect(live.recorded().at(-1)).toMatchObject({ type: "close", term: 2 });
    a.ws.close();
    b.ws.close();
  });

  it("goes back in time for a page: the terminals drawn again, the timeline cut, the file replaying to the session's hash", async () => {
    const { live, server, tick, file } = await studio(9);
    const page = await Page.open(`ws://127.0.0.1:${server.port}/ws`);
    await page.next("hello");
    /** Types a line and waits until the terminal has echoed it (the lab has it). */
    const type = async (line: string) => {
      const from = page.messages.length;
      page.send({ type: "input", term: 1, data: `${line}\r` });
      await page.next("output", (m) => m.term === 1 && m.data.includes(line), from);
    };
    await type("docker run -d --privileged --name node2 docker:dind");
    tick(1000);
    await type("docker exec node2 docker swarm init");
    tick(3000);
    const before = await page.next("view", (m) => m.view.leader === "node2");
    await type("docker kill node2");
    tick(2000);
    await page.next("view", (m) => m.view.nodes.some((n) => n.name === "node2" && n.engine === "stopped"));
    const timeline = await page.next("timeline", (m) =>
      m.timeline.events.some((e) => e.text === "docker kill node2"),
    );
    const kill = timeline.timeline.events.find((e) => e.text === "docker kill node2")!;

    // Back to just before the kill, as the marker says.
    const from = page.messages.length;
    page.send({ type: "seek", t: kill.t, inputs: kill.inputs });
    await page.next("seeking", () => true, from);
    const seeked = await page.next("seeked", () => true, from);
    expect(seeked).toMatchObject({ to: kill.t, dropped: 1 });
    expect(seeked.terminals[0].screen).toContain("docker exec node2 docker swarm init\r\nSwarm initialized");
    expect(seeked.terminals[0].screen).not.toContain("docker kill node2");
    const reset = await page.next("timeline", (m) => m.reset, from);
    expect(reset.timeline.events.map((e) => e.text)).not.toContain("docker kill node2");
    const after = await page.next("view", () => true, from);
    expect(after.view.leader).toBe("node2");
    expect(after.view.term).toBe(before.view.term);
    expect(after.view.nodes.find((n) => n.name === "node2")!.engine).toBe("running");
    expect(after.clock.paused).toBe(true);

    // The session goes on from there; its file replays to its hash.
    page.send({ type: "resume" });
    await page.next("view", (m) => !m.clock.paused, from);
    await type("docker stop node2");
    tick(3000);
    live.end();
    await page.next("ended");
    const parsed = parseSessionFile(file());
    expect(parsed.events.filter((e) => e.type === "seek")).toEqual([
      { t: expect.any(Number), type: "seek", to: kill.t, kept: kill.inputs, dropped: 1 },
    ]);
    const end = parsed.events.at(-1) as { traceHash: string };
    expect(replaySession(new Lab({ seed: 9, services: true }), parsed).traceHash).toBe(end.traceHash);
    // A page's message after the end: refused.
    page.send({ type: "pause" });
    await page.next("error", (m) => m.message === "the lab has ended");
  });
});
