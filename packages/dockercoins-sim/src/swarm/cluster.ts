// A swarm for DockerCoins experiments: N machines, each with a Docker engine that can run the
// application's images (one registry for all, as if every node pulled them), the services
// half wired in (orchestrators on the leader, the engine executor on every node, the swarm's
// DNS records, VIP load balancer and routing mesh on every engine), formed into a swarm by
// really running `swarm init` and `swarm join` (buildSwarm). The first node is a manager;
// `managers` of them are.
import {
  type BuiltSwarm,
  Engine,
  ImageRegistry,
  type Machine,
  type ServiceDirectory,
  type Sim,
  type SwarmNode,
  attachServiceNetworking,
  buildSwarm,
  managersDirectory,
  servicesAttachOptions,
} from "@swarm-sim/swarmkit-sim";
import { type DockerCoinsImageOptions, registerDockerCoinsImages } from "../images";

export interface SwarmClusterOptions {
  /** Machines in the swarm (default 5): node1..nodeN. */
  nodes?: number;
  /** How many of them are managers (default 1: node1). */
  managers?: number;
  images?: DockerCoinsImageOptions;
  /** The size of every machine (cores, bytes); default the kernel's. */
  cpus?: number;
  memoryBytes?: number;
}

export interface DockerCoinsCluster {
  swarm: BuiltSwarm;
  /** Every node's engine, by machine name. */
  engines: Map<string, Engine>;
  directory: ServiceDirectory;
  /** The node commands are run on (the first manager). */
  manager(): SwarmNode;
  machines: Machine[];
}

export function nodeName(i: number): string {
  return `node${i + 1}`;
}

export function buildDockerCoinsCluster(sim: Sim, opts: SwarmClusterOptions = {}): DockerCoinsCluster {
  const n = opts.nodes ?? 5;
  const managers = Math.min(n, Math.max(1, opts.managers ?? 1));
  const images = new ImageRegistry();
  registerDockerCoinsImages(images, opts.images);
  const engines = new Map<string, Engine>();
  let built: BuiltSwarm | undefined;
  const directory = managersDirectory(() =>
    (built?.managers ?? []).flatMap((node) =>
      node.manager && !node.manager.isStopped ? [node.manager] : [],
    ),
  );
  const machines: Machine[] = [];
  for (let i = 0; i < n; i++) {
    const m = sim.addMachine(nodeName(i), { cores: opts.cpus, memoryBytes: opts.memoryBytes });
    machines.push(m);
    const engine = Engine.attach(m, { images });
    engines.set(m.name, engine);
    attachServiceNetworking(engine, directory);
  }
  built = buildSwarm(sim, {
    managers,
    workers: n - managers,
    managerName: nodeName,
    workerName: (i) => nodeName(managers + i),
    attach: servicesAttachOptions(directory, (m) => engines.get(m.name)),
  });
  const swarm = built;
  return {
    swarm,
    engines,
    directory,
    machines,
    manager: () => swarm.leader() ?? swarm.managers[0],
  };
}
