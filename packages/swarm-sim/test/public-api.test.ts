// What `import ... from "swarm-sim"` gives a test author: the core API by name, the packages
// as namespaces, and a scenario run through it.
import { describe, expect, it } from "vitest";
import * as swarmSim from "../src/index";

describe("the swarm-sim package's API", () => {
  it("exports the core by name and each package as a namespace", () => {
    for (const name of [
      "Sim",
      "buildSwarm",
      "Lab",
      "fcParams",
      "faultScheduleArb",
      "applyFaults",
      "healAll",
      "SCENARIOS",
      "findScenario",
      "clusterArb",
      "startCluster",
    ])
      expect(swarmSim, name).toHaveProperty(name);
    expect(swarmSim.swarmkit.Sim).toBe(swarmSim.Sim);
    expect(swarmSim.scenarios.findScenario).toBe(swarmSim.findScenario);
    expect(typeof swarmSim.raft.RaftNode).toBe("function");
    expect(typeof swarmSim.dockercoins.dockercoinsPlugin).toBe("function");
  });

  it("builds a swarm on a Sim and runs a scenario", () => {
    const sim = new swarmSim.Sim({ seed: 1 });
    const swarm = swarmSim.buildSwarm(sim, { managers: 3, workers: 1 });
    expect(swarm.leader()).toBeDefined();
    const r = swarmSim.findScenario("swarm-init")!.run(1);
    expect(r.verdict).toBe("holds");
  });
});
