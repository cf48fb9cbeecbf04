// Checks over a run's data that hold whatever the seed: every coin in the wallet is a real
// coin (its field is the SHA-256 hex of the bytes stored with it, and starts with "0").
import { sha256Hex } from "./services/hasher";
import type { RedisStore } from "./services/redis-store";

/** Every violation found in the wallet (empty when all is well). */
export function checkWallet(store: RedisStore, key = "wallet"): string[] {
  const out: string[] = [];
  for (const [field, value] of store.hashEntries(key)) {
    if (!field.startsWith("0")) out.push(`${field.slice(0, 8)}...: does not start with 0`);
    const bytes = typeof value === "string" ? Buffer.from(value, "latin1") : value;
    if (bytes.length !== 32) out.push(`${field.slice(0, 8)}...: ${bytes.length} bytes stored, not 32`);
    if (sha256Hex(bytes) !== field) out.push(`${field.slice(0, 8)}...: not the SHA-256 of its bytes`);
  }
  return out;
}
