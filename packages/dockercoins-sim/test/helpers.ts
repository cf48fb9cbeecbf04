// A small world for the services' unit tests: one machine, an engine with the DockerCoins
// images, a user network "app", and a probe container whose HTTP client the tests drive.
import {
  Engine,
  type HttpRequest,
  type HttpResponse,
  ImageRegistry,
  type NetError,
  type Program,
  type ProgramContext,
  Sim,
} from "@swarm-sim/swarmkit-sim";
import { ZERO_COSTS } from "../src/config";
import { type DockerCoinsImageOptions, registerDockerCoinsImages } from "../src/images";
import { DockerCoinsMetrics } from "../src/metrics";

export class Probe implements Program {
  ctx!: ProgramContext;
  start(ctx: ProgramContext): void {
    this.ctx = ctx;
  }
}

export interface Answer {
  err: NetError | undefined;
  res: HttpResponse | undefined;
  latency: number;
  at: number;
}

export function lab(seed: number | string = 1, opts: DockerCoinsImageOptions = {}) {
  const sim = new Sim({ seed });
  const machine = sim.addMachine("node1");
  const images = new ImageRegistry();
  const metrics = opts.metrics ?? new DockerCoinsMetrics();
  registerDockerCoinsImages(images, { costs: ZERO_COSTS, ...opts, metrics });
  const probes: Probe[] = [];
  images.register({
    name: "probe",
    command: ["probe"],
    create: () => {
      const p = new Probe();
      probes.push(p);
      return p;
    },
  });
  const engine = Engine.attach(machine, { images });
  engine.createNetwork("app");
  const run = (image: string, name: string, aliases: string[] = []) =>
    engine.run({ image, name, network: "app", networks: [{ network: "app", aliases }] });
  const probeContainer = run("probe", "probe");
  const probe = probes[0];
  /** Sends `req` from the probe; the answer arrives as the simulation runs. */
  const send = (host: string, port: number, req: HttpRequest): Answer => {
    const a: Answer = { err: undefined, res: undefined, latency: -1, at: -1 };
    probe.ctx.http.request({ host, port }, req, (err, res, latency) => {
      a.err = err;
      a.res = res;
      a.latency = latency;
      a.at = sim.now();
    });
    return a;
  };
  return { sim, machine, images, engine, metrics, run, probe, probeContainer, send };
}

export function texts(engine: Engine, name: string): string[] {
  return engine.logs(name).map((l) => l.text);
}
