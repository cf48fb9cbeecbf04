// The run's trace: structured records folded into a streaming SHA-256. Same seed and same
// script must give the same hash; that is the determinism contract the tests hold.
import { createHash, type Hash } from "node:crypto";

export interface TraceRecord {
  /** Simulated time (ms). */
  t: number;
  type: string;
  fields?: Record<string, unknown>;
}

const TAIL = 200;

export class Trace {
  private hasher: Hash = createHash("sha256");
  private readonly ring: TraceRecord[] = [];
  private ringStart = 0;
  private count = 0;
  /** When true, the kernel also records every network delivery (costly; for debugging). */
  verbose = false;
  /** Optional listener, e.g. a test that prints the trace live. */
  onRecord: ((r: TraceRecord) => void) | undefined;

  constructor(private readonly clock: () => number) {}

  record(type: string, fields?: Record<string, unknown>): void {
    const r: TraceRecord =
      fields === undefined ? { t: this.clock(), type } : { t: this.clock(), type, fields };
    this.hasher.update(fields === undefined ? `${r.t} ${type}\n` : `${r.t} ${type} ${stableJson(fields)}\n`);
    this.count++;
    if (this.ring.length < TAIL) this.ring.push(r);
    else {
      this.ring[this.ringStart] = r;
      this.ringStart = (this.ringStart + 1) % TAIL;
    }
    this.onRecord?.(r);
  }

  /** Hex SHA-256 over every record so far (the trace goes on after this). */
  hash(): string {
    return this.hasher.copy().digest("hex");
  }

  /** Records so far. */
  size(): number {
    return this.count;
  }

  /** The last n records (at most the ring's size), oldest first. */
  tail(n = 50): TraceRecord[] {
    const ordered = this.ring.slice(this.ringStart).concat(this.ring.slice(0, this.ringStart));
    return ordered.slice(Math.max(0, ordered.length - n));
  }

  /** The tail as text, for error messages. */
  formatTail(n = 30): string {
    return this.tail(n)
      .map((r) => `${r.t.toFixed(3)} ${r.type}${r.fields ? ` ${stableJson(r.fields)}` : ""}`)
      .join("\n");
  }
}

/** JSON with object keys sorted, so equal records hash equally whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = v[k];
      return sorted;
    }
    if (v instanceof Uint8Array) return Buffer.from(v).toString("hex");
    if (typeof v === "bigint") return v.toString();
    return v;
  });
}
