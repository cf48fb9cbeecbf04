// A checker for a server's concurrency model over a recorded run: each request's arrival,
// start and finish. It fails when more requests were in service than the model allows,
// when requests started out of arrival order (queued servers are FIFO), or when a request
// waited although a slot was free (the server is work-conserving).
import type { Concurrency } from "../../src/index";

export interface ServedRecord {
  id: number;
  arrived: number;
  started: number;
  finished: number;
}

export function limitOf(c: Concurrency): number {
  return c.kind === "single" ? 1 : c.kind === "pool" ? c.size : Number.POSITIVE_INFINITY;
}

/** Returns the first violation found, or undefined. */
export function checkSchedule(records: readonly ServedRecord[], model: Concurrency): string | undefined {
  const limit = limitOf(model);
  const eps = 1e-9;
  for (const r of records) {
    if (r.started < r.arrived - eps || r.finished < r.started - eps)
      return `request ${r.id}: times out of order`;
    const busy = records.filter((o) => o.started <= r.started + eps && o.finished > r.started + eps).length;
    if (busy > limit) return `request ${r.id}: ${busy} in service at ${r.started}, limit ${limit}`;
    if (r.started > r.arrived + eps) {
      const busyOnArrival = records.filter(
        (o) => o !== r && o.started <= r.arrived + eps && o.finished > r.arrived + eps,
      ).length;
      if (busyOnArrival < limit) return `request ${r.id}: waited although a slot was free`;
    }
  }
  const byArrival = [...records].sort((a, b) => a.arrived - b.arrived || a.id - b.id);
  for (let i = 1; i < byArrival.length; i++) {
    if (byArrival[i].started < byArrival[i - 1].started - eps) {
      return `request ${byArrival[i].id} started before ${byArrival[i - 1].id}, which arrived first`;
    }
  }
  return undefined;
}
