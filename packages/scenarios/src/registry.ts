// Every scenario, in the lecture's order (the walkthrough prints a section's title when it
// changes). `swarm-sim list` prints them; the walkthrough runs them.
import type { Scenario } from "./scenario";
import { autolock } from "./scenarios/autolock";
import { certRotation } from "./scenarios/cert-rotation";
import { DOCKERCOINS_SCENARIOS, rngScaleOut } from "./scenarios/dockercoins";
import { forceNewCluster } from "./scenarios/force-new-cluster";
import { initPki } from "./scenarios/init-pki";
import { initTwice } from "./scenarios/init-twice";
import { joinConnections } from "./scenarios/join-connections";
import { leastPrivilege } from "./scenarios/least-privilege";
import { capacity, distance, evenManagers, onlyLeaderWritable, quorumTable } from "./scenarios/managers";
import { raftReconfiguration } from "./scenarios/raft-reconfiguration";
import { nodeFailure, nodeTasks } from "./scenarios/reconciliation";
import { SCALE_SCENARIOS } from "./scenarios/scale";
import {
  advertiseAddress,
  lectureTasks,
  loseOnlyManager,
  notAManager,
  swarmInit,
  tokenRotation,
  workerJoin,
} from "./scenarios/swarm-lab";

export const SCENARIOS: Scenario[] = [
  ...DOCKERCOINS_SCENARIOS,
  // SwarmKit features, concepts, declarative vs imperative
  raftReconfiguration,
  leastPrivilege,
  autolock,
  nodeTasks,
  nodeFailure,
  // Swarm mode, the first swarm, under the hood
  notAManager,
  initTwice,
  swarmInit,
  advertiseAddress,
  workerJoin,
  initPki,
  tokenRotation,
  joinConnections,
  certRotation,
  // Adding more manager nodes, controlling the swarm from other nodes
  loseOnlyManager,
  forceNewCluster,
  lectureTasks,
  // How many managers do we need? What's the upper limit?
  quorumTable,
  evenManagers,
  onlyLeaderWritable,
  capacity,
  distance,
  ...SCALE_SCENARIOS,
  rngScaleOut,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
