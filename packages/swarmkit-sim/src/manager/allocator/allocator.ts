// The allocator (SwarmKit manager/allocator), a leader-only loop. It makes sure the ingress
// network exists; gives each service a virtual IP on every network it is attached to (VIP
// endpoint mode) and a published port for each ingress port that names none (from 30000 up);
// and gives each new task an address on its service's networks, copies the service's endpoint
// into it, and moves it from NEW to PENDING ("pending task scheduling") for the scheduler.
// Addresses are released when a task is dead or deleted and when a service goes away.
import { type Network, type PortConfig, type Service, type Task, TaskState } from "../../api/types";
import { newId } from "../../ca/identity";
import type { StoreEvent } from "../store/actions";
import type { WriteTx } from "../store/write-tx";
import { deepEqual } from "../orchestrator/deep-equal";
import { StoreLoop } from "../orchestrator/store-loop";
import { AddressPool, nextFreeSubnet } from "./ipam";

export const INGRESS_NAME = "ingress";
/** Docker's ingress subnet; moved to the next free /24 if the simulated machines use it. */
export const INGRESS_SUBNET = "10.0.0.0/24";
/** SwarmKit's dynamic range for published ports (allocator/portallocator.go). */
export const DYNAMIC_PORT_START = 30000;
export const DYNAMIC_PORT_END = 32767;
export const PENDING_MESSAGE = "pending task scheduling";

/** Does the service publish any port through the routing mesh? */
export function usesIngress(s: Service): boolean {
  return s.spec.endpoint.ports.some((p) => p.publishMode === "ingress");
}

export class Allocator extends StoreLoop {
  readonly name = "allocator";
  private pools = new Map<string, AddressPool>();
  /** Owner ("task:<id>" / "vip:<serviceId>") -> addresses per network. */
  private owners = new Map<string, { networkId: string; addr: string }[]>();
  private usedPorts = new Map<string, string>(); // "tcp/8080" -> serviceId
  private readonly dirtyServices = new Set<string>();
  private readonly newTasks = new Set<string>();
  private rebuild = true;

  protected init(): void {
    this.rebuild = true;
  }

  protected reset(): void {
    this.pools.clear();
    this.owners.clear();
    this.usedPorts.clear();
    this.dirtyServices.clear();
    this.newTasks.clear();
  }

  protected observe(events: readonly StoreEvent[]): boolean {
    let work = false;
    for (const e of events) {
      if (e.type === "service") {
        if (e.op === "delete") this.releaseService(e.object.id);
        else this.dirtyServices.add(e.object.id);
        work = true;
      } else if (e.type === "task") {
        const t = e.object as Task;
        if (e.op === "delete" || isDead(t)) this.releaseOwner(`task:${t.id}`);
        else if (t.status.state === TaskState.NEW) {
          this.newTasks.add(t.id);
          work = true;
        }
      } else if (e.type === "network") {
        if (e.op === "delete") this.pools.delete(e.object.id);
        else this.poolOf(e.object as Network);
        work = true;
      }
    }
    return work;
  }

  private poolOf(n: Network): AddressPool {
    let p = this.pools.get(n.id);
    if (!p || p.subnet !== n.spec.ipam.subnet)
      this.pools.set(n.id, (p = new AddressPool(n.spec.ipam.subnet)));
    return p;
  }

  /** Reads every allocation back from the store (a new leader, or after a failed write). */
  private rebuildFromStore(): void {
    this.reset();
    const store = this.ctx.store;
    for (const n of store.values("network")) this.poolOf(n);
    for (const s of store.values("service")) {
      this.dirtyServices.add(s.id);
      if (!s.endpoint) continue;
      for (const v of s.endpoint.virtualIPs) this.claim(`vip:${s.id}`, v.networkId, v.addr);
      for (const p of s.endpoint.ports)
        if (p.publishMode === "ingress" && p.publishedPort) this.usedPorts.set(portKey(p), s.id);
    }
    for (const t of store.values("task")) {
      if (t.status.state === TaskState.NEW) this.newTasks.add(t.id);
      if (isDead(t)) continue;
      for (const a of t.networks)
        for (const addr of a.addresses) this.claim(`task:${t.id}`, a.networkId, addr);
    }
    this.rebuild = false;
  }

  private claim(owner: string, networkId: string, addr: string): void {
    this.pools.get(networkId)?.claim(addr);
    const list = this.owners.get(owner) ?? [];
    list.push({ networkId, addr });
    this.owners.set(owner, list);
  }

  private allocate(owner: string, networkId: string): string | undefined {
    const addr = this.pools.get(networkId)?.allocate();
    if (!addr) return undefined;
    const list = this.owners.get(owner) ?? [];
    list.push({ networkId, addr });
    this.owners.set(owner, list);
    return addr;
  }

  private releaseOwner(owner: string): void {
    const list = this.owners.get(owner);
    if (!list) return;
    for (const a of list) this.pools.get(a.networkId)?.release(a.addr);
    this.owners.delete(owner);
  }

  private releaseService(id: string): void {
    this.releaseOwner(`vip:${id}`);
    for (const [k, sid] of this.usedPorts) if (sid === id) this.usedPorts.delete(k);
  }

  protected reconcile(tx: WriteTx): (() => void) | undefined {
    if (this.rebuild) this.rebuildFromStore();
    this.ensureIngress(tx);
    const services = [...this.dirtyServices];
    const tasks = [...this.newTasks];
    this.dirtyServices.clear();
    this.newTasks.clear();
    for (const id of services) {
      const s = this.ctx.store.get("service", id);
      if (s) this.allocateService(tx, s);
    }
    for (const id of tasks) {
      const t = this.ctx.store.get("task", id);
      if (t && t.status.state === TaskState.NEW && !this.allocateTask(tx, t)) this.newTasks.add(id);
    }
    return () => {
      this.rebuild = true;
    };
  }

  private ingress(): Network | undefined {
    for (const n of this.ctx.store.values("network")) if (n.spec.ingress) return n;
    return undefined;
  }

  private ensureIngress(tx: WriteTx): void {
    if (this.ingress() || tx.actions.some((a) => a.op === "create" && a.type === "network")) return;
    const n = tx.create("network", {
      id: newId(this.ctx.random),
      spec: {
        name: INGRESS_NAME,
        driver: "overlay",
        labels: {},
        attachable: false,
        ingress: true,
        ipam: { subnet: this.ingressSubnet() },
      },
    });
    this.poolOf(n);
  }

  private ingressSubnet(): string {
    const sim = this.ctx.sim;
    const machines = sim.machineNames().flatMap((n) => sim.machine(n).addresses);
    const used = this.ctx.store.networks().map((n) => n.spec.ipam.subnet);
    if (!used.includes(INGRESS_SUBNET) && !machines.some((a) => a.startsWith("10.0.0.")))
      return INGRESS_SUBNET;
    return nextFreeSubnet(used, machines);
  }

  /** The networks a service's tasks attach to: ingress first if it publishes through the mesh. */
  private networksOf(s: Service): string[] {
    const ids = s.spec.task.networks.map((n) => n.target).filter((id) => this.ctx.store.get("network", id));
    const ingress = this.ingress();
    if (ingress && usesIngress(s)) ids.unshift(ingress.id);
    return ids;
  }

  private allocateService(tx: WriteTx, s: Service): void {
    const ports: PortConfig[] = s.spec.endpoint.ports.map((p) => {
      if (p.publishMode !== "ingress" || p.publishedPort) return p;
      const existing = s.endpoint?.ports.find(
        (q) => q.targetPort === p.targetPort && q.protocol === p.protocol && q.publishMode === p.publishMode,
      );
      if (existing?.publishedPort) return { ...p, publishedPort: existing.publishedPort };
      for (let port = DYNAMIC_PORT_START; port <= DYNAMIC_PORT_END; port++)
        if (!this.usedPorts.has(`${p.protocol}/${port}`)) return { ...p, publishedPort: port };
      return p;
    });
    for (const [k, sid] of this.usedPorts) if (sid === s.id) this.usedPorts.delete(k);
    for (const p of ports)
      if (p.publishMode === "ingress" && p.publishedPort) this.usedPorts.set(portKey(p), s.id);
    const wanted = s.spec.endpoint.mode === "vip" ? this.networksOf(s) : [];
    const vips: { networkId: string; addr: string }[] = [];
    const old = s.endpoint?.virtualIPs ?? [];
    for (const v of old) {
      if (wanted.includes(v.networkId)) vips.push(v);
      else this.pools.get(v.networkId)?.release(v.addr);
    }
    this.owners.set(`vip:${s.id}`, [...vips]);
    for (const networkId of wanted) {
      if (vips.some((v) => v.networkId === networkId)) continue;
      const addr = this.allocate(`vip:${s.id}`, networkId);
      if (addr) vips.push({ networkId, addr });
    }
    const endpoint = { ports, virtualIPs: vips };
    if (s.endpoint && deepEqual(s.endpoint, endpoint)) return;
    tx.update("service", s.id, (d) => {
      d.endpoint = endpoint;
    });
  }

  /** Returns false if the task must wait (its service is not allocated yet). */
  private allocateTask(tx: WriteTx, t: Task): boolean {
    // Dead before it started: nothing to give (a job's task is wanted up to COMPLETE).
    if (t.desiredState > TaskState.COMPLETE) return true;
    const s = tx.get("service", t.serviceId);
    if (!s) return true;
    if (!s.endpoint) return false;
    const networks: Task["networks"] = [];
    for (const networkId of this.networksOf(s)) {
      const addr = this.allocate(`task:${t.id}`, networkId);
      if (addr) networks.push({ networkId, addresses: [addr] });
    }
    tx.update("task", t.id, (d) => {
      d.networks = networks;
      d.endpoint = { ports: s.endpoint!.ports };
      d.status = { state: TaskState.PENDING, timestamp: this.now(), message: PENDING_MESSAGE };
    });
    return true;
  }
}

function portKey(p: PortConfig): string {
  return `${p.protocol}/${p.publishedPort}`;
}

/**
 * A task that will not run again: its addresses can go back to the pool. It has stopped, or
 * it is no longer wanted before it reached a node (a job's task is wanted up to COMPLETE).
 */
function isDead(t: Task): boolean {
  if (t.status.state > TaskState.RUNNING) return t.desiredState > TaskState.RUNNING;
  return t.desiredState > TaskState.COMPLETE && t.status.state < TaskState.ASSIGNED;
}
