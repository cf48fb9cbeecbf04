// A container as `docker ps` shows it, whatever runs it: one of node1's docker:dind nodes (each
// a simulated machine, src/lab/dind.ts) or, through an adapter (engine-containers.ts), a
// container of a node's engine. Its status follows the Docker daemon and CLI (`Up 5 seconds`,
// `Exited (0) 3 seconds ago`, `Up 2 minutes (Paused)`, `Created`).
import { humanDuration } from "../../cli/format/duration";

/** A container's state as `docker ps` and `docker info` count it (the daemon's, with restarting and dead). */
export type DaemonContainerState = "created" | "running" | "paused" | "restarting" | "exited" | "dead";

export interface ContainerView {
  /** 64 hex digits. */
  readonly id: string;
  readonly name: string;
  readonly image: string;
  /** The command line as `docker ps` quotes it (entrypoint and arguments). */
  readonly command: string;
  /** Simulated ms when it was created. */
  readonly createdAt: number;
  /** The PORTS column ("2375-2376/tcp", "0.0.0.0:8000->80/tcp"). */
  ports(): string;
  state(): DaemonContainerState;
  exitCode(): number;
  startedAt(): number;
  finishedAt(): number;
}

/** The daemon's status string for `docker ps` (container.State.String in moby). */
export function statusText(c: ContainerView, now: number): string {
  const state = c.state();
  switch (state) {
    case "running":
      return `Up ${humanDuration(now - c.startedAt())}`;
    case "paused":
      return `Up ${humanDuration(now - c.startedAt())} (Paused)`;
    case "restarting":
      return `Restarting (${c.exitCode()}) ${humanDuration(now - c.finishedAt())} ago`;
    case "created":
      return "Created";
    case "dead":
      return "Dead";
    case "exited":
      return `Exited (${c.exitCode()}) ${humanDuration(now - c.finishedAt())} ago`;
  }
}

export function isRunning(c: ContainerView): boolean {
  const s = c.state();
  return s === "running" || s === "paused" || s === "restarting";
}

/**
 * Finds a container as the daemon does: full ID, then exact name (with or without the
 * leading "/"), then a unique ID prefix.
 */
export function findContainer<T extends ContainerView>(
  all: readonly T[],
  ref: string,
): T | "ambiguous" | undefined {
  const name = ref.startsWith("/") ? ref.slice(1) : ref;
  const byId = all.find((c) => c.id === ref);
  if (byId) return byId;
  const byName = all.find((c) => c.name === name);
  if (byName) return byName;
  if (!/^[0-9a-f]+$/.test(ref)) return undefined;
  const prefixed = all.filter((c) => c.id.startsWith(ref));
  if (prefixed.length > 1) return "ambiguous";
  return prefixed[0];
}
