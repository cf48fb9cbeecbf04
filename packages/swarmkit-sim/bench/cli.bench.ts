// Lab lines per wall second through DockerCli.run (sh parsing, expansion, the docker grammar,
// pipes into filters, dispatch to a handler) against the cheapest possible dispatcher over the
// same lines: split on blanks and call a handler from a map. The lab is interactive, so the
// full path only has to stay within a bounded factor of that floor. Target: ratio >= 0.005.
import type { BenchRow } from "../../../scripts/bench-types";
import { DockerCli, runnableCommandIds } from "../src/cli/index";

const LINES = [
  "docker swarm init --advertise-addr eth0:7777 --listen-addr eth0:7777",
  "docker node ls",
  "docker info | grep Swarm",
  "TOKEN=$(docker swarm join-token -q worker)",
  "docker exec node3 docker swarm join --token $TOKEN 10.0.0.1:2377",
  "docker run -d --privileged --name node3 docker:dind",
  "docker compose up -d --scale worker=10",
  "docker-compose logs --tail 10 --follow",
  'docker run --rm --network="host" bretfisher/httping -c 5 localhost:8001',
  "docker service create --name worker --replicas 10 --constraint node.role==worker -p 8000:80 dockercoins/worker",
  "docker service ls | grep worker | wc -l",
  "docker service update --image nginx:alpine --update-parallelism 2 --update-delay 10s web",
  "docker swarm join",
  "docker node promote node2 node3",
];
const ROUNDS = 300;

function fullPath(): number {
  const cli = new DockerCli<null>();
  for (const id of runnableCommandIds()) {
    cli.register(id.split(" "), (cmd, io) => {
      io.out(`${cmd.id} Swarm\n`);
      return 0;
    });
  }
  let n = 0;
  for (let r = 0; r < ROUNDS; r++) {
    for (const line of LINES) {
      cli.run(line, null);
      n++;
    }
  }
  return n;
}

function naive(): number {
  const handlers = new Map<string, (argv: string[]) => string>();
  for (const id of runnableCommandIds()) handlers.set(id, (argv) => `${argv.length} Swarm\n`);
  let n = 0;
  let out = "";
  for (let r = 0; r < ROUNDS; r++) {
    for (const line of LINES) {
      const argv = line.split(/\s+/);
      const h = handlers.get(`${argv[1]} ${argv[2]}`) ?? handlers.get(argv[1]);
      out = h ? h(argv) : out;
      n++;
    }
  }
  return out === "" ? n : n;
}

function rate(fn: () => number): number {
  const t0 = performance.now(); // wall-clock: benchmark
  const n = fn();
  return n / ((performance.now() - t0) / 1000); // wall-clock: benchmark
}

export function bench(): BenchRow[] {
  fullPath();
  naive();
  let full = 0;
  let floor = 0;
  for (let r = 0; r < 3; r++) {
    floor = Math.max(floor, rate(naive));
    full = Math.max(full, rate(fullPath));
  }
  const ratio = full / floor;
  return [
    {
      name: "lab lines/s through DockerCli.run",
      value: full,
      unit: "lines/s",
      baseline: { name: "split on blanks + handler map", value: floor, unit: "lines/s" },
      ratio,
      target: "ratio >= 0.005",
      ok: ratio >= 0.005,
    },
  ];
}
