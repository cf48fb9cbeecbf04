// The cluster store: tables of immutable objects (frozen by immer), indexes for the queries
// the managers make all the time, and watch events (eventemitter3) after every transaction.
// It is the state machine Raft replicates: `apply` is deterministic and reads no clock.
import EventEmitter from "eventemitter3";
import { freeze } from "immer";
import type { AnyObject, Cluster, Network, Node, ObjectOf, ObjectType, Service, Task } from "../../api/types";
import { type StoreAction, StoreError, type StoreEvent } from "./actions";

export interface StoreSnapshot {
  version: number;
  objects: { [K in ObjectType]: ObjectOf[K][] };
}

interface StoreEvents {
  /** One event per changed object, in transaction order. */
  change: [StoreEvent];
  /** After a whole transaction: its events and the new store version. */
  commit: [{ version: number; events: StoreEvent[] }];
}

const TYPES: ObjectType[] = ["cluster", "node", "network", "service", "task"];

export class MemoryStore {
  /** Bumped by each applied transaction; objects carry the version of their last write. */
  version = 0;
  readonly events = new EventEmitter<StoreEvents>();
  private readonly tables: { [K in ObjectType]: Map<string, ObjectOf[K]> } = {
    cluster: new Map(),
    node: new Map(),
    network: new Map(),
    service: new Map(),
    task: new Map(),
  };
  private readonly tasksOfService = new Map<string, Set<string>>();
  private readonly tasksOfNode = new Map<string, Set<string>>();

  get<K extends ObjectType>(type: K, id: string): ObjectOf[K] | undefined {
    return this.tables[type].get(id) as ObjectOf[K] | undefined;
  }

  list<K extends ObjectType>(type: K): ObjectOf[K][] {
    return [...(this.tables[type].values() as Iterable<ObjectOf[K]>)];
  }

  count(type: ObjectType): number {
    return this.tables[type].size;
  }

  values<K extends ObjectType>(type: K): IterableIterator<ObjectOf[K]> {
    return this.tables[type].values() as IterableIterator<ObjectOf[K]>;
  }

  /** The single cluster object (there is one once the swarm is initialised). */
  cluster(): Cluster | undefined {
    return this.tables.cluster.values().next().value;
  }

  nodes(): Node[] {
    return this.list("node");
  }

  services(): Service[] {
    return this.list("service");
  }

  networks(): Network[] {
    return this.list("network");
  }

  tasksByService(serviceId: string): Task[] {
    return this.byIndex(this.tasksOfService, serviceId);
  }

  tasksByNode(nodeId: string): Task[] {
    return this.byIndex(this.tasksOfNode, nodeId);
  }

  serviceByName(name: string): Service | undefined {
    for (const s of this.tables.service.values()) if (s.spec.name === name) return s;
    return undefined;
  }

  networkByName(name: string): Network | undefined {
    for (const n of this.tables.network.values()) if (n.spec.name === name) return n;
    return undefined;
  }

  private byIndex(index: Map<string, Set<string>>, key: string): Task[] {
    const ids = index.get(key);
    if (!ids) return [];
    const out: Task[] = [];
    for (const id of ids) out.push(this.tables.task.get(id)!);
    return out;
  }

  /**
   * Applies one transaction atomically: every action is checked first, then all are applied,
   * then the events fire. A create of an existing ID, an update or delete of a missing one, or an
   * update written against an older version of the object rejects the whole transaction.
   */
  apply(actions: readonly StoreAction[]): StoreEvent[] {
    this.check(actions);
    const version = this.version + 1;
    const events: StoreEvent[] = [];
    for (const a of actions) {
      const table = this.tables[a.type] as Map<string, AnyObject>;
      if (a.op === "delete") {
        const old = table.get(a.id)!;
        table.delete(a.id);
        if (a.type === "task") this.unindex(old as Task);
        events.push({ op: "delete", type: a.type, object: old });
        continue;
      }
      const object = freeze({ ...a.object, version }, true) as AnyObject;
      const old = table.get(object.id);
      table.set(object.id, object);
      if (a.type === "task") {
        if (old) this.unindex(old as Task);
        this.index(object as Task);
      }
      events.push(old ? { op: "update", type: a.type, object, old } : { op: "create", type: a.type, object });
    }
    this.version = version;
    for (const e of events) this.events.emit("change", e);
    this.events.emit("commit", { version, events });
    return events;
  }

  private check(actions: readonly StoreAction[]): void {
    // Track IDs created or deleted earlier in the same transaction.
    const seen = new Map<string, boolean>();
    for (const a of actions) {
      const id = a.op === "delete" ? a.id : a.object.id;
      const key = `${a.type}/${id}`;
      const exists = seen.get(key) ?? this.tables[a.type].has(id);
      if (a.op === "create") {
        if (exists) throw new StoreError(`${a.type} ${id} already exists`, "exists");
        if (a.type === "service" || a.type === "network") this.checkName(a.type, a.object, actions);
        seen.set(key, true);
      } else if (a.op === "update") {
        if (!exists) throw new StoreError(`${a.type} ${id} not found`, "not-found");
        const current = this.tables[a.type].get(id);
        if (current && !seen.has(key) && current.version !== a.object.version)
          throw new StoreError(`update out of sequence for ${a.type} ${id}`, "sequence");
      } else {
        if (!exists) throw new StoreError(`${a.type} ${id} not found`, "not-found");
        seen.set(key, false);
      }
      if (a.type === "task" && a.op !== "delete") this.checkTaskNode(a.object as Task, seen);
    }
  }

  /**
   * A task may not be put on a node that is gone. SwarmKit's leader runs its transactions one
   * at a time (store.Update holds the update lock until Raft commits), so `docker node rm`
   * orphans every task of the node in the transaction that deletes it and no later transaction
   * sees the node; its scheduler also refuses, inside its transaction, a decision whose node is
   * gone (applySchedulingDecisions). Here transactions are computed on a view and checked when
   * they apply, so one written while the node existed (an orchestrator's pass racing the
   * removal) is refused like an out-of-sequence update, and its writer retries on a fresh view.
   * Tasks that already name the node (orphaned ones) may still be updated.
   */
  private checkTaskNode(t: Task, seen: ReadonlyMap<string, boolean>): void {
    if (!t.nodeId) return;
    if (this.tables.task.get(t.id)?.nodeId === t.nodeId) return;
    if (seen.get(`node/${t.nodeId}`) ?? this.tables.node.has(t.nodeId)) return;
    throw new StoreError(`node ${t.nodeId} not found for task ${t.id}`, "not-found");
  }

  private checkName(type: "service" | "network", object: AnyObject, actions: readonly StoreAction[]): void {
    const name = (object as Service | Network).spec.name;
    const clash =
      (type === "service" ? this.serviceByName(name) : this.networkByName(name)) ??
      actions.find(
        (b) =>
          b.op === "create" &&
          b.type === type &&
          b.object !== object &&
          (b.object as Service).spec.name === name,
      );
    if (clash) throw new StoreError(`name conflicts with an existing object`, "name-conflict");
  }

  private index(t: Task): void {
    addTo(this.tasksOfService, t.serviceId, t.id);
    if (t.nodeId) addTo(this.tasksOfNode, t.nodeId, t.id);
  }

  private unindex(t: Task): void {
    this.tasksOfService.get(t.serviceId)?.delete(t.id);
    if (t.nodeId) this.tasksOfNode.get(t.nodeId)?.delete(t.id);
  }

  /** Plain data for a Raft snapshot. Objects are immutable, so they are shared, not copied. */
  snapshot(): StoreSnapshot {
    return {
      version: this.version,
      objects: {
        cluster: this.list("cluster"),
        node: this.list("node"),
        network: this.list("network"),
        service: this.list("service"),
        task: this.list("task"),
      },
    };
  }

  /** Replaces everything with a snapshot's contents (no events: watchers must re-read). */
  restore(s: StoreSnapshot): void {
    for (const type of TYPES) this.tables[type].clear();
    this.tasksOfService.clear();
    this.tasksOfNode.clear();
    for (const type of TYPES) {
      const table = this.tables[type] as Map<string, AnyObject>;
      for (const o of s.objects[type]) table.set(o.id, freeze(o, true));
    }
    for (const t of this.tables.task.values()) this.index(t);
    this.version = s.version;
  }
}

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(id);
}
