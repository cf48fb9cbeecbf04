// The data redis keeps, with the commands DockerCoins uses (and a few neighbours), answering
// as Redis does: integers, bulk strings (null when missing), errors with Redis's texts.

export type RedisValue = string | Uint8Array;
export type RedisReply = null | number | string | Uint8Array | RedisReply[] | RedisErrorReply;

export class RedisErrorReply {
  constructor(readonly message: string) {}
}

const WRONGTYPE = new RedisErrorReply("WRONGTYPE Operation against a key holding the wrong kind of value");
const NOT_INTEGER = new RedisErrorReply("ERR value is not an integer or out of range");

function text(v: RedisValue): string {
  return typeof v === "string" ? v : Buffer.from(v).toString("latin1");
}

/** Approximate bytes Redis uses for a small key or field (object header, SDS, dict entry). */
function cost(v: RedisValue): number {
  return 48 + (typeof v === "string" ? v.length : v.length);
}

export class RedisStore {
  private readonly strings = new Map<string, RedisValue>();
  private readonly hashes = new Map<string, Map<string, RedisValue>>();
  /** Bytes of data held (for the container's memory). */
  dataBytes = 0;
  /** Writes since the last save (Redis's `dirty` counter, which drives RDB snapshots). */
  dirty = 0;

  execute(args: readonly RedisValue[]): RedisReply {
    if (args.length === 0) return new RedisErrorReply("ERR empty command");
    const cmd = text(args[0]).toUpperCase();
    const k = args.length > 1 ? text(args[1]) : "";
    switch (cmd) {
      case "PING":
        return args.length > 1 ? args[1] : "PONG";
      case "GET": {
        if (this.hashes.has(k)) return WRONGTYPE;
        return this.strings.get(k) ?? null;
      }
      case "SET": {
        if (args.length < 3) return arity(cmd);
        this.del(k);
        this.strings.set(k, args[2]);
        this.dataBytes += cost(k) + cost(args[2]);
        this.dirty++;
        return "OK";
      }
      case "INCR":
      case "INCRBY":
      case "DECR":
      case "DECRBY": {
        if (args.length < (cmd.endsWith("BY") ? 3 : 2)) return arity(cmd);
        if (this.hashes.has(k)) return WRONGTYPE;
        let by = 1;
        if (cmd.endsWith("BY")) {
          const t = text(args[2]);
          if (!/^-?\d+$/.test(t)) return NOT_INTEGER;
          by = Number(t);
        }
        if (cmd.startsWith("DECR")) by = -by;
        const cur = this.strings.get(k);
        const curText = cur === undefined ? "0" : text(cur);
        if (!/^-?\d+$/.test(curText)) return NOT_INTEGER;
        const next = Number(curText) + by;
        if (cur === undefined) this.dataBytes += cost(k) + 8;
        this.strings.set(k, String(next));
        this.dirty++;
        return next;
      }
      case "HSET": {
        if (args.length < 4 || args.length % 2 !== 0) return arity(cmd);
        if (this.strings.has(k)) return WRONGTYPE;
        let h = this.hashes.get(k);
        if (!h) {
          h = new Map();
          this.hashes.set(k, h);
          this.dataBytes += cost(k) + 64;
        }
        let added = 0;
        for (let i = 2; i < args.length; i += 2) {
          const f = text(args[i]);
          // One hash lookup: the map grows exactly when the field is new.
          const size = h.size;
          h.set(f, args[i + 1]);
          if (h.size > size) {
            added++;
            this.dataBytes += cost(f) + cost(args[i + 1]);
          }
          this.dirty++;
        }
        return added;
      }
      case "HGET": {
        if (args.length < 3) return arity(cmd);
        if (this.strings.has(k)) return WRONGTYPE;
        return this.hashes.get(k)?.get(text(args[2])) ?? null;
      }
      case "HLEN": {
        if (this.strings.has(k)) return WRONGTYPE;
        return this.hashes.get(k)?.size ?? 0;
      }
      case "HKEYS": {
        if (this.strings.has(k)) return WRONGTYPE;
        return [...(this.hashes.get(k)?.keys() ?? [])];
      }
      case "EXISTS":
        return args.slice(1).filter((a) => this.strings.has(text(a)) || this.hashes.has(text(a))).length;
      case "DEL": {
        let n = 0;
        for (const a of args.slice(1)) n += this.del(text(a));
        return n;
      }
      case "DBSIZE":
        return this.strings.size + this.hashes.size;
      case "FLUSHALL":
      case "FLUSHDB":
        this.strings.clear();
        this.hashes.clear();
        this.dataBytes = 0;
        this.dirty++;
        return "OK";
      default:
        return new RedisErrorReply(
          `ERR unknown command '${text(args[0])}', with args beginning with: ${args
            .slice(1)
            .map((a) => `'${text(a)}' `)
            .join("")}`,
        );
    }
  }

  private del(k: string): number {
    const s = this.strings.get(k);
    if (s !== undefined) {
      this.strings.delete(k);
      this.dataBytes -= cost(k) + cost(s);
      this.dirty++;
      return 1;
    }
    const h = this.hashes.get(k);
    if (h) {
      for (const [f, v] of h) this.dataBytes -= cost(f) + cost(v);
      this.dataBytes -= cost(k) + 64;
      this.hashes.delete(k);
      this.dirty++;
      return 1;
    }
    return 0;
  }

  /** Direct reads for experiments (what `redis-cli` would show). */
  getString(k: string): string | undefined {
    const v = this.strings.get(k);
    return v === undefined ? undefined : text(v);
  }

  hashFields(k: string): string[] {
    return [...(this.hashes.get(k)?.keys() ?? [])];
  }

  /** A hash's fields and values (as stored). */
  hashEntries(k: string): [string, RedisValue][] {
    return [...(this.hashes.get(k)?.entries() ?? [])];
  }

  hashSize(k: string): number {
    return this.hashes.get(k)?.size ?? 0;
  }
}

function arity(cmd: string): RedisErrorReply {
  return new RedisErrorReply(`ERR wrong number of arguments for '${cmd.toLowerCase()}' command`);
}
