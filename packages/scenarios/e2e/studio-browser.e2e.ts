// The Swarm studio in a real Chromium: `swarm-sim lab --web-port P` runs in a pseudo-terminal
// (a live lab, as a student starts it) and the page at the URL it prints is driven as a student
// would. In a terminal opened in the page, three docker:dind nodes become a swarm of three
// managers led by node2 (not node1) with a service; `docker kill node2` typed there makes node2
// stop and go Down in the cluster view, and another manager leads in a higher term. A machine's
// button types its command into the terminal. The timeline's marker for the kill takes the lab
// back to just before it: the same leader, term and task placement as the page showed then.
// At 1x the Raft messages fly between the managers. Then exit at node1 (in the pty) ends the lab
// and `swarm-sim replay` of its session gives the session's trace hash. Screenshots go to
// test-artifacts/. Chromium must be installed (/usr/bin/chromium; .ci/run installs it).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { MAIN, Pty, ROOT, TSX } from "./pty";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = resolve(import.meta.dirname, "../../../test-artifacts");

interface NodeView {
  name: string;
  role: string | null;
  status: string | null;
  engine: string;
  raft: { term: number } | null;
  tasks: { id: string; service: string; slot: number; state: string }[];
}
interface View {
  t: number;
  leader: string | null;
  term: number;
  nodes: NodeView[];
  inputs?: number;
}
interface StudioState {
  link: string;
  clock: { now: number; speed: number; paused: boolean; state: string; flights: boolean };
  view: View | undefined;
  views: View[];
  timeline: { events: { t: number; kind: string; text: string; inputs: number }[] } | undefined;
  flightsSeen: number;
  seeks: { from: number; to: number; dropped: number }[];
  errors: string[];
}

async function state(page: Page): Promise<StudioState> {
  return page.evaluate(() => {
    const s = (globalThis as unknown as { studio: { state: StudioState } }).studio.state;
    return JSON.parse(JSON.stringify(s)) as StudioState;
  });
}

async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  limitMs = 30_000,
): Promise<T> {
  const t0 = Date.now(); // wall-clock: a test waits for a real browser
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() - t0 > limitMs) throw new Error(`timed out waiting for ${what}`); // wall-clock: as above
    await new Promise((r) => setTimeout(r, 100)); // wall-clock: as above
  }
}

/** Where each task runs, by service.slot. */
function placement(v: View): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of v.nodes) for (const t of n.tasks) out[`${t.service}.${t.slot}`] = n.name;
  return out;
}

async function freePort(): Promise<number> {
  for (let port = 17_000 + (process.pid % 500) * 7; port < 40_000; port += 31) {
    const ok = await new Promise<boolean>((r) => {
      const s = createServer();
      s.once("error", () => r(false));
      s.listen(port, "127.0.0.1", () => s.close(() => r(true)));
    });
    if (ok) return port;
  }
  throw new Error("no free port for the studio");
}

describe("the Swarm studio in a real browser", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("kill the leader's node from a terminal: Down, a new leader; a button types its command; back in time to before the kill", async () => {
    expect(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`,
    ).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), "swarm-sim-studio-e2e-"));
    const session = join(dir, "session.jsonl");
    const port = await freePort();
    const pty = Pty.swarmSim([
      "lab",
      "--seed",
      "4",
      "--speed",
      "5",
      "--no-ports",
      "--web-port",
      String(port),
      "--session",
      session,
    ]);
    cleanups.push(() => pty.kill());
    await pty.waitFor(
      `The studio (terminals, the cluster, a timeline that goes back, Raft in flight): http://127.0.0.1:${port}/`,
    );
    await pty.waitFor("[node1] ~ $ ");

    const profile = mkdtempSync(join(tmpdir(), "swarm-sim-chromium-"));
    const browser: Browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
      ],
    });
    cleanups.push(async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(`http://127.0.0.1:${port}/`);
    expect(await page.title()).toBe("swarm-sim studio");
    await until("the lab's hello", async () => (await state(page)).view !== undefined);
    // The lab's own terminal is there; a new one opens in the page and takes the keys.
    await page.click(".tab.new");
    await until("terminal 2", async () => (await page.locator('.tab.active[data-term="2"]').count()) === 1);
    const typeLine = async (line: string) => {
      await page.keyboard.type(line);
      await page.keyboard.press("Enter");
      await page.waitForTimeout(150);
    };
    for (const line of [
      "docker run -d --privileged --name node2 docker:dind",
      "docker run -d --privileged --name node3 docker:dind",
      "docker run -d --privileged --name node4 docker:dind",
      "docker exec node2 docker swarm init",
      "T=$(docker exec node2 docker swarm join-token -q manager)",
      "docker exec node3 docker swarm join --token $T 172.17.0.2:2377",
      "docker exec node4 docker swarm join --token $T 172.17.0.2:2377",
      "docker exec node2 docker service create --name web --replicas 5 nginx",
    ])
      await typeLine(line);
    // The swarm as the page draws it: node2 leads three managers, five tasks run.
    const settled = await until(
      "three managers and five running tasks",
      async () => {
        const v = (await state(page)).view;
        const running = v?.nodes.flatMap((n) => n.tasks).filter((t) => t.state === "running").length ?? 0;
        return v?.leader === "node2" && running === 5 && v.nodes.filter((n) => n.raft).length === 3
          ? v
          : undefined;
      },
      60_000,
    );
    await page.waitForTimeout(1500);
    const before = (await state(page)).views.at(-1)!;
    expect(before.leader).toBe("node2");
    expect(await page.locator('[data-node="node2"]').getAttribute("data-role")).toBe("leader");
    expect(await page.locator('[data-node="node2"] .role').textContent()).toBe("★ Leader");
    expect(await page.locator('[data-node="node3"]').getAttribute("data-role")).toBe("manager");
    expect(await page.locator(".task").count()).toBe(5);
    expect(settled.term).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, "studio-1-swarm.png") });

    // The kill, typed in the page's terminal: node2 stops, then goes Down; another manager leads.
    await typeLine("docker kill node2");
    await until(
      "node2 stopped",
      async () => (await page.locator('[data-node="node2"]').getAttribute("data-engine")) === "stopped",
    );
    await page.selectOption("#speed", "10");
    const after = await until(
      "a new leader, and node2 Down",
      async () => {
        const v = (await state(page)).view;
        const node2 = v?.nodes.find((n) => n.name === "node2");
        return v?.leader && v.leader !== "node2" && node2?.status === "down" ? v : undefined;
      },
      60_000,
    );
    expect(["node3", "node4"]).toContain(after.leader);
    expect(after.term).toBeGreaterThan(before.term);
    expect(await page.locator('[data-node="node2"]').getAttribute("data-status")).toBe("down");
    expect(await page.locator(`[data-node="${after.leader}"]`).getAttribute("data-role")).toBe("leader");
    expect(await page.locator("#leader").textContent()).toBe(`leader ${after.leader} · term ${after.term}`);
    // The timeline has it too (it samples the world apart from the views).
    await until("the timeline's markers", async () => {
      const texts = (await state(page)).timeline!.events.map((e) => e.text);
      return texts.includes(`${after.leader} leads (term ${after.term})`) && texts.includes("node2 Down");
    });
    await page.screenshot({ path: join(ARTIFACTS, "studio-2-leader-killed.png") });

    // A machine's button types its command into the active terminal (and the lab runs it).
    const other = after.leader === "node3" ? "node4" : "node3";
    await page.click(`[data-node="${other}"] button[data-command="docker pause ${other}"]`);
    await until(
      `${other} paused`,
      async () => (await page.locator(`[data-node="${other}"]`).getAttribute("data-engine")) === "paused",
    );
    const typed = await page.evaluate(() =>
      (globalThis as unknown as { studio: { screenText(id: number): string } }).studio.screenText(2),
    );
    expect(typed).toMatch(new RegExp(`\\[node1\\] ~ \\$ docker pause ${other}\\n${other}`));
    await page.screenshot({ path: join(ARTIFACTS, "studio-3-action-typed.png") });

    // A task's box asks the scheduler why the task is there: it types `explain web.N`.
    const box = page.locator('.task[data-command^="explain web."]').first();
    const explain = (await box.getAttribute("data-command"))!;
    await box.click();
    const terminalText = () =>
      page.evaluate(() =>
        (globalThis as unknown as { studio: { screenText(id: number): string } }).studio.screenText(2),
      );
    // The lab answers from the managers' decision logs (or says the decision was made by a
    // manager that is gone: node2 led when most tasks were placed).
    const answer = `$ ${explain}\ntask ${explain.slice("explain ".length)} (`;
    await until("the explanation", async () => (await terminalText()).includes(answer)).catch(async (e) => {
      throw new Error(
        `${(e as Error).message} after a click on ${explain}; terminal 2:\n${await terminalText()}`,
      );
    });
    await page.screenshot({ path: join(ARTIFACTS, "studio-3b-explain.png") });

    // Back to just before the kill: pause, point at the kill's marker, go back.
    await page.click("#playpause");
    await until("paused", async () => (await state(page)).clock.paused);
    const marker = await page.evaluate(() =>
      (
        globalThis as unknown as { studio: { markerAt(t: string): { x: number; y: number; t: number } } }
      ).studio.markerAt("docker kill node2"),
    );
    await page.mouse.move(marker.x, marker.y);
    await page.mouse.click(marker.x, marker.y);
    await page.waitForSelector("#seek-box:not([hidden])");
    expect(await page.locator("#seek-text").textContent()).toContain("just before “docker kill node2”");
    await page.screenshot({ path: join(ARTIFACTS, "studio-4-seek-asked.png") });
    await page.click("#seek-go");
    const back = await until("the seek", async () => {
      const s = await state(page);
      return s.seeks.length === 1 && s.view && s.view.t === marker.t ? s.view : undefined;
    });
    // The same leader, term and placement as the page showed before the kill.
    expect(back.leader).toBe(before.leader);
    expect(back.term).toBe(before.term);
    expect(placement(back)).toEqual(placement(before));
    expect(back.nodes.find((n) => n.name === "node2")).toMatchObject({ engine: "running", status: "ready" });
    expect(await page.locator('[data-node="node2"]').getAttribute("data-role")).toBe("leader");
    const s = await state(page);
    expect(s.seeks[0]).toMatchObject({ to: marker.t });
    expect(s.seeks[0].dropped).toBeGreaterThanOrEqual(2);
    expect(s.timeline!.events.map((e) => e.text)).not.toContain("docker kill node2");
    const screen = await until("the lab's word on the seek", async () => {
      const text = await page.evaluate(() =>
        (globalThis as unknown as { studio: { screenText(id: number): string } }).studio.screenText(2),
      );
      return text.includes("[lab] back at") ? text : undefined;
    });
    expect(screen).toContain("docker exec node2 docker service create --name web --replicas 5 nginx");
    expect(screen).not.toContain("docker kill node2");
    expect(screen).toMatch(
      /\[lab\] back at 00:00:\d\d \(from 00:0\d:\d\d\): the \d+ inputs after it are dropped; the clock is paused/,
    );
    await page.screenshot({ path: join(ARTIFACTS, "studio-5-back-before-kill.png") });

    // At 1x, the Raft messages between the managers fly (heartbeats once a second).
    await page.selectOption("#speed", "1");
    await page.click("#playpause");
    const seen = (await state(page)).flightsSeen;
    await until("raft messages in flight", async () => (await state(page)).flightsSeen > seen + 4, 20_000);
    await page.waitForSelector("#raft-svg circle[data-type]:not([style*='display: none'])", {
      timeout: 10_000,
    });
    await page.screenshot({ path: join(ARTIFACTS, "studio-6-raft-in-flight.png") });
    expect(pageErrors).toEqual([]);
    expect((await state(page)).errors).toEqual([]);

    // exit at node1 ends the lab; its session replays to the same trace hash.
    pty.type("exit\r");
    await pty.waitFor("End the lab? [y/N]");
    pty.type("y\r");
    expect(await pty.exited).toBe(0);
    await until(
      "the page knows",
      async () => (await page.locator("#status").textContent()) === "the lab has ended",
    );
    const r = spawnSync(process.execPath, [TSX, MAIN, "replay", session], { cwd: ROOT, encoding: "utf8" });
    expect(r.stderr).toContain("the trace hash is the session's");
    expect(r.status).toBe(0);
  });
});
