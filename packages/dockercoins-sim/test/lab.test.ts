// The lecture's DockerCoins part typed into the lab, line by line, with the DockerCoins plugin:
// clone, cd, up (attached, then ^C), up -d, ps, logs --tail 10, scale worker=2 then 10,
// httping rng vs hasher, down. A browser on node1 (the web page, polling port 8000) reads
// the speed the lecture asks students to watch.
import { Lab, engineOf } from "@swarm-sim/swarmkit-sim";
import { describe, expect, it } from "vitest";
import { DEFAULT_COSTS, DEFAULT_TIMING } from "../src/config";
import { containerTrainingFiles } from "../src/repository";
import { dockercoinsPlugin } from "../src/lab-plugin";
import { WebuiPage } from "../src/services/webui-page";
import { parseHttpingOutput } from "../src/tools/httping";

const DIR = "[node1] ~/container.training/dockercoins $ ";
/** One worker's loop: three 0.1 s sleeps plus the mean processing of its three steps. */
const LOOP_MS =
  DEFAULT_TIMING.workerSleepMs +
  DEFAULT_TIMING.rngDelayMs +
  DEFAULT_TIMING.hasherDelayMs +
  1000 * (DEFAULT_COSTS.workerLoopCpu + DEFAULT_COSTS.rngRequestCpu + DEFAULT_COSTS.hasherRequestCpu);
/** rng answers one request at a time: its sleep plus its processing. */
const RNG_CEILING = 1000 / (DEFAULT_TIMING.rngDelayMs + 1000 * DEFAULT_COSTS.rngRequestCpu);

function labWithDockerCoins(seed: number | string) {
  const lab = new Lab({ seed, plugins: [dockercoinsPlugin()] });
  const run = (line: string) => {
    const r = lab.run(line);
    return { ...r, text: r.stdout + r.stderr };
  };
  return { lab, run };
}

/** The lab with the repository cloned and DockerCoins up (-d), in its directory. */
function dockerCoinsUp(seed: string) {
  const l = labWithDockerCoins(seed);
  l.run("git clone https://github.com/jpetazzo/container.training");
  l.run("cd container.training/dockercoins");
  l.run("docker compose up -d");
  return l;
}

/** The speed the page shows, averaged over `ms` of simulated time from now (sleeping in the lab). */
function watch(lab: Lab, page: WebuiPage, ms: number): number {
  const from = lab.sim.now();
  lab.run(`sleep ${ms / 1000}`);
  return page.meanSpeed(from);
}

describe("the lecture's DockerCoins part in the lab", () => {
  it("clone, up -d, ps, logs, scale to 2 then 10, httping, down: outputs and figures", () => {
    const { lab, run } = labWithDockerCoins("lecture");
    const clone = run("git clone https://github.com/jpetazzo/container.training");
    expect(clone.exitCode).toBe(0);
    expect(clone.stderr).toMatch(/^Cloning into 'container.training'\.\.\.\n/);
    expect(run("cd container.training/dockercoins").exitCode).toBe(0);
    expect(lab.prompt()).toBe(DIR);
    expect(run("ls").stdout).toBe("docker-compose.yml  hasher  rng  webui  worker\n");

    const up = run("docker compose up -d");
    expect(up.exitCode).toBe(0);
    expect(up.stdout.split("\n")[0]).toBe("[+] Running 6/6");
    expect(up.stdout).toMatch(/ ✔ Network dockercoins_default\s+Created\s+0\.1s\n/);
    for (const s of ["rng", "hasher", "webui", "redis", "worker"])
      expect(up.stdout).toMatch(new RegExp(` ✔ Container dockercoins-${s}-1\\s+Started\\s+0\\.\\ds\\n`));

    const ps = run("docker compose ps").stdout.trimEnd().split("\n");
    expect(ps[0]).toMatch(/^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/);
    expect(ps.slice(1).map((l) => l.split(/\s+/)[0])).toEqual([
      "dockercoins-hasher-1",
      "dockercoins-redis-1",
      "dockercoins-rng-1",
      "dockercoins-webui-1",
      "dockercoins-worker-1",
    ]);
    expect(ps[3]).toMatch(
      /dockercoins\/rng:v0\.1\s+"flask run --without…"\s+rng\s+.*Up \d+ seconds?\s+0\.0\.0\.0:8001->80\/tcp/,
    );
    expect(ps[1]).toMatch(/0\.0\.0\.0:8002->80\/tcp/);
    expect(ps[4]).toMatch(/0\.0\.0\.0:8000->80\/tcp/);

    // The browser the lecture opens on node1:8000.
    const engine = engineOf(lab.node1)!;
    const page = new WebuiPage(lab.node1.machine, engine).open();
    lab.run("sleep 5");
    const tail = run("docker-compose logs --tail 10").stdout.trimEnd().split("\n");
    const perService = new Map<string, number>();
    for (const l of tail) {
      const m = /^(\w+-\d+)\s+\| /.exec(l);
      expect(m).not.toBeNull();
      perService.set(m![1], (perService.get(m![1]) ?? 0) + 1);
    }
    expect([...perService.keys()].sort()).toEqual(["hasher-1", "redis-1", "rng-1", "webui-1", "worker-1"]);
    for (const n of perService.values()) expect(n).toBeLessThanOrEqual(10);
    expect(
      tail.some((l) => /^worker-1\s+\| INFO:__main__:\d+ units of work done, updating hash counter$/.test(l)),
    ).toBe(true);
    expect(
      tail.some((l) => /^rng-1\s+\| ::ffff:172\.18\.0\.\d+ - - \[.*\] "GET \/32 HTTP\/1\.1" 200 -$/.test(l)),
    ).toBe(true);

    // --follow: the same tail, then what the containers write for a few seconds.
    const before = lab.sim.now();
    const follow = run("docker-compose logs --tail 10 --follow");
    expect(follow.stdout.split("\n").length).toBeGreaterThan(tail.length + 20);
    expect(follow.stderr).toMatch(/^\[lab\] stopped following after 5 s/);
    expect(lab.sim.now() - before).toBeGreaterThanOrEqual(5000);

    // One worker: 1 / (0.1 + 0.1 + 0.1 s + processing) ≈ 3.3 hashes/s. Slack: the page's
    // speeds are whole reports a second apart (±4 hashes over a 60 s window ≈ 2%) and the
    // processing times are random (they average out over ~200 loops): 6%.
    const one = watch(lab, page, 60_000);
    expect(one).toBeGreaterThan((1000 / LOOP_MS) * 0.94);
    expect(one).toBeLessThan((1000 / LOOP_MS) * 1.06);

    const two = run("docker-compose up -d --scale worker=2");
    expect(two.stdout).toMatch(/ ✔ Container dockercoins-worker-2\s+Started/);
    expect(two.stdout).toMatch(/ ✔ Container dockercoins-worker-1\s+Running/);
    lab.run("sleep 5"); // the new worker settles
    // "It should show a x2 improvement": rng is busy 2 x 101 ms of every ~304 ms, so the two
    // workers barely queue; the same 2% quantization per rate, twice, plus a little queueing.
    const twoRate = watch(lab, page, 60_000);
    expect(twoRate / one).toBeGreaterThan(1.9);
    expect(twoRate / one).toBeLessThan(2.1);

    const ten = run("docker-compose up -d --scale worker=10");
    expect(ten.stdout.split("\n")[0]).toBe("[+] Running 14/14");
    expect(ten.stdout).toMatch(/ ✔ Container dockercoins-worker-10\s+Started/);
    lab.run("sleep 5");
    // "You should have seen a 3x speed bump (not 10x)": rng serves one request at a time, so
    // the rate stops at its ceiling (~9.9/s), whatever the number of workers.
    const tenRate = watch(lab, page, 60_000);
    expect(tenRate).toBeLessThan(RNG_CEILING * 1.03);
    expect(tenRate).toBeGreaterThan(RNG_CEILING * 0.94);
    expect(tenRate / one).toBeGreaterThan(2.7);
    expect(tenRate / one).toBeLessThan(3.3);

    // top: "you should see idle cycles"; docker stats: small CPU per container.
    const idle = Number(/(\d+\.\d) id,/.exec(run("top").stdout)?.[1]);
    expect(idle).toBeGreaterThan(90);
    const stats = run("docker stats --no-stream").stdout.trimEnd().split("\n");
    expect(stats[0]).toMatch(
      /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/,
    );
    expect(stats).toHaveLength(15);

    // httping: rng's HEAD / waits in its single queue behind ten workers' GETs (each worker
    // waits ~0.8 s there); hasher's 20 threads answer at once.
    const rngPing = run('docker run --rm --network="host" bretfisher/httping -c 5 localhost:8001');
    expect(rngPing.exitCode).toBe(0);
    expect(rngPing.stdout).toMatch(/^PING localhost:8001 \(\/\):\n/);
    expect(rngPing.stdout).toMatch(/connected to 127\.0\.0\.1:8001 \(173 bytes\), seq=0 time=\s*[\d.]+ ms/);
    expect(rngPing.stdout).toMatch(
      /--- http:\/\/localhost:8001\/ ping statistics ---\n5 connects, 5 ok, 0\.00% failed/,
    );
    const hasherPing = run("docker run --rm --network host bretfisher/httping -c 5 localhost:8002");
    expect(hasherPing.exitCode).toBe(0);
    const r = parseHttpingOutput(rngPing.stdout.split("\n"));
    const h = parseHttpingOutput(hasherPing.stdout.split("\n"));
    expect(r.times).toHaveLength(5);
    expect(h.times).toHaveLength(5);
    // rng: between one and ten services' worth of queue (0.1-1 s); hasher: a round trip.
    expect(r.avg).toBeGreaterThan(300);
    expect(r.avg).toBeLessThan(1100);
    expect(h.max).toBeLessThan(5);
    expect(r.min).toBeGreaterThan(50 * h.max);
    expect(run("docker ps -a --filter ancestor=bretfisher/httping -q").stdout).toBe("");

    const down = run("docker-compose down");
    expect(down.exitCode).toBe(0);
    expect(down.stdout.split("\n")[0]).toBe("[+] Running 15/15");
    // rng, webui and the workers ignore SIGTERM: removed after the 10 s stop timeout;
    // redis and hasher exit at once.
    expect(down.stdout).toMatch(/ ✔ Container dockercoins-rng-1\s+Removed\s+10\.\ds\n/);
    expect(down.stdout).toMatch(/ ✔ Container dockercoins-hasher-1\s+Removed\s+0\.\ds\n/);
    expect(down.stdout).toMatch(/ ✔ Network dockercoins_default\s+Removed/);
    expect(engine.containers({ all: true })).toEqual([]);
    expect(run("docker compose ps").stdout.trimEnd().split("\n")).toHaveLength(1);
  });

  it("docker compose up attached, then ^C: redis and hasher exit at once, the others after 10 s", () => {
    const { lab, run } = labWithDockerCoins("ctrl-c");
    run("git clone https://github.com/jpetazzo/container.training");
    run("cd container.training/dockercoins");
    const up = run("docker compose up");
    expect(up.exitCode).toBe(0);
    const lines = up.stdout.split("\n");
    expect(lines[0]).toBe("[+] Running 6/6");
    expect(up.stdout).toMatch(/ ✔ Container dockercoins-worker-1\s+Created/);
    expect(up.stdout).toContain("Attaching to rng-1, hasher-1, webui-1, redis-1, worker-1\n");
    // A few seconds of the aggregated logs, then the lab hands the prompt back.
    expect(up.stdout).toMatch(
      /\nworker-1\s+\| INFO:__main__:\d+ units of work done, updating hash counter\n/,
    );
    expect(up.stdout).toMatch(
      /\nhasher-1\s+\| 172\.18\.0\.\d+ - - \[.*\] "POST \/ HTTP\/1\.1" 200 64 0\.10\d\d\n/,
    );
    expect(up.stderr).toContain("Type ^C (or interrupt) to stop it");
    // The application keeps running while the user types other commands.
    expect(run("docker compose ps").stdout).toMatch(/dockercoins-worker-1 .*Up \d+ seconds/);

    const before = lab.sim.now();
    const stop = run("^C");
    expect(stop.exitCode).toBe(130);
    const out = stop.stdout.split("\n");
    expect(out[0]).toBe("Gracefully stopping... (press Ctrl+C again to force)");
    expect(out[1]).toBe("[+] Stopping 5/5");
    const seconds = (name: string) =>
      Number(
        new RegExp(` ✔ Container dockercoins-${name}-1\\s+Stopped\\s+([\\d.]+)s`).exec(stop.stdout)?.[1],
      );
    expect(seconds("hasher")).toBeLessThan(0.5);
    expect(seconds("redis")).toBeLessThan(0.5);
    for (const s of ["rng", "webui", "worker"]) {
      expect(seconds(s)).toBeGreaterThanOrEqual(10);
      expect(seconds(s)).toBeLessThan(10.5);
    }
    expect(stop.stdout).toContain("hasher-1 exited with code 0\n");
    expect(stop.stdout).toContain("redis-1 exited with code 0\n");
    for (const s of ["rng-1", "webui-1", "worker-1"])
      expect(stop.stdout).toContain(`${s} exited with code 137\n`);
    expect(lab.sim.now() - before).toBeGreaterThanOrEqual(10_000);
    // Nothing runs in the foreground any more.
    expect(run("^C").stderr).toBe("[lab] ^C: nothing runs in the foreground of this shell\n");
    expect(run("docker compose ps -a").stdout).toMatch(/dockercoins-rng-1 .*Exited \(137\)/);
  });

  it("^C^C: the impatient double Ctrl-C kills what is still stopping", () => {
    const { run } = labWithDockerCoins("ctrl-c-twice");
    run("git clone https://github.com/jpetazzo/container.training");
    run("cd container.training/dockercoins");
    run("docker compose up");
    const stop = run("^C^C");
    // hasher exits on SIGTERM at once; what is left is killed without waiting (redis, too,
    // which would have shut down at its next cron tick).
    expect(stop.stdout).toMatch(
      /^Gracefully stopping\.\.\. \(press Ctrl\+C again to force\)\n\[\+\] Killing 4\/4\n/,
    );
    expect(stop.stdout).toContain("hasher-1 exited with code 0\n");
    expect(stop.stdout).toContain("redis-1 exited with code 137\n");
    expect(run("docker compose ps -a").stdout).toMatch(/dockercoins-rng-1 .*Exited \(137\)/);
  });

  it("compose finds the file from a subdirectory, says so when there is none, and honours -f and -p", () => {
    const { run } = labWithDockerCoins("files");
    expect(run("docker compose ps").stderr).toBe("no configuration file provided: not found\n");
    run("git clone https://github.com/jpetazzo/container.training");
    run("cd container.training/dockercoins/rng");
    expect(run("docker compose up -d").stdout).toMatch(/Container dockercoins-rng-1\s+Started/);
    run("cd ~");
    const ps = run("docker compose -f container.training/dockercoins/docker-compose.yml ps");
    expect(ps.stdout).toMatch(/dockercoins-worker-1/);
    const other = run("docker compose -f container.training/dockercoins/docker-compose.yml -p other ps");
    expect(other.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(run("docker compose -f nope.yml ps").stderr).toBe(
      "open /home/docker/nope.yml: no such file or directory\n",
    );
  });
});

describe("docker compose start and restart", () => {
  const rows = (text: string) => text.trimEnd().split("\n");

  it("start starts what stop stopped and nothing else; restart stops and starts, 10 s for rng", () => {
    const { lab, run } = dockerCoinsUp("start-restart");
    run("docker compose stop hasher");
    expect(run("docker compose ps").stdout).not.toMatch(/hasher/);

    const start = run("docker compose start");
    expect(start.exitCode).toBe(0);
    expect(rows(start.stdout)).toEqual([
      "[+] Running 1/1",
      expect.stringMatching(/^ ✔ Container dockercoins-hasher-1 Started +0\.3s$/),
    ]);
    expect(run("docker compose ps").stdout).toMatch(/hasher/);
    expect(rows(run("docker compose start hasher").stdout)).toEqual(["[+] Running 0/0"]);

    // rng (flask as PID 1) ignores SIGTERM: the restart waits for the SIGKILL after 10 s.
    const t0 = lab.sim.now();
    const restart = run("docker compose restart rng hasher");
    expect(lab.sim.now() - t0).toBeGreaterThanOrEqual(10_000);
    expect(rows(restart.stdout)).toEqual([
      "[+] Restarting 2/2",
      expect.stringMatching(/^ ✔ Container dockercoins-rng-1 +Started +10\.3s$/),
      expect.stringMatching(/^ ✔ Container dockercoins-hasher-1 Started +0\.3s$/),
    ]);
    expect(run("docker compose ps").stdout).toMatch(/dockercoins-rng-1 .* Up (1 second|\d+ seconds) /);
    expect(rows(run("docker compose restart -t 1 rng").stdout)[1]).toMatch(/Started +1\.3s$/);

    // A stopped container is started by restart too.
    run("docker compose stop worker");
    expect(rows(run("docker compose restart worker").stdout)[1]).toMatch(/worker-1 Started +0\.3s$/);
  });

  it("an unknown service is refused with compose's message, and nothing changes", () => {
    const { lab, run } = dockerCoinsUp("start-restart-unknown");
    const states = () => run("docker ps -a --format '{{.Names}} {{.State}}'").stdout;
    const before = states();
    const t0 = lab.sim.now();
    for (const line of [
      "docker compose start nosuch",
      "docker compose restart rng nosuch",
      "docker compose stop hasher nosuch",
      "docker compose logs nosuch",
      "docker compose scale worker=2 nosuch=3",
    ]) {
      const r = run(line);
      expect(r.exitCode, line).toBe(1);
      expect(r.stderr, line).toBe("no such service: nosuch\n");
    }
    expect(states()).toBe(before);
    expect(lab.sim.now() - t0).toBeLessThan(10_000); // a restart of rng alone takes 10 s
  });

  it("scale touches the services it names only: a stopped one stays stopped", () => {
    const { run } = dockerCoinsUp("scale-named-only");
    run("docker compose stop hasher");
    const r = run("docker compose scale worker=2");
    expect(r.exitCode).toBe(0);
    expect(rows(r.stdout)).toEqual([
      "[+] Running 2/2",
      expect.stringMatching(/^ ✔ Container dockercoins-worker-1 Running +0\.0s$/),
      expect.stringMatching(/^ ✔ Container dockercoins-worker-2 Started +0\.\ds$/),
    ]);
    expect(run("docker ps -a --filter name=hasher --format '{{.State}}'").stdout).toBe("exited\n");
  });

  it("a start the daemon refuses (its port taken meanwhile) is shown failed, with the daemon's error", () => {
    const { run } = dockerCoinsUp("start-refused");
    run("docker compose stop webui");
    run("docker run -d --name squatter -p 8000:80 nginx");
    const r = run("docker compose start");
    expect(r.exitCode).toBe(1);
    expect(rows(r.stdout)).toEqual([
      "[+] Running 0/1",
      expect.stringMatching(/^ ✘ Container dockercoins-webui-1 Error +0\.0s$/),
    ]);
    expect(r.stderr).toMatch(
      /^Error response from daemon: .*Bind for 0\.0\.0\.0:8000 failed: port is already allocated\n$/,
    );
  });
});

describe("docker compose ps's options", () => {
  it("-q, --services, --status and --filter status=, --format (table, template, json), unknown names", () => {
    const { run } = dockerCoinsUp("compose-ps");
    run("docker compose stop hasher");
    const out = (line: string) => {
      const r = run(line);
      expect(r.stderr, line).toBe("");
      expect(r.exitCode, line).toBe(0);
      return r.stdout;
    };
    const ids = out("docker compose ps -q").trimEnd().split("\n");
    expect(ids).toHaveLength(4);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(out("docker compose ps --services")).toBe("redis\nrng\nwebui\nworker\n");
    expect(out("docker compose ps -a --services")).toBe("hasher\nredis\nrng\nwebui\nworker\n");
    expect(out("docker compose ps --status exited --services")).toBe("hasher\n");
    expect(
      out("docker compose ps --filter status=exited --format '{{.Name}} {{.State}} {{.ExitCode}}'"),
    ).toBe("dockercoins-hasher-1 exited 0\n");
    expect(out("docker compose ps --format 'table {{.Name}}\\t{{.Project}}' rng").split("\n")).toEqual([
      "NAME                PROJECT",
      "dockercoins-rng-1   dockercoins",
      "",
    ]);
    const json = JSON.parse(out("docker compose ps --format json rng"));
    expect(json).toMatchObject({
      Name: "dockercoins-rng-1",
      Service: "rng",
      Project: "dockercoins",
      State: "running",
      ID: expect.stringMatching(/^[0-9a-f]{12}$/),
      Publishers: [
        { URL: "0.0.0.0", TargetPort: 80, PublishedPort: 8001, Protocol: "tcp" },
        { URL: "::", TargetPort: 80, PublishedPort: 8001, Protocol: "tcp" },
      ],
    });
    expect(out("docker compose ps --no-trunc --format '{{.ID}}' worker")).toMatch(/^[0-9a-f]{64}\n$/);
    expect(out(`docker compose ps --format '{{.Label "com.docker.compose.service"}}' worker`)).toBe(
      "worker\n",
    );

    for (const [line, error] of [
      ["docker compose ps nosuch", "no such service: nosuch"],
      ["docker compose ps --filter foo=bar", "unknown filter foo"],
      ["docker compose ps --filter nope", "arguments to --filter should be in form KEY=VAL"],
    ]) {
      const r = run(line);
      expect(r.exitCode, line).toBe(1);
      expect(r.stderr, line).toBe(`${error}\n`);
    }
    expect(run("docker compose ps --format '{{.Nope}}'").stderr).toMatch(
      /can't evaluate field Nope in type \*formatter.ContainerContext/,
    );
  });
});

describe("reading the cloned repository with the text filters, as the lecture does", () => {
  it("head, grep -n, wc -l, tail, cut and sort read worker.py and the stack file", () => {
    const { run } = labWithDockerCoins("read-the-source");
    run("git clone https://github.com/jpetazzo/container.training");
    run("cd container.training/dockercoins");
    const files = containerTrainingFiles();
    const worker = files["dockercoins/worker/worker.py"].split("\n");
    const stack = files["stacks/dockercoins.yml"];

    expect(run("head -5 worker/worker.py")).toMatchObject({
      stdout: `${worker.slice(0, 5).join("\n")}\n`,
      stderr: "",
      exitCode: 0,
    });
    const grep = run("grep -n redis worker/worker.py");
    expect(grep.exitCode).toBe(0);
    const matches = worker.flatMap((l, i) => (l.includes("redis") ? [`${i + 1}:${l}`] : []));
    expect(matches.length).toBeGreaterThan(0);
    expect(grep.stdout).toBe(`${matches.join("\n")}\n`);
    const stackLines = stack.split("\n").length - 1;
    expect(run("wc -l ../stacks/dockercoins.yml").stdout).toBe(`${stackLines} ../stacks/dockercoins.yml\n`);
    run("cd ../stacks");
    expect(run("wc -l dockercoins.yml").stdout).toBe(`${stackLines} dockercoins.yml\n`);
    expect(run("tail -n 2 dockercoins.yml").stdout).toBe(`${stack.split("\n").slice(-3).join("\n")}`);
    expect(run("grep -c image: dockercoins.yml").stdout).toBe(`${(stack.match(/image:/g) ?? []).length}\n`);
    expect(run("cut -d: -f1 dockercoins.yml | sort | head -1").exitCode).toBe(0);
    expect(run("head ../dockercoins/worker")).toMatchObject({
      stderr: "head: error reading '../dockercoins/worker': Is a directory\n",
      exitCode: 1,
    });
  });
});
