// A machine's disk. Writes land in the page cache at once (reads see them) but survive a
// crash only after fsync. Values are opaque JS values: the caller must not mutate a value
// after writing it (the disk keeps the reference, as a file keeps its bytes).

type Op =
  | { kind: "write"; path: string; value: unknown }
  | { kind: "append"; path: string; record: unknown }
  | { kind: "remove"; path: string };

type FileContent = { kind: "value"; value: unknown } | { kind: "log"; records: unknown[] };

export class Disk {
  /** What a crash keeps. */
  private durable = new Map<string, FileContent>();
  /** What reads see: durable plus unsynced ops. */
  private cache = new Map<string, FileContent>();
  private unsynced: Op[] = [];
  /** fsync calls so far (a test or a cost model can read it). */
  fsyncs = 0;

  write(path: string, value: unknown): void {
    this.unsynced.push({ kind: "write", path, value });
    apply(this.cache, { kind: "write", path, value });
  }

  append(path: string, record: unknown): void {
    this.unsynced.push({ kind: "append", path, record });
    apply(this.cache, { kind: "append", path, record });
  }

  remove(path: string): void {
    this.unsynced.push({ kind: "remove", path });
    apply(this.cache, { kind: "remove", path });
  }

  read(path: string): unknown {
    const f = this.cache.get(path);
    if (!f) return undefined;
    return f.kind === "value" ? f.value : f.records;
  }

  readLog(path: string): unknown[] {
    const f = this.cache.get(path);
    if (!f) return [];
    return f.kind === "log" ? f.records : [f.value];
  }

  exists(path: string): boolean {
    return this.cache.has(path);
  }

  list(prefix = ""): string[] {
    return [...this.cache.keys()].filter((p) => p.startsWith(prefix)).sort();
  }

  /** Makes every write so far durable. */
  fsync(): void {
    this.fsyncs++;
    for (const op of this.unsynced) apply(this.durable, op);
    this.unsynced = [];
  }

  unsyncedCount(): number {
    return this.unsynced.length;
  }

  /** A crash: the page cache is lost, only synced data remains. */
  crash(): void {
    this.unsynced = [];
    this.cache = new Map();
    for (const [path, f] of this.durable) this.cache.set(path, copyContent(f));
  }

  /** Wipes the disk (a machine removed and created again). */
  wipe(): void {
    this.durable.clear();
    this.cache.clear();
    this.unsynced = [];
  }
}

function copyContent(f: FileContent): FileContent {
  return f.kind === "log" ? { kind: "log", records: f.records.slice() } : { kind: "value", value: f.value };
}

// Cache and durable maps hold separate log arrays, so appending to one never shows in the other.
function apply(files: Map<string, FileContent>, op: Op): void {
  switch (op.kind) {
    case "write":
      files.set(op.path, { kind: "value", value: op.value });
      break;
    case "append": {
      const f = files.get(op.path);
      if (f && f.kind === "log") f.records.push(op.record);
      else files.set(op.path, { kind: "log", records: f ? [f.value, op.record] : [op.record] });
      break;
    }
    case "remove":
      files.delete(op.path);
      break;
  }
}
