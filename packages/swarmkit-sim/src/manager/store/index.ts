export { MemoryStore, type StoreSnapshot } from "./memory-store";
export { WriteTx } from "./write-tx";
export { DirectProposer } from "./direct-proposer";
export { StoreError, type StoreAction, type StoreEvent, type Proposer } from "./actions";
