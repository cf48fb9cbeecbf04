// Shared set-up for the ca-*.test.ts files: a seeded random stream (the kernel's, what the
// managers will pass) and a small cluster's worth of CA material.
import { Random } from "../src/kernel";
import { generateKeyPair, MANAGER_ROLE, newId, type RandomSource, RootCA, WORKER_ROLE } from "../src/ca";

export function seeded(seed: string | number, stream = "ca"): Random {
  return new Random(String(seed)).fork(stream);
}

/** A RandomSource that hands out the given bytes (then zeros), for properties over raw bytes. */
export function bytesSource(bytes: Uint8Array): RandomSource {
  let pos = 0;
  const take = (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = pos < bytes.length ? bytes[pos++] : 0;
    return out;
  };
  return {
    bytes: take,
    next: () => {
      const b = take(4);
      return (((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) / 2 ** 32;
    },
    int(n: number) {
      return Math.floor(this.next() * n);
    },
  };
}

export const HOUR = 3_600_000;

/**
 * A root CA (made at time 0), a cluster ID, and one manager and one worker certificate issued
 * at `now`, all from one seed.
 */
export function smallCluster(seed: string | number, now = 0) {
  const rand = seeded(seed);
  const root = RootCA.create(rand, { now: 0 });
  const clusterId = newId(rand);
  const managerKey = generateKeyPair(rand);
  const workerKey = generateKeyPair(rand);
  const managerId = newId(rand);
  const workerId = newId(rand);
  const manager = root.issueNodeCertificate({
    nodeId: managerId,
    role: MANAGER_ROLE,
    clusterId,
    publicKey: managerKey,
    now,
    rand,
  });
  const worker = root.issueNodeCertificate({
    nodeId: workerId,
    role: WORKER_ROLE,
    clusterId,
    publicKey: workerKey,
    now,
    rand,
  });
  return { rand, root, clusterId, managerId, workerId, managerKey, workerKey, manager, worker };
}
