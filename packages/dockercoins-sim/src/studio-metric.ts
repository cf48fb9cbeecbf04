// DockerCoins on the studio's timeline: the hashes mined so far, read from redis's `hashes`
// counter (what the web UI's /json reports) in every running redis container of the lab, and
// turned into hashes per second by the studio. It only reads the containers' state: no request
// goes into the simulation, so a page watching changes nothing.
import { engineOf, type LabWorld, type StudioMetric } from "@swarm-sim/swarmkit-sim";
import { RedisProgram } from "./services/redis";

/** The hashes counter summed over the lab's running redis containers (undefined: none has one). */
export function minedHashes(world: LabWorld): number | undefined {
  let total: number | undefined;
  for (const name of world.nodeNames()) {
    const node = world.node(name);
    if (!node.machine.isUp()) continue;
    for (const c of engineOf(node)?.containers() ?? []) {
      if (c.state !== "running" || !(c.program instanceof RedisProgram)) continue;
      // (Another application's redis has no hashes counter: it is not DockerCoins'.)
      const hashes = c.program.store.getString("hashes");
      if (hashes !== undefined) total = (total ?? 0) + Number(hashes);
    }
  }
  return total;
}

/** The studio's metric: DockerCoins' hashes per second. */
export function dockercoinsStudioMetric(): StudioMetric {
  return { name: "DockerCoins", unit: "hashes/s", counter: minedHashes };
}
