// A store transaction is a list of actions. Actions are plain data: they travel through Raft
// as one log entry and every manager applies them in the same order.
import type { AnyObject, ObjectType } from "../../api/types";

export type StoreAction =
  | { op: "create"; type: ObjectType; object: AnyObject }
  | { op: "update"; type: ObjectType; object: AnyObject }
  | { op: "delete"; type: ObjectType; id: string };

export interface StoreEvent {
  op: "create" | "update" | "delete";
  type: ObjectType;
  /** The object after the change (for delete: the object as it was). */
  object: AnyObject;
  /** The object before an update. */
  old?: AnyObject;
}

/** Raised when a transaction cannot apply; the whole transaction is rejected. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: "exists" | "not-found" | "sequence" | "name-conflict",
  ) {
    super(message);
  }
}

/** Something that carries transactions to the store: Raft on a manager, or directly in tests. */
export interface Proposer {
  /** Proposes a transaction; `done` gets null once it is applied, or the error. */
  propose(actions: StoreAction[], done: (err: Error | null) => void): void;
}
