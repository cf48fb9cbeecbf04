// A real swarm for end-to-end tests of the services half: machines with Docker engines (a tiny
// image set), formed into a swarm by the control plane's buildSwarm with the services
// components and the engine executor, the swarm resolver and routing mesh on every engine, and
// a `docker` helper that runs a command line through the real grammar and the handlers.
import { Engine } from "../../src/engine/engine";
import { replyHttp, serveHttp } from "../../src/engine/http/server";
import { HttpClient } from "../../src/engine/http/client";
import { HttpRequest, HttpResponse, type HttpResponse as Res } from "../../src/engine/http/message";
import { ExchangeClient } from "../../src/engine/net/exchange";
import { machineHost } from "../../src/engine/net/host";
import { ImageRegistry } from "../../src/engine/images";
import type { ImageSpec } from "../../src/engine/program";
import { parseCommandVector } from "../../src/cli/grammar";
import { splitCommandLine } from "../../src/cli/shell";
import { Sim } from "../../src/kernel/sim";
import type { Machine } from "../../src/kernel/machine";
import { attachServiceNetworking, managersDirectory, servicesAttachOptions } from "../../src/network/wiring";
import { buildSwarm, type BuiltSwarm } from "../../src/swarm/build";
import type { SwarmNode } from "../../src/node/swarm-node";
import { attachSwarmNode } from "../../src/swarm/attach";
import {
  overlayNetworkHandlers,
  serviceCommandHandlers,
  swarmCommandHandlers,
} from "../../src/docker/register";
import { runJob } from "../../src/lab/host-loop";
import type { Task } from "../../src/api/types";
import { TaskState } from "../../src/api/types";

/** nginx: answers its hostname on :80, exits at once on SIGTERM. */
const web: ImageSpec = {
  name: "nginx:latest",
  command: ["nginx", "-g", "daemon off;"],
  create: () => ({
    handledSignals: ["SIGTERM", "SIGQUIT"],
    start(ctx) {
      this.onSignal = () => ctx.exit(0);
      serveHttp(ctx, 80, { kind: "eventLoop" }, (_req, inc) =>
        replyHttp(inc, new HttpResponse(200, `hello from ${ctx.hostname}`, "text/plain")),
      );
    },
  }),
};
/** An image whose program dies a second after it starts. */
const broken: ImageSpec = {
  name: "broken:latest",
  command: ["crash"],
  create: () => ({
    start(ctx) {
      ctx.after(1000, () => ctx.exit(1));
    },
  }),
};
/** busybox sleeping forever; ignores SIGTERM (PID 1), so a stop waits the grace period. */
const sleeper: ImageSpec = {
  name: "busybox:latest",
  command: ["sleep", "infinity"],
  create: () => ({ start() {} }),
};

/** A batch job: works for the seconds its command names (`batch 3`; default 2), then exits 0. */
const batch: ImageSpec = {
  name: "batch:latest",
  command: ["batch", "2"],
  create: (spec) => ({
    start(ctx) {
      ctx.after(Number(spec.command[1] ?? 2) * 1000, () => ctx.exit(0));
    },
  }),
};

export const IMAGES = [web, { ...web, name: "nginx:2" }, broken, sleeper, batch];

export interface ServicesSwarm {
  sim: Sim;
  swarm: BuiltSwarm;
  engines: Map<string, Engine>;
  /** Files `docker stack deploy -c FILE` reads, by the name the command gives. */
  files: Map<string, string>;
  /** Runs `docker ...` on a node (default: the first manager); returns exit code and output. */
  docker(line: string, on?: SwarmNode): { code: number; out: string; err: string };
  /** Adds a worker that joins now. */
  addWorker(name: string): SwarmNode;
  leaderStore(): import("../../src/manager/store/memory-store").MemoryStore;
  /** GET http://<machine>:<port>/ from the machine itself (the routing mesh). */
  httpGet(machine: string, port: number, cb: (err: Error | undefined, res: Res | undefined) => void): void;
}

function addEngine(_sim: Sim, m: Machine, engines: Map<string, Engine>): Engine {
  const images = new ImageRegistry();
  for (const i of IMAGES) images.register(i);
  const e = Engine.attach(m, { images });
  engines.set(m.name, e);
  return e;
}

export function servicesSwarm(seed: number | string, managers: number, workers: number): ServicesSwarm {
  const sim = new Sim({ seed });
  const engines = new Map<string, Engine>();
  let built: BuiltSwarm | undefined;
  const directory = managersDirectory(() =>
    (built?.managers ?? [])
      .map((n) => n.manager)
      .filter((m): m is NonNullable<typeof m> => !!m && !m.isStopped),
  );
  const attach = servicesAttachOptions(directory, (m) => engines.get(m.name));
  const names = [
    ...Array.from({ length: managers }, (_, i) => `manager${i + 1}`),
    ...Array.from({ length: workers }, (_, i) => `worker${i + 1}`),
  ];
  for (const n of names) {
    const e = addEngine(sim, sim.addMachine(n), engines);
    attachServiceNetworking(e, directory);
  }
  built = buildSwarm(sim, { managers, workers, attach });
  const handlers = new Map(
    [...swarmCommandHandlers, ...serviceCommandHandlers, ...overlayNetworkHandlers].map(([p, h]) => [
      p.join(" "),
      h,
    ]),
  );
  const files = new Map<string, string>();
  const readFile = (path: string) => {
    const text = files.get(path);
    if (text === undefined) throw new Error(`open ${path}: no such file or directory`);
    return text;
  };
  const self: ServicesSwarm = {
    sim,
    swarm: built,
    engines,
    files,
    docker(line, on = built!.managers[0]) {
      const split = splitCommandLine(line);
      if (!split.ok) throw new Error(split.error);
      const parsed = parseCommandVector(split.commands[0]);
      if (parsed.kind !== "command") return { code: parsed.exitCode, out: parsed.stdout, err: parsed.stderr };
      const h = handlers.get(parsed.command.path.join(" "));
      if (!h) throw new Error(`no handler for ${parsed.command.path.join(" ")}`);
      let out = "";
      let err = "";
      const io = { out: (t: string) => (out += t), err: (t: string) => (err += t) };
      const code = runJob(sim, h(parsed.command, io, { sim, machine: on.machine, swarm: on, readFile }));
      return { code, out, err };
    },
    addWorker(name) {
      const m = sim.addMachine(name);
      attachServiceNetworking(addEngine(sim, m, engines), directory);
      const node = attachSwarmNode(sim, m, attach);
      let done = false;
      node.join({ token: built!.tokens.worker, remoteAddr: built!.joinAddr }, () => (done = true));
      sim.runUntil(() => done, 60_000);
      return node;
    },
    leaderStore() {
      const l = built!.leader() ?? built!.managers[0];
      return l.manager!.store;
    },
    httpGet(machine, port, cb) {
      const m = sim.machine(machine);
      const client = new HttpClient(new ExchangeClient(machineHost(m)), (h) => h);
      client.request({ host: m.address, port }, new HttpRequest("GET", "/"), (e, res) => cb(e, res), 5000);
    },
  };
  return self;
}

export function runningTasks(
  store: import("../../src/manager/store/memory-store").MemoryStore,
  serviceName: string,
): Task[] {
  const s = store.serviceByName(serviceName);
  if (!s) return [];
  return store
    .tasksByService(s.id)
    .filter((t) => t.status.state === TaskState.RUNNING && t.desiredState <= TaskState.RUNNING);
}
