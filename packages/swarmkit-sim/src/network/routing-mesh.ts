// The routing mesh (the ingress network): a port a service publishes in ingress mode answers
// on every node of the swarm, whether or not it runs a task, and each connection is forwarded
// to one of the service's running tasks on any node (IPVS on the ingress sandbox). Each node
// keeps its listeners in step with the services: checked once a second.
import type { Engine } from "../engine/engine";
import { HttpResponse, responseBytes } from "../engine/http/message";
import { ExchangeClient, ExchangeServer, type Incoming } from "../engine/net/exchange";
import { machineHost } from "../engine/net/host";
import type { Random } from "../kernel/random";
import { addressOn, type ServiceDirectory, servingTasks } from "./service-directory";

export const MESH_SYNC_MS = 1000;

/** The once-a-second timer: one shared function with the mesh as its argument. */
const syncMesh = (mesh: RoutingMesh) => mesh.sync();

interface Published {
  serviceId: string;
  targetPort: number;
  server: ExchangeServer;
}

export class RoutingMesh {
  private readonly ports = new Map<number, Published>();
  private client: ExchangeClient | undefined;
  private readonly random: Random;
  private stopped = false;
  /** The directory's generation the listeners were last matched to (undefined: match again). */
  private syncedGeneration: number | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly directory: ServiceDirectory,
  ) {
    this.random = engine.sim.random.fork(`mesh/${engine.machine.name}`);
    engine.machine.onBoot(() => this.boot());
    if (engine.machine.state === "running") this.boot();
  }

  /** Published port -> service, as this node serves it now. */
  published(): Map<number, string> {
    return new Map([...this.ports].map(([p, x]) => [p, x.serviceId]));
  }

  stop(): void {
    this.stopped = true;
    this.close();
  }

  private boot(): void {
    this.close();
    this.client = new ExchangeClient(machineHost(this.engine.machine));
    this.sync();
  }

  private close(): void {
    for (const p of this.ports.values()) p.server.close();
    this.ports.clear();
    this.syncedGeneration = undefined;
    this.client?.close();
    this.client = undefined;
  }

  /**
   * Opens and closes listeners to match the services' published ports, unless the directory
   * says nothing changed since the last match (a swarm at rest: every node, every second).
   */
  sync(): void {
    if (this.stopped) return;
    const generation = this.directory.generation?.();
    if (generation === undefined || generation !== this.syncedGeneration) {
      this.match();
      this.syncedGeneration = generation;
    }
    this.engine.machine.afterWith(MESH_SYNC_MS, syncMesh, this);
  }

  private match(): void {
    const m = this.engine.machine;
    const want = new Map<number, { serviceId: string; targetPort: number }>();
    for (const s of this.directory.services())
      for (const p of s.endpoint?.ports ?? [])
        if (p.publishMode === "ingress" && p.publishedPort && p.protocol === "tcp")
          want.set(p.publishedPort, { serviceId: s.id, targetPort: p.targetPort });
    for (const [port, cur] of this.ports) {
      const w = want.get(port);
      if (!w || w.serviceId !== cur.serviceId || w.targetPort !== cur.targetPort) {
        cur.server.close();
        this.ports.delete(port);
      }
    }
    for (const [port, w] of want) {
      if (this.ports.has(port)) continue;
      const server = new ExchangeServer(machineHost(m), port, { kind: "eventLoop" }, (inc) =>
        this.forward(port, inc),
      );
      this.ports.set(port, { ...w, server });
    }
  }

  private forward(port: number, inc: Incoming): void {
    const p = this.ports.get(port);
    const client = this.client;
    if (!p || !client) {
      inc.reset();
      return;
    }
    const ingress = [...this.directory.networks()].find((n) => n.spec.ingress);
    const backends: string[] = [];
    for (const t of servingTasks(this.directory, p.serviceId)) {
      const addr = (ingress && addressOn(t, ingress.id)) ?? t.networks[0]?.addresses[0]?.split("/")[0];
      if (addr) backends.push(addr);
    }
    if (backends.length === 0) {
      inc.reset();
      return;
    }
    const to = { address: backends[this.random.int(backends.length)], port: p.targetPort };
    client.call(to, inc.body, inc.bytes, (err, body) => {
      if (err) inc.reset();
      else inc.reply(body, body instanceof HttpResponse ? responseBytes(body) : 64);
    });
  }
}
