// The image and the manifests that run a sweep's shards on a cluster (Dockerfile, deploy/).
// There is no Docker or Kubernetes here: the test parses the manifests, checks their shape, and
// evaluates each one's shell command for every completion index or task slot, as the
// container's shell would, to check that the shards it asks for are 1/N to N/N, each once, with
// N the number of pods or tasks, and that the rest of the command line is one the CLI takes.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { consumerManifest, tarballsIn } from "../../../scripts/consumer-project.mjs";
import { parseShard } from "../../scenarios/src/sweep/shards";

const ROOT = resolve(import.meta.dirname, "../../..");
const VERSION = JSON.parse(readFileSync(resolve(import.meta.dirname, "../package.json"), "utf8")).version;
const read = (path: string) => readFileSync(resolve(ROOT, path), "utf8");

/** The argv `sh -c script` execs, with `env` set: `exec swarm-sim` made to print its arguments. */
function argvOf(script: string, env: Record<string, string>): string[] {
  expect(script).toMatch(/^exec swarm-sim /);
  const printing = script.replace(/^exec swarm-sim /, `exec printf '%s\\n' swarm-sim `);
  const out = execFileSync("sh", ["-c", printing], {
    env: { PATH: process.env.PATH, ...env },
    encoding: "utf8",
  });
  return out.trimEnd().split("\n");
}

/** The shard an argv runs, after checking it is a sweep command line the CLI takes. */
function shardOf(argv: string[]): string {
  expect(argv.slice(0, 3)).toEqual(["swarm-sim", "experiment", "quorum"]);
  const { values } = parseArgs({
    args: argv.slice(3),
    strict: true,
    options: {
      managers: { type: "string" },
      seeds: { type: "string" },
      threads: { type: "string" },
      shard: { type: "string" },
      out: { type: "string" },
    },
  });
  expect(values.shard).toBeDefined();
  expect(typeof parseShard(values.shard!)).toBe("object");
  return values.shard!;
}

describe("the Kubernetes Indexed Job", () => {
  const job = parse(read("deploy/kubernetes/sweep-job.yaml"));

  it("is an Indexed Job whose pods run the image", () => {
    expect(job).toMatchObject({ apiVersion: "batch/v1", kind: "Job", spec: { completionMode: "Indexed" } });
    expect(job.spec.parallelism).toBeLessThanOrEqual(job.spec.completions);
    const pod = job.spec.template.spec;
    expect(["Never", "OnFailure"]).toContain(pod.restartPolicy);
    expect(pod.containers).toHaveLength(1);
    expect(pod.containers[0].image).toBe(`swarm-sim:${VERSION}`);
  });

  it("maps completion index i to shard i+1 of N, N being the completions", () => {
    const n: number = job.spec.completions;
    const container = job.spec.template.spec.containers[0];
    expect(container.command).toEqual(["sh", "-c"]);
    const shards = Array.from({ length: n }, (_, i) =>
      shardOf(argvOf(container.args[0], { JOB_COMPLETION_INDEX: String(i) })),
    );
    expect(shards).toEqual(Array.from({ length: n }, (_, i) => `${i + 1}/${n}`));
  });
});

describe("the Docker Swarm replicated job", () => {
  const stack = parse(read("deploy/swarm/sweep-stack.yml"));
  const service = stack.services.quorum;

  it("is a replicated-job service of the image, with the task slot in SLOT", () => {
    expect(Object.keys(stack.services)).toEqual(["quorum"]);
    expect(service.image).toBe(`swarm-sim:${VERSION}`);
    expect(service.deploy.mode).toBe("replicated-job");
    expect(service.environment).toEqual({ SLOT: "{{.Task.Slot}}" });
    expect(service.entrypoint).toEqual(["sh", "-c"]);
  });

  it("maps task slot s (0 to N-1 for a replicated job) to shard s+1 of N, N being the replicas", () => {
    const n: number = service.deploy.replicas;
    // `docker stack deploy` reads `$$` as a literal `$`.
    const script = (service.command[0] as string).replaceAll("$$", "$");
    const shards = Array.from({ length: n }, (_, slot) => shardOf(argvOf(script, { SLOT: String(slot) })));
    expect(shards).toEqual(Array.from({ length: n }, (_, i) => `${i + 1}/${n}`));
  });
});

describe("the same job as one docker service create command (the stack file's comment)", () => {
  const text = read("deploy/swarm/sweep-stack.yml");
  const replicas: number = parse(text).services.quorum.deploy.replicas;

  it("is a replicated job of as many tasks, mapping slot s to shard s+1", () => {
    const at = text.indexOf("#   docker service create");
    expect(at).toBeGreaterThan(-1);
    const lines: string[] = [];
    for (const line of text.slice(at).split("\n")) {
      lines.push(line.replace(/^#\s*/, ""));
      if (!line.endsWith("\\")) break;
    }
    // The shell's own word splitting: each word of the command on a line of its own.
    const command = lines.join("\n").replace(/^docker /, "exec printf '%s\\n' docker ");
    const argv = execFileSync("sh", ["-c", command], { encoding: "utf8" }).trimEnd().split("\n");
    const flag = (name: string) => argv[argv.indexOf(name) + 1];
    expect(argv.slice(0, 3)).toEqual(["docker", "service", "create"]);
    expect(flag("--mode")).toBe("replicated-job");
    expect(Number(flag("--replicas"))).toBe(replicas);
    expect(flag("--env")).toBe("SLOT={{.Task.Slot}}");
    expect(flag("--entrypoint")).toBe("sh");
    expect(argv[argv.indexOf("-c") - 1]).toBe(`swarm-sim:${VERSION}`);
    const script = argv[argv.indexOf("-c") + 1];
    const shards = Array.from({ length: replicas }, (_, slot) =>
      shardOf(argvOf(script, { SLOT: String(slot) })),
    );
    expect(shards).toEqual(Array.from({ length: replicas }, (_, i) => `${i + 1}/${replicas}`));
  });
});

describe("the Dockerfile", () => {
  const lines = read("Dockerfile")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"));

  it("builds in a Node 20 stage and installs the packed packages in a second one", () => {
    const froms = lines.filter((l) => l.startsWith("FROM "));
    expect(froms).toHaveLength(2);
    for (const f of froms) expect(f).toMatch(/^FROM node:20[-.\w]* ?(AS \w+)?$/);
    expect(lines).toContain('ENTRYPOINT ["swarm-sim"]');
    // Every instruction is one Docker knows, continuation lines aside.
    const known = /^(FROM|WORKDIR|COPY|RUN|ENV|USER|ENTRYPOINT|CMD) /;
    for (const l of lines) if (!l.startsWith(" ")) expect(l).toMatch(known);
    for (const script of read("Dockerfile").match(/scripts\/[\w.-]+/g) ?? [])
      expect(existsSync(resolve(ROOT, script)), script).toBe(true);
  });
});

describe("the consumer project (Dockerfile, packaging test)", () => {
  const dir = mkdtempSync(join(tmpdir(), "swarm-sim-packs-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("takes each of our packages from its tarball, whatever the registry holds", () => {
    for (const f of [
      "swarm-sim-0.1.0.tgz",
      "swarm-sim-raft-0.1.0.tgz",
      "swarm-sim-swarmkit-sim-0.1.0.tgz",
      "swarm-sim-dockercoins-sim-0.1.0.tgz",
      "swarm-sim-scenarios-0.1.0.tgz",
      "other-1.0.0.tgz",
    ])
      writeFileSync(join(dir, f), "");
    expect(Object.keys(tarballsIn(dir)).sort()).toEqual([
      "@swarm-sim/dockercoins-sim",
      "@swarm-sim/raft",
      "@swarm-sim/scenarios",
      "@swarm-sim/swarmkit-sim",
      "swarm-sim",
    ]);
    const m = consumerManifest(dir, { vitest: "~3.2.7" });
    expect(m.dependencies).toEqual({ "swarm-sim": "file:./swarm-sim-0.1.0.tgz" });
    expect(m.overrides["@swarm-sim/raft"]).toBe("file:./swarm-sim-raft-0.1.0.tgz");
    expect(m.devDependencies).toEqual({ vitest: "~3.2.7" });
  });
});
