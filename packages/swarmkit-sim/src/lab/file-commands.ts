// The shell's file commands over a node's in-memory file tree: cd, pwd, ls, cat, and
// `git clone` of the repositories that plugins provide. Messages follow bash and coreutils on
// node1 and BusyBox in the docker:dind nodes.
import type { FileRead } from "../cli/filters/types";
import { FileTreeError, type FileTree } from "./file-tree";
import type { RunResult } from "./types";

/** The part of a shell the file commands need. */
export interface FileShell {
  readonly node: { readonly files: FileTree };
  cwd: string;
  /** BusyBox (docker:dind nodes) rather than bash + coreutils (node1). */
  busybox: boolean;
}

const ok = (stdout = ""): RunResult => ({ stdout, stderr: "", exitCode: 0 });
const fail = (stderr: string, exitCode = 1, stdout = ""): RunResult => ({
  stdout,
  stderr: stderr.endsWith("\n") ? stderr : `${stderr}\n`,
  exitCode,
});

export function pwd(sh: FileShell): RunResult {
  return ok(`${sh.cwd}\n`);
}

export function cd(sh: FileShell, args: readonly string[]): RunResult {
  const target = args[0] ?? "~";
  const path = sh.node.files.resolve(sh.cwd, target === "-" ? sh.cwd : target);
  const why = !sh.node.files.exists(path)
    ? "No such file or directory"
    : !sh.node.files.isDir(path)
      ? "Not a directory"
      : "";
  if (why) {
    return fail(sh.busybox ? `sh: cd: can't cd to ${target}: ${why}` : `bash: cd: ${target}: ${why}`);
  }
  sh.cwd = path;
  return ok();
}

export function ls(sh: FileShell, argv: readonly string[]): RunResult {
  let all = false;
  let long = false;
  let onePerLine = false;
  const paths: string[] = [];
  for (const a of argv) {
    if (a.startsWith("-") && a.length > 1) {
      for (const ch of a.slice(1)) {
        if (ch === "a") all = true;
        else if (ch === "l") long = true;
        else if (ch === "1") onePerLine = true;
        else
          return fail(
            sh.busybox
              ? `ls: unrecognized option: ${ch}`
              : `ls: invalid option -- '${ch}'\nTry 'ls --help' for more information.`,
            2,
          );
      }
    } else paths.push(a);
  }
  if (paths.length === 0) paths.push(".");
  let stdout = "";
  let stderr = "";
  let exitCode = 0;
  paths.forEach((p, i) => {
    const abs = sh.node.files.resolve(sh.cwd, p);
    if (!sh.node.files.exists(abs)) {
      stderr += sh.busybox
        ? `ls: ${p}: No such file or directory\n`
        : `ls: cannot access '${p}': No such file or directory\n`;
      exitCode = 2;
      return;
    }
    let entries = sh.node.files.list(abs);
    if (!all) entries = entries.filter((e) => !e.name.startsWith("."));
    else entries = [{ name: ".", dir: true }, { name: "..", dir: true }, ...entries];
    if (paths.length > 1 && sh.node.files.isDir(abs)) stdout += `${i > 0 ? "\n" : ""}${p}:\n`;
    if (long) {
      stdout += `total ${entries.length * 4}\n`;
      for (const e of entries) {
        const mode = e.dir ? "drwxr-xr-x" : "-rw-r--r--";
        const size = e.dir ? 4096 : sizeOf(sh.node.files, `${abs}/${e.name}`);
        stdout += `${mode} ${e.dir ? 2 : 1} root root ${String(size).padStart(5)} Jan  1 00:00 ${e.name}\n`;
      }
    } else if (entries.length > 0) {
      stdout += onePerLine
        ? `${entries.map((e) => e.name).join("\n")}\n`
        : `${entries.map((e) => e.name).join("  ")}\n`;
    }
  });
  return { stdout, stderr, exitCode };
}

function sizeOf(files: FileTree, path: string): number {
  try {
    return Buffer.byteLength(files.readFile(path));
  } catch {
    return 0;
  }
}

/** A text filter's file operand (`head -5 worker/worker.py`), read in the shell's directory on its node. */
export function readShellFile(sh: FileShell, path: string): FileRead {
  const files = sh.node.files;
  const abs = files.resolve(sh.cwd, path);
  if (!files.exists(abs)) return { kind: "missing" };
  if (files.isDir(abs)) return { kind: "directory" };
  return { kind: "file", text: files.readFile(abs) };
}

/** `cat FILE...`; with no file it copies stdin (as after a pipe). */
export function cat(sh: FileShell, argv: readonly string[], stdin: string): RunResult {
  const names = argv;
  if (names.length === 0) return ok(stdin);
  let stdout = "";
  let stderr = "";
  let exitCode = 0;
  for (const name of names) {
    if (name === "-") {
      stdout += stdin;
      continue;
    }
    try {
      stdout += sh.node.files.readFile(sh.node.files.resolve(sh.cwd, name));
    } catch (e) {
      const why = e instanceof FileTreeError ? e.message.slice(e.message.lastIndexOf(": ") + 2) : String(e);
      stderr += `cat: ${name}: ${why}\n`;
      exitCode = 1;
    }
  }
  return { stdout, stderr, exitCode };
}

/** Repositories the simulated network can serve, by URL (normalised without ".git" or "/"). */
export class RepositoryRegistry {
  private readonly repos = new Map<string, Readonly<Record<string, string>>>();

  static normalise(url: string): string {
    return url.replace(/\/+$/, "").replace(/\.git$/, "");
  }

  add(url: string, files: Readonly<Record<string, string>>): void {
    this.repos.set(RepositoryRegistry.normalise(url), files);
  }

  get(url: string): Readonly<Record<string, string>> | undefined {
    return this.repos.get(RepositoryRegistry.normalise(url));
  }
}

/** `git clone URL [DIR]` (and a usage message for the rest of git). */
export function git(sh: FileShell, argv: readonly string[], repos: RepositoryRegistry): RunResult {
  if (argv.length === 0) return fail("usage: git [--version] [--help] <command> [<args>]", 1);
  if (argv[0] !== "clone") {
    return fail(
      `git: '${argv[0]}' is not a git command. See 'git --help'.\n[lab] only \`git clone\` is simulated.`,
      1,
    );
  }
  const rest = argv.slice(1).filter((a) => !a.startsWith("-"));
  if (rest.length === 0) return fail("fatal: You must specify a repository to clone.", 129);
  const url = rest[0];
  const name = rest[1] ?? RepositoryRegistry.normalise(url).replace(/^.*[/:]/, "");
  const dir = sh.node.files.resolve(sh.cwd, name);
  if (sh.node.files.exists(dir) && (!sh.node.files.isDir(dir) || sh.node.files.list(dir).length > 0)) {
    return fail(`fatal: destination path '${name}' already exists and is not an empty directory.`, 128);
  }
  const files = repos.get(url);
  if (!files) {
    const host = /^[a-z]+:\/\/([^/]+)/.exec(url)?.[1] ?? url.replace(/:.*$/, "");
    return fail(
      `Cloning into '${name}'...\n` +
        `fatal: unable to access '${RepositoryRegistry.normalise(url)}/': Could not resolve host: ${host}\n` +
        "[lab] the simulated network only serves what lab plugins provide; install the plugin that " +
        "provides this repository (for the lecture: the DockerCoins plugin, lab.use(dockercoinsPlugin())).",
      128,
    );
  }
  try {
    sh.node.files.writeTree(dir, files);
  } catch (e) {
    return fail(`fatal: could not create work tree dir '${name}': ${(e as Error).message}`, 128);
  }
  const n = Object.keys(files).length;
  return {
    stdout: "",
    stderr:
      `Cloning into '${name}'...\n` +
      `remote: Enumerating objects: ${n}, done.\n` +
      `remote: Total ${n} (delta 0), reused ${n} (delta 0), pack-reused 0\n` +
      `Receiving objects: 100% (${n}/${n}), done.\n`,
    exitCode: 0,
  };
}
