// DockerCoins' web UI in a real Chromium, through the live lab's real ports: after `docker
// compose up -d` the page at 127.0.0.1:8000(+offset) plots about one worker's rate (~3.3
// hashes/s), and about twice that after `docker compose up -d --scale worker=2`, read from the
// page's own series (window.dockercoins). The lab runs at 40x so that a sample a real second
// covers 40 simulated seconds. Screenshots go to test-artifacts/. Chromium must be installed
// (/usr/bin/chromium; .ci/run installs it): without it the test fails, it does not skip.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Lab, LiveSession, Pacer, publishedPorts, RealPorts } from "@swarm-sim/swarmkit-sim";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { labPlugins } from "../src/lab-plugins";
import { freePortOffset } from "./free-ports";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = resolve(import.meta.dirname, "../../../test-artifacts");
const SPEED = 40;

interface PageData {
  refreshes: number;
  errors: number;
  /** The speeds the page computed and drew, oldest first. */
  points: { x: number; y: number }[];
}

/** The mean of the last `n` speeds the page plotted. */
function recentRate(d: PageData, n: number): number {
  const tail = d.points.slice(-n);
  return tail.reduce((a, p) => a + p.y, 0) / tail.length;
}

async function pageData(page: Page): Promise<PageData> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as { dockercoins: PageData }).dockercoins;
    return { refreshes: d.refreshes, errors: d.errors, points: d.points.map((p) => ({ ...p })) };
  });
}

async function until(what: string, check: () => Promise<boolean> | boolean, limitMs = 30_000): Promise<void> {
  const t0 = Date.now(); // wall-clock: a test waits for a real browser
  while (!(await check())) {
    if (Date.now() - t0 > limitMs) throw new Error(`timed out waiting for ${what}`); // wall-clock: as above
    await new Promise((r) => setTimeout(r, 100)); // wall-clock: as above
  }
}

describe("DockerCoins' web UI in a real browser", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("plots about one worker's rate, then about twice that after --scale worker=2", async () => {
    expect(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`,
    ).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    const lab = new Lab({ seed: 3, services: true, plugins: labPlugins() });
    const session = new LiveSession(lab);
    const offset = await freePortOffset();
    const notes: string[] = [];
    const ports = new RealPorts({
      offset,
      published: () => publishedPorts(lab.node1),
      send: (req, done) => session.sendHttp(req, done),
      notify: (t) => notes.push(t),
      epochNow: () => lab.sim.epochMs + lab.sim.now(),
    });
    const pacer = new Pacer(session, { speed: SPEED, afterTick: () => ports.sync() });
    session.clock = pacer;
    cleanups.push(() => {
      pacer.stop();
      ports.close();
    });
    const term = session.openTerminal({ mode: "lines", stdoutIsTerminal: false });
    let out = "";
    term.onOutput((t) => (out += t));
    term.input(
      "git clone https://github.com/jpetazzo/container.training\ncd container.training/dockercoins\ndocker compose up -d\n",
    );
    pacer.start();
    await until("port 8000 to open", () => ports.mappings().some((m) => m.simPort === 8000));
    expect(notes.join("")).toContain(
      `node1:8000 (dockercoins-webui-1) is open on this computer: http://127.0.0.1:${8000 + offset}`,
    );

    const profile = mkdtempSync(join(tmpdir(), "swarm-sim-chromium-"));
    const context: BrowserContext = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 900, height: 600 },
    });
    cleanups.push(async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://127.0.0.1:${8000 + offset}/`);
    expect(page.url()).toBe(`http://127.0.0.1:${8000 + offset}/index.html`);
    expect(await page.title()).toBe("DockerCoin Miner WebUI");

    // One worker: after a warm-up, the page's samples are ~40 simulated seconds apart.
    await until("8 samples", async () => (await pageData(page)).refreshes >= 8);
    const one = recentRate(await pageData(page), 5);
    expect(one).toBeGreaterThan(2.8);
    expect(one).toBeLessThan(3.8);
    expect(await page.textContent("#speed")).toMatch(/^~\d+\.\d hashes\/second$/);
    await page.screenshot({ path: join(ARTIFACTS, "webui-1-worker.png") });

    term.input("docker compose up -d --scale worker=2\n");
    const before = (await pageData(page)).refreshes;
    await until("7 samples with two workers", async () => (await pageData(page)).refreshes >= before + 7);
    const two = recentRate(await pageData(page), 5);
    await page.screenshot({ path: join(ARTIFACTS, "webui-2-workers.png") });
    expect(two / one).toBeGreaterThan(1.7);
    expect(two / one).toBeLessThan(2.3);
    expect((await pageData(page)).errors).toBe(0);
    expect(out).toMatch(/Container dockercoins-worker-2 +Started/);
  });
});
