// Every container a node's `docker ps` shows: on node1 its docker:dind nodes and its engine's
// containers (DockerCoins under compose, httping, ...), on a dind node its engine's containers.
import type { Container } from "../../engine/container";
import type { Engine } from "../../engine/engine";
import { displayPorts } from "../../engine/ports";
import type { ContainerView, DaemonContainerState } from "./containers";

/** A container of a node's engine, seen through the lab's container interface. */
export class EngineContainer implements ContainerView {
  constructor(
    readonly engine: Engine,
    readonly inner: Container,
  ) {}

  get id(): string {
    return this.inner.id;
  }

  get name(): string {
    return this.inner.name;
  }

  get image(): string {
    return this.inner.image;
  }

  get command(): string {
    return this.inner.command;
  }

  get createdAt(): number {
    return this.inner.createdAt;
  }

  ports(): string {
    return displayPorts(this.engine.listedPorts(this.inner));
  }

  state(): DaemonContainerState {
    return this.inner.state;
  }

  exitCode(): number {
    return this.inner.exitCode;
  }

  startedAt(): number {
    return this.inner.startedAt;
  }

  finishedAt(): number {
    return this.inner.finishedAt;
  }
}

/** The containers `docker ps -a` lists on a daemon, newest first, as the daemon orders them. */
export function daemonContainers(
  engine: Engine | undefined,
  dind: readonly ContainerView[],
): ContainerView[] {
  // The engine lists newest first; back to creation order before merging.
  const fromEngine: ContainerView[] = engine
    ? engine
        .containers({ all: true })
        .reverse()
        .map((c) => new EngineContainer(engine, c))
    : [];
  const all = [...dind, ...fromEngine];
  // Newest first; creation order breaks ties (later created first).
  const order = new Map(all.map((c, i) => [c, i]));
  return all.sort((a, b) => b.createdAt - a.createdAt || order.get(b)! - order.get(a)!);
}
