// @swarm-sim/swarmkit-sim: the simulated world (kernel) and SwarmKit on it.
export * from "./kernel/index";
export { fcParams } from "./testing/fc-params";
