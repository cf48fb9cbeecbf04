// Records what the real Docker CLI prints for many argument vectors, as goldens for
// cli-golden.test.ts. Not part of the test run (it needs a docker binary; no daemon is needed
// or wanted: a vector that gets past parsing ends with "Cannot connect to the Docker daemon").
//
//   DOCKER=/usr/local/bin/docker npx tsx packages/swarmkit-sim/test/cli-fixtures/capture-docker.ts
//
// stdin is not a terminal, so help is wrapped at 80 columns, as the goldens expect.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { dockerTree } from "../../src/cli/grammar/index";
import { allNodes } from "../../src/cli/grammar/tree";
import type { FlagSpec } from "../../src/cli/grammar/types";

const DOCKER = process.env.DOCKER ?? "docker";

export interface GoldenCase {
  args: string[];
  /** True when the CLI accepted the command line (it then tried to reach the daemon). */
  parsed: boolean;
  stdout: string;
  stderr: string;
  exitCode: number;
}

const cases: string[][] = [];
const add = (...argvs: string[][]) => cases.push(...argvs);
const words = (line: string) => line.split(" ").filter((w) => w !== "");

// Help of every modelled command, its bare form, and the root's.
const nodes = allNodes(dockerTree()).filter((n) => !n.spec.unsupported && n.spec.family !== "compose");
for (const n of nodes) {
  add([...n.path, "--help"]);
  if (n.children.length > 0) add([...n.path]);
}
add(
  ["--help"],
  ["-h"],
  ["help"],
  ["help", "swarm"],
  ["help", "swarm", "init"],
  ["help", "foo"],
  ["help", "swarm", "foo"],
);
add(["-v"], ["--version"], ["-D"], ["swarm", "init", "-h"], ["--help", "swarm", "init"]);

// Unknown commands and flags at each level.
add(
  ["foo"],
  ["swram"],
  ["swarm", "foo"],
  ["node", "foo", "bar"],
  ["--bar"],
  ["swarm", "--bar"],
  ["swarm", "-q", "join-token", "worker"],
);
add(["swarm", "--foo", "init"], ["--debug", "swarm", "foo"], ["-H", "tcp://x", "swarm", "init", "--foo"]);

const BAD: Partial<Record<FlagSpec["kind"], string[]>> = {
  bool: ["maybe", ""],
  int: ["x", "1.5", "99999999999999999999"],
  uint: ["x", "-1", "0x10", "99999999999999999999"],
  float: ["x"],
  duration: ["10", "5x", "x", "1m30s", ".s"],
  bytes: ["10X", "-1", "abc", "1.5g"],
  decimal: ["abc", "0.0000000001", "1/3", "3/2"],
  filter: ["foo", "Name = web"],
  port: ["abc", "80:abc", "80/xyz", "published=8080,target=80", "target=x", "1.2.3.4:80:80", "8000-8001:80"],
  network: ["a=b", "name=net,alias=x", "name=", "plain"],
  mount: ["foo", "type=bind,source=/a", "target=/x,bogus=1"],
  pref: ["foo", "spread=node.labels.zone", "pack=x"],
  "node-addr": [":::", "tcp://x", "udp://x", "eth0", "eth0:7777", "1.2.3.4:x"],
  cidr: ["10.0.0.0", "10.0.0.0/8"],
  "external-ca": ["foo", "protocol=cfssl", "protocol=x,url=y"],
  command: ["'unterminated", "a b c"],
  csv: ['"a,b",c', 'a"b'],
};

function spellings(f: FlagSpec): string[] {
  return f.short && !f.shorthandDeprecated ? [`--${f.name}`, `-${f.short}`] : [`--${f.name}`];
}

// Per leaf command: arity, unknown flags, and every flag without / with a bad value.
for (const n of nodes.filter((x) => x.children.length === 0)) {
  const base = n.path;
  const enough = ["a", "b", "c"].slice(
    0,
    n.spec.args?.kind === "exact" ? n.spec.args.n : n.spec.args?.kind === "min" ? n.spec.args.n : 0,
  );
  add([...base], [...base, "x", "y", "z"], [...base, "--bogus"], [...base, "-Z"], [...base, ...enough]);
  for (const f of n.flags) {
    if (f.isHelp) continue;
    for (const spelling of spellings(f)) {
      if (f.kind !== "bool") add([...base, spelling]);
      for (const bad of BAD[f.kind] ?? []) add([...base, `${spelling}=${bad}`, ...enough]);
    }
  }
}

// The lecture's commands and friends, verbatim.
for (const line of [
  "swarm init",
  "swarm init --advertise-addr eth0:7777 --listen-addr eth0:7777",
  "swarm init --advertise-addr 172.24.0.2",
  "swarm init --advertise-addr eth0",
  "swarm join --token SWMTKN-1-59fl4ak4nqjmao1ofttrc4eprhrola2l87 172.24.0.2:2377",
  "swarm join-token worker",
  "swarm join-token -q worker",
  "swarm join-token --rotate manager",
  "swarm update",
  "swarm update --autolock=true",
  "swarm update --cert-expiry 720h",
  "info",
  "node ls",
  "node promote node2",
  "node demote node2",
  "node update --availability drain node2",
  "run --privileged --name node2 docker:dind",
  "run -d --privileged --name node3 docker:dind",
  "exec -it node2 sh",
  "exec node3 docker swarm join --token X 1.2.3.4:2377",
  "run --rm --network=host bretfisher/httping -c 5 localhost:8001",
  "service create --name web --replicas 3 -p 8080:80 nginx",
  "service create --name rng --mode global --constraint node.role==worker dockercoins/rng:v0.1",
  "service scale web=5 rng=2",
  "service scale web=x",
  "service scale web=",
  "service update --image nginx:alpine --update-parallelism 2 --update-delay 10s web",
  "service rollback web",
  "service ps --no-trunc web",
  "service ls -q",
  "stack deploy -c docker-compose.yml dockercoins",
  "stop -t 5 c1",
  "stop --time 5 c1",
  "ps -aq",
  "logs --tail 10 -f c1",
  "stats --no-stream",
  "network create -d overlay --attachable --subnet 10.10.0.0/24 dockercoins",
  "service create -dq img",
  "service create --replicas 3 --mode global img",
  "service create --mode bogus img",
]) {
  add(words(line));
}

const results: GoldenCase[] = [];
const seen = new Set<string>();
for (const args of cases) {
  const key = JSON.stringify(args);
  if (seen.has(key)) continue;
  seen.add(key);
  const r = spawnSync(DOCKER, args, {
    encoding: "utf8",
    input: "",
    env: { ...process.env, DOCKER_HOST: "unix:///nonexistent.sock" },
  });
  const stdout = r.stdout ?? "";
  const stderr = r.stderr ?? "";
  const parsed = /Cannot connect to the Docker daemon|failed to connect to the docker API/.test(stderr);
  results.push({ args, parsed, stdout, stderr, exitCode: r.status ?? -1 });
}
const out = join(import.meta.dirname, "docker-28.2.2.json");
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
// Keep the file in the repository's JSON format, so `npm run lint` stays clean.
spawnSync("npx", ["biome", "format", "--write", out], { stdio: "inherit" });
console.log(`${results.length} cases written to ${out}`);
