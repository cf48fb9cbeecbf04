// A small in-memory file tree for a lab machine: enough for the lecture's `git clone`, `cd`,
// `ls`, `pwd` and `cat`. Paths are POSIX; `~` is the machine's home directory.

type Entry = { kind: "dir"; children: Map<string, Entry> } | { kind: "file"; content: string };

export class FileTreeError extends Error {}

function newDir(): Entry {
  return { kind: "dir", children: new Map() };
}

export class FileTree {
  private readonly root = newDir();

  constructor(readonly home: string) {
    this.mkdirp(home);
  }

  /** Resolves `path` against `cwd` into an absolute, normalised path ("~" is home). */
  resolve(cwd: string, path: string): string {
    let p = path;
    if (p === "~" || p.startsWith("~/")) p = this.home + p.slice(1);
    const parts = (p.startsWith("/") ? p : `${cwd}/${p}`).split("/");
    const out: string[] = [];
    for (const part of parts) {
      if (part === "" || part === ".") continue;
      if (part === "..") out.pop();
      else out.push(part);
    }
    return `/${out.join("/")}`;
  }

  /** The path as a prompt shows it: home becomes "~". */
  display(path: string): string {
    if (path === this.home) return "~";
    if (path.startsWith(`${this.home}/`)) return `~${path.slice(this.home.length)}`;
    return path;
  }

  private lookup(path: string): Entry | undefined {
    let e: Entry | undefined = this.root;
    for (const part of path.split("/").filter((x) => x !== "")) {
      if (e?.kind !== "dir") return undefined;
      e = e.children.get(part);
    }
    return e;
  }

  exists(path: string): boolean {
    return this.lookup(path) !== undefined;
  }

  isDir(path: string): boolean {
    return this.lookup(path)?.kind === "dir";
  }

  mkdirp(path: string): void {
    let e = this.root;
    for (const part of path.split("/").filter((x) => x !== "")) {
      if (e.kind !== "dir") throw new FileTreeError(`${path}: Not a directory`);
      let next = e.children.get(part);
      if (!next) {
        next = newDir();
        e.children.set(part, next);
      }
      e = next;
    }
    if (e.kind !== "dir") throw new FileTreeError(`${path}: Not a directory`);
  }

  writeFile(path: string, content: string): void {
    const slash = path.lastIndexOf("/");
    const dir = path.slice(0, slash) || "/";
    this.mkdirp(dir);
    const parent = this.lookup(dir);
    if (parent?.kind !== "dir") throw new FileTreeError(`${dir}: Not a directory`);
    const existing = parent.children.get(path.slice(slash + 1));
    if (existing?.kind === "dir") throw new FileTreeError(`${path}: Is a directory`);
    parent.children.set(path.slice(slash + 1), { kind: "file", content });
  }

  /** The file's text; throws with the message `cat` prints. */
  readFile(path: string): string {
    const e = this.lookup(path);
    if (!e) throw new FileTreeError(`${path}: No such file or directory`);
    if (e.kind === "dir") throw new FileTreeError(`${path}: Is a directory`);
    return e.content;
  }

  /** Names in a directory, sorted as `ls` sorts them; directories are flagged. */
  list(path: string): { name: string; dir: boolean }[] {
    const e = this.lookup(path);
    if (!e) throw new FileTreeError(`${path}: No such file or directory`);
    if (e.kind === "file") return [{ name: path.slice(path.lastIndexOf("/") + 1), dir: false }];
    return [...e.children.entries()]
      .map(([name, c]) => ({ name, dir: c.kind === "dir" }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Writes a set of files given relative to `dir` (e.g. a cloned repository). */
  writeTree(dir: string, files: Readonly<Record<string, string>>): void {
    this.mkdirp(dir);
    for (const [rel, content] of Object.entries(files)) {
      if (rel.endsWith("/")) this.mkdirp(`${dir}/${rel}`);
      else this.writeFile(this.resolve(dir, rel), content);
    }
  }
}
