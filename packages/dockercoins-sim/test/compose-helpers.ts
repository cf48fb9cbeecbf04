import {
  ComposeProject,
  type ComposeFile,
  Engine,
  ImageRegistry,
  type Job,
  runJob,
  Sim,
} from "@swarm-sim/swarmkit-sim";
import { DOCKERCOINS_COMPOSE } from "../src/compose-file";
import { DOCKERCOINS_BUILDS, registerDockerCoinsImages } from "../src/images";

/** A machine with an engine, the DockerCoins images, and the compose project in its folder. */
export function composeLab(seed: number | string = 1, file: ComposeFile = DOCKERCOINS_COMPOSE) {
  const sim = new Sim({ seed });
  const machine = sim.addMachine("node1");
  const images = new ImageRegistry();
  registerDockerCoinsImages(images);
  const engine = Engine.attach(machine, { images });
  const project = new ComposeProject(engine, file, { builds: DOCKERCOINS_BUILDS });
  /** The test is the host: it drives the compose runtime's jobs on the simulation's clock. */
  const run = <T>(job: Job<T>): T => runJob(sim, job);
  return { sim, machine, engine, project, run };
}
