import { Engine, ImageRegistry, Sim } from "@swarm-sim/swarmkit-sim";
import { type ComposeFile, DOCKERCOINS_COMPOSE } from "../src/compose/file";
import { ComposeProject } from "../src/compose/project";
import { DOCKERCOINS_BUILDS, registerDockerCoinsImages } from "../src/images";

/** A machine with an engine, the DockerCoins images, and the compose project in its folder. */
export function composeLab(seed: number | string = 1, file: ComposeFile = DOCKERCOINS_COMPOSE) {
  const sim = new Sim({ seed });
  const machine = sim.addMachine("node1");
  const images = new ImageRegistry();
  registerDockerCoinsImages(images);
  const engine = Engine.attach(machine, { images });
  const project = new ComposeProject(engine, file, { builds: DOCKERCOINS_BUILDS });
  return { sim, machine, engine, project };
}
