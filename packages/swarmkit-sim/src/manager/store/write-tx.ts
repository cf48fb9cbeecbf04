// Builds a transaction: reads see the transaction's own writes; nothing reaches the store until
// the transaction is proposed and applied.
import { produce } from "immer";
import type { ObjectOf, ObjectType } from "../../api/types";
import type { StoreAction } from "./actions";
import type { MemoryStore } from "./memory-store";

export class WriteTx {
  readonly actions: StoreAction[] = [];
  private readonly local = new Map<string, ObjectOf[ObjectType] | null>();

  constructor(
    private readonly store: MemoryStore,
    /** The writer's clock (simulated ms), stamped on createdAt/updatedAt. */
    private readonly now: number,
  ) {}

  get<K extends ObjectType>(type: K, id: string): ObjectOf[K] | undefined {
    const key = `${type}/${id}`;
    if (this.local.has(key)) return (this.local.get(key) ?? undefined) as ObjectOf[K] | undefined;
    return this.store.get(type, id);
  }

  create<K extends ObjectType>(
    type: K,
    object: Omit<ObjectOf[K], "version" | "createdAt" | "updatedAt">,
  ): ObjectOf[K] {
    const full = { ...object, version: 0, createdAt: this.now, updatedAt: this.now } as ObjectOf[K];
    this.actions.push({ op: "create", type, object: full });
    this.local.set(`${type}/${full.id}`, full);
    return full;
  }

  /** Updates an object through an immer recipe; returns the new value. */
  update<K extends ObjectType>(type: K, id: string, recipe: (draft: ObjectOf[K]) => void): ObjectOf[K] {
    const current = this.get(type, id);
    if (!current) throw new Error(`${type} ${id} not found`);
    const next = produce(current, (d) => {
      recipe(d as ObjectOf[K]);
      (d as ObjectOf[K]).updatedAt = this.now;
    }) as ObjectOf[K];
    this.actions.push({ op: "update", type, object: next });
    this.local.set(`${type}/${id}`, next);
    return next;
  }

  delete(type: ObjectType, id: string): void {
    this.actions.push({ op: "delete", type, id });
    this.local.set(`${type}/${id}`, null);
  }
}
