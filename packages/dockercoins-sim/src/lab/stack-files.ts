// `docker stack deploy -c FILE` in the lab reads FILE from the node's file tree, relative to
// the shell's directory (the swarm's stack handler asks its file reader, which is the real
// file system unless a host sets one). Commands that do not run in a lab shell keep reading
// the real file system.
import { type Shell, setStackFileReader } from "@swarm-sim/swarmkit-sim";
import { readFileSync } from "node:fs";

function isLabShell(v: unknown): v is Shell {
  const s = v as Partial<Shell> | undefined;
  return typeof s?.cwd === "string" && typeof s.node?.files?.readFile === "function";
}

export function labStackFileReader(path: string, io: object): string {
  const shell = (io as { context?: unknown }).context;
  if (!isLabShell(shell)) {
    try {
      return readFileSync(path, "utf8");
    } catch {
      throw new Error(`open ${path}: no such file or directory`);
    }
  }
  const files = shell.node.files;
  const abs = files.resolve(shell.cwd, path);
  if (!files.exists(abs)) throw new Error(`open ${path}: no such file or directory`);
  if (files.isDir(abs)) throw new Error(`read ${path}: is a directory`);
  return files.readFile(abs);
}

/** Makes `docker stack deploy` read lab files (installed by the DockerCoins plugin). */
export function installLabStackFileReader(): void {
  setStackFileReader(labStackFileReader);
}
