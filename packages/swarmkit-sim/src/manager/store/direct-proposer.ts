// A proposer that applies transactions to a local store at once: the store of a single
// process, as SwarmKit's own orchestrator and scheduler tests use it. On a manager the Raft
// proposer takes its place.
import type { Proposer, StoreAction } from "./actions";
import type { MemoryStore } from "./memory-store";

export class DirectProposer implements Proposer {
  constructor(private readonly store: MemoryStore) {}

  propose(actions: StoreAction[], done: (err: Error | null) => void): void {
    try {
      this.store.apply(actions);
    } catch (e) {
      done(e as Error);
      return;
    }
    done(null);
  }
}
