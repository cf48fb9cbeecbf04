import { createHash } from "node:crypto";
import { HttpRequest } from "@swarm-sim/swarmkit-sim";
import { describe, expect, it } from "vitest";
import { checkWallet } from "../src/checks";
import { sha256Hex, THIN_POOL_SIZE } from "../src/services/hasher";
import { RedisErrorReply, RedisStore } from "../src/services/redis-store";
import { jsonBody } from "../src/services/webui";
import { PAGE_SERIES_LENGTH, type PageSample, speedPoints, speedText } from "../src/services/webui-page";
import { lab, texts } from "./helpers";

const GET = (path: string) => new HttpRequest("GET", path);

describe("rng (Flask, --without-threads)", () => {
  it("GET /32 answers 32 bytes after its 0.1 s sleep", () => {
    const w = lab();
    w.run("dockercoins/rng:v0.1", "rng-1", ["rng"]);
    const a = w.send("rng", 80, GET("/32"));
    w.sim.runFor(1000);
    expect(a.err).toBeUndefined();
    expect(a.res!.status).toBe(200);
    expect(a.res!.contentType).toBe("application/octet-stream");
    expect(a.res!.bytes.length).toBe(32);
    expect(a.res!.version).toBe("1.0");
    expect(a.latency).toBeCloseTo(100.04, 9); // the sleep plus two loopback hops
  });

  it("GET / and HEAD / answer at once with the hostname; other paths 404, other methods 405", () => {
    const w = lab();
    const c = w.run("dockercoins/rng:v0.1", "rng-1", ["rng"]);
    const index = w.send("rng", 80, GET("/"));
    const head = w.send("rng", 80, new HttpRequest("HEAD", "/"));
    const bad = w.send("rng", 80, GET("/abc"));
    const post = w.send("rng", 80, new HttpRequest("POST", "/", "x"));
    w.sim.runFor(100);
    expect(index.res!.text).toBe(`RNG running on ${c.shortId}\n`);
    expect(head.res!.headOnly).toBe(true);
    expect(bad.res!.status).toBe(404);
    expect(post.res!.status).toBe(405);
  });

  it("serves one request at a time: every request waits behind the ones queued", () => {
    const w = lab();
    w.run("dockercoins/rng:v0.1", "rng-1", ["rng"]);
    const a = w.send("rng", 80, GET("/32"));
    const b = w.send("rng", 80, GET("/32"));
    const c = w.send("rng", 80, new HttpRequest("HEAD", "/"));
    w.sim.runFor(1000);
    expect(a.at).toBeCloseTo(100.04, 9);
    expect(b.at).toBeCloseTo(200.04, 9);
    expect(c.at).toBeCloseTo(200.04, 9); // no sleep of its own, but it waited for both
  });

  it("logs requests as Werkzeug does, on stderr, with the IPv4-mapped client address", () => {
    const w = lab();
    const rng = w.run("dockercoins/rng:v0.1", "rng-1", ["rng"]);
    w.send("rng", 80, GET("/32"));
    w.sim.runFor(1000);
    const last = w.engine.logs(rng.id).at(-1)!;
    expect(last.stream).toBe("stderr");
    expect(last.text).toBe(
      `::ffff:${w.probeContainer.address} - - [01/Jan/2026 00:00:00] "GET /32 HTTP/1.1" 200 -`,
    );
  });

  it("the bytes come from the container's seeded stream, or from the OS when asked", () => {
    const bytes = (seed: number, source?: "crypto") => {
      const w = lab(seed, source ? { randomSource: source } : {});
      w.run("dockercoins/rng:v0.1", "rng-1", ["rng"]);
      const a = w.send("rng", 80, GET("/8"));
      w.sim.runFor(200);
      return Buffer.from(a.res!.bytes).toString("hex");
    };
    expect(bytes(1)).toBe(bytes(1));
    expect(bytes(1)).not.toBe(bytes(2));
    expect(bytes(1, "crypto")).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe("hasher (Sinatra on thin, 20 threads)", () => {
  it("POST / answers the SHA-256 hex of the body after 0.1 s", () => {
    const w = lab();
    w.run("dockercoins/hasher:v0.1", "hasher-1", ["hasher"]);
    const body = new Uint8Array([1, 2, 3, 250]);
    const a = w.send("hasher", 80, new HttpRequest("POST", "/", body, "application/octet-stream"));
    w.sim.runFor(500);
    expect(a.res!.text).toBe(createHash("sha256").update(body).digest("hex"));
    expect(a.res!.contentType).toBe("text/plain;charset=utf-8");
    expect(a.latency).toBeCloseTo(100.04, 9);
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("handles 20 requests at once; the 21st waits for a thread", () => {
    const w = lab();
    const h = w.run("dockercoins/hasher:v0.1", "hasher-1", ["hasher"]);
    const answers = Array.from({ length: THIN_POOL_SIZE + 1 }, () =>
      w.send("hasher", 80, new HttpRequest("POST", "/", "x", "application/octet-stream")),
    );
    w.sim.runFor(1000);
    expect(answers.slice(0, 20).every((a) => Math.abs(a.at - 100.04) < 1e-6)).toBe(true);
    expect(answers[20].at).toBeCloseTo(200.04, 9);
    expect(h.meter.pids).toBe(22); // EventMachine started its pool
    const log = w.engine.logs(h.id).at(-1)!;
    expect(log.stream).toBe("stderr");
    expect(log.text).toMatch(
      /^172\.18\.0\.\d+ - - \[01\/Jan\/2026:00:00:00 \+0000\] "POST \/ HTTP\/1\.1" 200 64 0\.1000$/,
    );
  });

  it("GET / names the host; SIGTERM stops it at once (exit 0)", () => {
    const w = lab();
    const h = w.run("dockercoins/hasher:v0.1", "hasher-1", ["hasher"]);
    const a = w.send("hasher", 80, GET("/"));
    w.sim.runFor(10);
    expect(a.res!.text).toBe(`HASHER running on ${h.shortId}\n`);
    w.engine.stop(h.id);
    expect(h.exitCode).toBe(0);
    expect(texts(w.engine, h.id).slice(-1)).toEqual(["== Sinatra has ended his set (crowd applauds)"]);
  });
});

describe("redis", () => {
  it("the store answers as Redis does", () => {
    const s = new RedisStore();
    expect(s.execute(["GET", "hashes"])).toBeNull();
    expect(s.execute(["INCRBY", "hashes", "3"])).toBe(3);
    expect(s.execute(["INCRBY", "hashes", "0"])).toBe(3);
    expect(s.execute(["GET", "hashes"])).toBe("3");
    expect(s.execute(["HSET", "wallet", "0abc", new Uint8Array(32)])).toBe(1);
    expect(s.execute(["HSET", "wallet", "0abc", new Uint8Array(32)])).toBe(0);
    expect(s.execute(["HLEN", "wallet"])).toBe(1);
    expect(s.execute(["HLEN", "nothing"])).toBe(0);
    expect(s.execute(["INCRBY", "wallet", "1"])).toEqual(
      new RedisErrorReply("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    expect(s.execute(["INCRBY", "hashes", "x"])).toEqual(
      new RedisErrorReply("ERR value is not an integer or out of range"),
    );
    expect(s.execute(["NOPE", "a"])).toEqual(
      new RedisErrorReply("ERR unknown command 'NOPE', with args beginning with: 'a' "),
    );
    expect(s.execute(["DEL", "wallet", "hashes"])).toBe(2);
    expect(s.execute(["DBSIZE"])).toBe(0);
  });

  it("one command at a time, each in a few microseconds; SIGTERM saves and exits 0 at the next cron tick", () => {
    const w = lab(1, { timing: { redisServiceMs: 0.02 } });
    const r = w.run("redis:latest", "redis-1", ["redis"]);
    const replies: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      w.probe.ctx.exchange.call({ address: r.address, port: 6379 }, ["INCR", "n"], 20, (e, body) =>
        replies.push(e ?? body),
      );
    }
    w.sim.runFor(1);
    expect(replies).toEqual([1, 2, 3]);
    w.sim.runFor(1234);
    w.engine.stop(r.id);
    expect(r.isRunning).toBe(true);
    w.sim.runFor(100);
    expect(r.exitCode).toBe(0);
    expect(r.finishedAt).toBe(1300); // its cron ticks every 100 ms from start
    expect(texts(w.engine, r.id).slice(-1)).toEqual([
      expect.stringMatching(/# Redis is now ready to exit, bye bye\.\.\.$/),
    ]);
  });

  it("snapshots by its save policy: 100 changes in 300 seconds", () => {
    const w = lab();
    const r = w.run("redis:latest", "redis-1", ["redis"]);
    for (let i = 0; i < 100; i++)
      w.probe.ctx.exchange.call({ address: r.address, port: 6379 }, ["INCR", "n"], 20, () => {});
    w.sim.runFor(299_000);
    expect(texts(w.engine, r.id).some((l) => l.includes("Saving..."))).toBe(false);
    w.sim.runFor(2000);
    expect(
      texts(w.engine, r.id).filter((l) => l.includes("100 changes in 300 seconds. Saving...")),
    ).toHaveLength(1);
  });
});

describe("worker", () => {
  it("reports 0 first, then its loops every second; coins go to the wallet", () => {
    const w = lab(3);
    w.run("dockercoins/rng:v0.1", "rng-1", ["rng"]);
    w.run("dockercoins/hasher:v0.1", "hasher-1", ["hasher"]);
    const r = w.run("redis:latest", "redis-1", ["redis"]);
    const wk = w.run("dockercoins/worker:v0.1", "worker-1", ["worker"]);
    w.sim.runFor(60_000);
    const lines = texts(w.engine, wk.id);
    expect(lines[0]).toBe("INFO:__main__:0 units of work done, updating hash counter");
    expect(lines.filter((l) => /^INFO:__main__:\d+ units of work done/.test(l)).length).toBeGreaterThan(25);
    const store = (r.program as unknown as { store: RedisStore }).store;
    // Each loop takes 0.1 + 0.1 + 0.1 s plus four loopback hops, 0.02 ms each.
    const loops = Math.floor(60_000 / 300.08);
    expect(w.metrics.loops).toBe(loops);
    expect(Number(store.getString("hashes"))).toBeLessThanOrEqual(loops);
    expect(Number(store.getString("hashes"))).toBeGreaterThan(loops - 5);
    const coins = lines.filter((l) => l.startsWith("INFO:__main__:Coin found: "));
    expect(coins.length).toBe(store.hashSize("wallet"));
    for (const f of store.hashFields("wallet"))
      expect(coins).toContain(`INFO:__main__:Coin found: ${f.slice(0, 8)}...`);
    expect(checkWallet(store)).toEqual([]);
  });

  it("an exception is logged with its traceback; the loop restarts 10 s later", () => {
    const w = lab();
    w.run("dockercoins/hasher:v0.1", "hasher-1", ["hasher"]);
    w.run("redis:latest", "redis-1", ["redis"]);
    const wk = w.run("dockercoins/worker:v0.1", "worker-1", ["worker"]);
    w.sim.runFor(5000);
    const lines = texts(w.engine, wk.id);
    expect(lines.slice(1, 3)).toEqual(["ERROR:__main__:In work loop:", "Traceback (most recent call last):"]);
    expect(lines).toContain("    random_bytes = get_random_bytes()");
    expect(lines.find((l) => l.startsWith("requests.exceptions.ConnectionError"))).toMatch(
      /^requests\.exceptions\.ConnectionError: HTTPConnectionPool\(host='rng', port=80\): Max retries exceeded with url: \/32 \(Caused by NameResolutionError\("<urllib3\.connection\.HTTPConnection object at 0x7f[0-9a-f]{10}>: Failed to resolve 'rng' \(\[Errno -2\] Name or service not known\)"\)\)$/,
    );
    expect(lines.at(-1)).toBe("ERROR:__main__:Waiting 10s and restarting.");
    w.run("dockercoins/rng:v0.1", "rng-1", ["rng"]);
    w.sim.runFor(4000);
    expect(w.metrics.loops).toBe(0); // still waiting out its 10 s
    w.sim.runFor(2000);
    expect(w.metrics.loops).toBeGreaterThan(0);
    expect(w.metrics.workerErrors).toBe(1);
  });

  it("ignores SIGTERM (PID 1, no handler); SIGINT is a KeyboardInterrupt its bare except catches", () => {
    const w = lab();
    const wk = w.run("dockercoins/worker:v0.1", "worker-1", ["worker"]);
    w.engine.kill(wk.id, "SIGTERM");
    expect(wk.isRunning).toBe(true);
    w.engine.kill(wk.id, "SIGINT");
    expect(wk.isRunning).toBe(true);
    expect(texts(w.engine, wk.id)).toContain("KeyboardInterrupt");
  });
});

describe("webui", () => {
  it("/json answers coins, hashes (the string redis returned, or null) and the time in seconds", () => {
    const w = lab();
    w.run("redis:latest", "redis-1", ["redis"]);
    const ui = w.run("dockercoins/webui:v0.1", "webui-1", ["webui"]);
    const a = w.send("webui", 80, GET("/json"));
    w.sim.runFor(10);
    expect(a.res!.text).toBe(jsonBody(0, null, (w.sim.epochMs + a.at - 0.02) / 1000));
    expect(JSON.parse(a.res!.text)).toEqual({ coins: 0, hashes: null, now: expect.any(Number) });
    w.probe.ctx.exchange.call(
      { address: w.engine.resolveFrom("probe", "redis")[0], port: 6379 },
      ["INCRBY", "hashes", "7"],
      10,
      () => {},
    );
    w.sim.runFor(10);
    const b = w.send("webui", 80, GET("/json"));
    w.sim.runFor(10);
    expect(JSON.parse(b.res!.text).hashes).toBe("7");
    expect(texts(w.engine, ui.id).at(-1)).toMatch(
      /^::ffff:172\.18\.0\.\d+ - - \[01\/Jan\/2026:00:00:00 \+0000\] "GET \/json HTTP\/1\.1" 200 \d+$/,
    );
  });

  it("GET / redirects to /index.html; unknown paths are express's 404", () => {
    const w = lab();
    w.run("dockercoins/webui:v0.1", "webui-1", ["webui"]);
    const a = w.send("webui", 80, GET("/"));
    const b = w.send("webui", 80, GET("/nope"));
    w.sim.runFor(10);
    expect(a.res!.status).toBe(302);
    expect(a.res!.headers).toContainEqual(["Location", "/index.html"]);
    expect(b.res!.status).toBe(404);
    expect(b.res!.text).toContain("<pre>Cannot GET /nope</pre>");
  });
});

describe("the web page's speed", () => {
  const sample = (now: number, hashes: number): PageSample => ({ at: now * 1000, coins: 0, hashes, now });

  it("is the instantaneous rate between consecutive samples, over a series padded to 250", () => {
    const series = [sample(10, 0), sample(11, 3), sample(12, 7), sample(13, 10)];
    expect(speedPoints(series).map((p) => p.y)).toEqual([3, 4, 3]);
    expect(speedText(3.3333)).toBe("~3.3 hashes/second");
    expect(PAGE_SERIES_LENGTH).toBe(250);
  });
});

describe("checks", () => {
  it("the wallet checker passes real coins and fails a tampered wallet", () => {
    const s = new RedisStore();
    const good = new Uint8Array(32).fill(7);
    const hex = sha256Hex(good);
    s.execute(["HSET", "wallet", hex, good]);
    // Only valid if it really is a coin.
    expect(checkWallet(s).length === 0).toBe(hex.startsWith("0"));
    const bytes = new Uint8Array(32);
    let coin = "";
    for (let i = 0; !coin.startsWith("0"); i++) {
      bytes[0] = i;
      coin = sha256Hex(bytes);
    }
    const t = new RedisStore();
    t.execute(["HSET", "wallet", coin, bytes]);
    expect(checkWallet(t)).toEqual([]);
    const forged = `${coin.slice(0, -1)}${coin.endsWith("f") ? "e" : "f"}`;
    t.execute(["HSET", "wallet", forged, bytes]);
    t.execute(["HSET", "wallet", "1234", bytes]);
    expect(checkWallet(t)).toEqual([
      `${forged.slice(0, 8)}...: not the SHA-256 of its bytes`,
      "1234...: does not start with 0",
      "1234...: not the SHA-256 of its bytes",
    ]);
  });
});
