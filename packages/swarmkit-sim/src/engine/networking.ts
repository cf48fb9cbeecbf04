// The engine's networking (what libnetwork is to dockerd): its networks (docker0, user-defined
// bridges, host, none, overlays) with subnets from the engine's own pools, container endpoints
// and their kernel addresses (a bridge's are the machine's alone, an overlay's cluster-wide),
// the embedded DNS, and published ports with their userland proxies.
// The engine (engine.ts) runs containers and asks this module to connect them.
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { ActiveEndpoint, Container } from "./container";
import { DnsResolver, type ResolveOrigin } from "./dns";
import { EngineError, noSuchNetwork } from "./errors";
import { newId, shortId } from "./ids";
import type { NetHost } from "./net/host";
import { EngineNetwork, type NetworkDriver } from "./network";
import { type PortBinding, PortProxy } from "./ports";
import { allocateSubnet, releaseSubnet, Subnet } from "./subnets";

/** Where an engine's bridges sit (EngineOptions). */
export interface BridgeOptions {
  /**
   * The bridges' addresses are routed beyond the machine (the lab's node1: its docker:dind
   * nodes sit on its docker0 and its user networks, as the user's own machine). Default: every
   * bridge is the machine's own, as on any Docker host.
   */
  sharedBridges?: boolean;
  /** Networks the machine sits on from outside (a docker:dind's on node1), as CIDRs. */
  reservedSubnets?: () => readonly string[];
}

/** What the networking needs of its engine. */
export interface NetworkingHooks {
  /** Every container the engine holds (a network that running ones use cannot be removed). */
  containers(): Iterable<Container>;
  /** A network was created or removed (the engine's events). */
  networkEvent(type: "network-create" | "network-destroy", network: EngineNetwork): void;
}

export class EngineNetworking {
  /** The embedded DNS, with the resolvers plugged in before it. */
  readonly dns: DnsResolver;
  private readonly networksById = new Map<string, EngineNetwork>();
  private readonly networksByName = new Map<string, EngineNetwork>();
  /** host port -> the container publishing it. */
  private readonly hostPorts = new Map<number, Container>();

  constructor(
    private readonly machine: Machine,
    /** The engine's ID stream (shared with its containers: one sequence of draws). */
    private readonly ids: Random,
    private readonly hooks: NetworkingHooks,
    private readonly bridges: BridgeOptions = {},
  ) {
    const sim = machine.sim;
    this.dns = new DnsResolver(sim.random.fork(`engine/${machine.name}/dns`), (name) =>
      sim.hasMachine(name) ? sim.machine(name).address : undefined,
    );
    this.addNetwork("bridge", "bridge", { bridgeName: "docker0", dns: false });
    this.addNetwork("host", "host", {});
    this.addNetwork("none", "null", {});
  }

  private addNetwork(
    name: string,
    driver: NetworkDriver,
    o: {
      bridgeName?: string;
      dns?: boolean;
      subnet?: string;
      labels?: Record<string, string>;
      scope?: "local" | "swarm";
    },
  ): EngineNetwork {
    const id = newId(this.ids);
    const reserved = (this.bridges.reservedSubnets?.() ?? []).map((c) => Subnet.parse(c));
    const subnet =
      driver === "bridge" || driver === "overlay"
        ? allocateSubnet(this.machine, o.subnet, reserved)
        : undefined;
    const bridgeName = driver === "bridge" ? (o.bridgeName ?? `br-${shortId(id)}`) : undefined;
    const n = new EngineNetwork(
      id,
      name,
      driver,
      subnet,
      bridgeName,
      o.dns ?? false,
      this.machine.sim.now(),
      o.labels ?? {},
      o.scope ?? "local",
      driver === "bridge" && !this.bridges.sharedBridges,
    );
    // The bridge's gateway is an address of the machine itself.
    if (bridgeName && n.gateway) this.hold(n, n.gateway, bridgeName);
    this.networksById.set(id, n);
    this.networksByName.set(name, n);
    return n;
  }

  createNetwork(
    name: string,
    opts: {
      driver?: "bridge" | "overlay";
      subnet?: string;
      labels?: Record<string, string>;
      scope?: "local" | "swarm";
    } = {},
  ): EngineNetwork {
    if (this.networksByName.has(name)) throw new EngineError(`network with name ${name} already exists`, 409);
    const n = this.addNetwork(name, opts.driver ?? "bridge", {
      dns: true,
      subnet: opts.subnet,
      labels: opts.labels,
      scope: opts.scope ?? (opts.driver === "overlay" ? "swarm" : "local"),
    });
    this.machine.sim.trace.record("network.create", {
      machine: this.machine.name,
      network: name,
      subnet: n.subnet?.toString(),
    });
    this.hooks.networkEvent("network-create", n);
    return n;
  }

  findNetwork(ref: string): EngineNetwork | undefined {
    const byName = this.networksByName.get(ref);
    if (byName) return byName;
    const byId = this.networksById.get(ref);
    if (byId) return byId;
    for (const n of this.networksById.values()) if (ref.length > 0 && n.id.startsWith(ref)) return n;
    return undefined;
  }

  network(ref: string): EngineNetwork {
    const n = this.findNetwork(ref);
    if (!n) throw noSuchNetwork(ref);
    return n;
  }

  networks(): EngineNetwork[] {
    return [...this.networksById.values()];
  }

  /** Whether a running container is attached to the network (it has endpoints on it). */
  hasEndpoints(n: EngineNetwork): boolean {
    return [...this.hooks.containers()].some(
      (c) => c.isRunning && c.config.networks.some((a) => this.findNetwork(a.network) === n),
    );
  }

  removeNetwork(ref: string): void {
    const n = this.network(ref);
    if (n.name === "bridge" || n.name === "host" || n.name === "none") {
      throw new EngineError(`${n.name} is a pre-defined network and cannot be removed`, 403);
    }
    if (this.hasEndpoints(n)) {
      throw new EngineError(
        `error while removing network: network ${n.name} id ${n.id} has active endpoints`,
        403,
      );
    }
    if (n.bridgeName && n.gateway) this.drop(n, n.gateway);
    if (n.subnet) releaseSubnet(this.machine, n.subnet);
    this.networksById.delete(n.id);
    this.networksByName.delete(n.name);
    this.machine.sim.trace.record("network.remove", { machine: this.machine.name, network: n.name });
    this.hooks.networkEvent("network-destroy", n);
  }

  /** Resolves `name` as a process on the machine itself would (no container networks). */
  resolveFromHost(name: string): string | undefined {
    if (name === "localhost") return this.machine.address;
    return this.dns.resolve(name, HOST_ORIGIN);
  }

  /** The network position of a process on the host network of this machine. */
  hostNet(): NetHost {
    return {
      machine: this.machine,
      sourceAddress: this.machine.address,
      bindAddresses: undefined,
      meter: undefined,
      gate: undefined,
    };
  }

  /** Gives a starting container its endpoints: an address on each of its networks. */
  connect(c: Container): void {
    if (c.config.networkMode === "host" || c.config.networkMode === "none") return;
    const eps: ActiveEndpoint[] = [];
    try {
      for (const a of c.config.networks) {
        const n = this.network(a.network);
        const address = n.allocate((x) => this.inUse(n, x), a.ipv4Address);
        eps.push({ network: n, address });
        this.hold(n, address, n.driver === "bridge" ? `veth${c.id.slice(0, 7)}` : `eth${eps.length - 1}`);
        const names = n.dns ? [c.name, shortId(c.id), ...(a.aliases ?? [])] : [];
        n.attach({ containerId: c.id, containerName: c.name, address, names });
      }
    } catch (e) {
      c.endpoints = eps;
      this.disconnect(c);
      throw e;
    }
    c.endpoints = eps;
  }

  /** Releases a container's endpoints and their addresses. */
  disconnect(c: Container): void {
    for (const ep of c.endpoints) {
      ep.network.detach(c.id);
      ep.network.release(ep.address);
      this.drop(ep.network, ep.address);
    }
    c.endpoints = [];
  }

  /** Whether `address` is held where the network's addresses live: the machine, or the world. */
  private inUse(n: EngineNetwork, address: string): boolean {
    if (n.machinePrivate) return this.machine.interfaces.some((i) => i.address === address);
    return this.machine.sim.machineAt(address) !== undefined;
  }

  /** Gives the machine an address of network `n`: its own alone (a bridge), or the world's. */
  private hold(n: EngineNetwork, address: string, iface: string): void {
    if (n.machinePrivate) this.machine.addPrivateAddress({ name: iface, address });
    else this.machine.sim.assignAddress(this.machine.name, address, iface);
  }

  private drop(n: EngineNetwork, address: string): void {
    if (n.machinePrivate) this.machine.removePrivateAddress(address);
    else this.machine.sim.releaseAddress(address);
  }

  /** Publishes a starting container's ports (a userland proxy each); throws if one is taken. */
  publish(c: Container): void {
    const bindings = c.config.publish;
    if (bindings.length === 0) return;
    const ep = c.endpoints[0];
    if (!ep) return;
    const taken: number[] = [];
    const proxies: PortProxy[] = [];
    for (const b of bindings) {
      let hostPort = b.hostPort;
      if (hostPort === 0) hostPort = this.freeHostPort();
      const holder = this.hostPorts.get(hostPort);
      if ((holder && holder !== c) || this.machine.isListening(hostPort)) {
        for (const p of proxies) p.close();
        for (const t of taken) this.hostPorts.delete(t);
        throw new EngineError(
          `driver failed programming external connectivity on endpoint ${c.name} (${newId(this.ids)}): Bind for ${b.hostIp}:${hostPort} failed: port is already allocated`,
          500,
        );
      }
      this.hostPorts.set(hostPort, c);
      taken.push(hostPort);
      const gateway: NetHost = {
        machine: this.machine,
        sourceAddress: ep.network.gateway ?? this.machine.address,
        bindAddresses: [ep.network.gateway ?? this.machine.address],
        meter: undefined,
        gate: undefined,
      };
      proxies.push(
        new PortProxy(
          this.machine,
          { ...b, hostPort },
          { address: ep.address, port: b.containerPort },
          gateway,
        ),
      );
    }
    c.proxies = proxies;
  }

  private freeHostPort(): number {
    for (let p = 32768; p <= 60999; p++) if (!this.hostPorts.has(p) && !this.machine.isListening(p)) return p;
    throw new EngineError("no free host port", 500);
  }

  /** The host ports a container publishes now (with ephemeral ones resolved). */
  publishedPorts(c: Container): PortBinding[] {
    return c.proxies.map((p) => p.binding);
  }

  unpublish(c: Container): void {
    for (const p of c.proxies) {
      p.close();
      if (this.hostPorts.get(p.binding.hostPort) === c) this.hostPorts.delete(p.binding.hostPort);
    }
    c.proxies = [];
  }

  /** The machine halted: its containers' ports are free again. */
  halted(): void {
    this.hostPorts.clear();
  }
}

const HOST_ORIGIN: ResolveOrigin = { containerId: undefined, networks: [] };
