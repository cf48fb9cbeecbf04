import { createHash } from "node:crypto";

/** One hash over several runs' trace hashes (a scenario made of several simulations). */
export function combinedHash(hashes: readonly string[]): string {
  const h = createHash("sha256");
  for (const x of hashes) h.update(`${x}\n`);
  return h.digest("hex");
}
