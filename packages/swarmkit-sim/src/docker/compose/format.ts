// Compose v2's output: the progress frame (its final state, as the terminal shows it when an
// operation ends), the `ps` table, and the log prefix.
import { humanDuration } from "../../cli/format/duration";
import { type HeaderMap, listContext } from "../../cli/format/formatter";
import { humanSizeWithPrecision } from "../../cli/format/size";
import { type GoStruct, goSlice, goStruct } from "../../cli/format/template";
import { DOCKER_TABLE, tabwriter } from "../../cli/format/tabwriter";
import { ellipsis, truncateId } from "../../cli/format/text";
import { goQuote } from "../../cli/grammar/go-values";
import type { Container } from "../../engine/container";
import type { Engine } from "../../engine/engine";
import { displayPorts } from "../../engine/ports";
import { CONTAINER_HEADER, createdAtText } from "../container/ps-format";

export type TaskKind = "Network" | "Container" | "Volume";

export interface ProgressTask {
  kind: TaskKind;
  name: string;
  /** Created, Started, Running, Stopped, Removed, Killed, Recreated, Error ... */
  status: string;
  /** Simulated seconds the task took. */
  seconds: number;
  failed?: boolean;
}

/** The terminal width compose lays its progress out for when it cannot ask. */
export const TERMINAL_WIDTH = 80;

/** "[+] Running 6/6" and one aligned line per task, the timer flush right. */
export function progressFrame(
  title: string,
  tasks: readonly ProgressTask[],
  width = TERMINAL_WIDTH,
): string[] {
  const done = tasks.filter((t) => !t.failed).length;
  const lines = [`[+] ${title} ${done}/${tasks.length}`];
  const ids = tasks.map((t) => `${t.kind} ${t.name}`);
  const timers = tasks.map((t) => `${t.seconds.toFixed(1)}s`);
  const timerLen = Math.max(0, ...timers.map((t) => t.length));
  const before = 3 + Math.max(0, ...ids.map((id) => id.length));
  tasks.forEach((t, i) => {
    const statusPad = before - (3 + ids[i].length);
    const lineLen = before + 1 + t.status.length;
    const timer = timers[i].padStart(timerLen);
    const timerPad = Math.max(width - lineLen - timerLen, 1);
    lines.push(
      ` ${t.failed ? "✘" : "✔"} ${ids[i]}${" ".repeat(statusPad)} ${t.status}${" ".repeat(timerPad)}${timer}`,
    );
  });
  return lines;
}

export interface PsRow {
  name: string;
  image: string;
  command: string;
  service: string;
  created: string;
  status: string;
  ports: string;
}

/** PORTS: what is published, plus exposed ports that are not. */
export function containerPorts(engine: Engine, c: Container): string {
  return displayPorts(engine.listedPorts(c));
}

/**
 * `ps --format`'s column titles: compose's ContainerContext header, which takes the CLI's
 * container headers for the columns `docker ps` has too.
 */
export const COMPOSE_PS_HEADER: HeaderMap = {
  ...pick(CONTAINER_HEADER, [
    "ID",
    "Image",
    "Command",
    "CreatedAt",
    "RunningFor",
    "Ports",
    "State",
    "Status",
    "Size",
    "Labels",
  ]),
  Name: "NAME",
  Project: "PROJECT",
  Service: "SERVICE",
};

function pick(header: HeaderMap, keys: readonly string[]): HeaderMap {
  return Object.fromEntries(keys.map((k) => [k, header[k]]));
}

/** A row of `docker compose ps --format`: compose's ContainerContext over one container. */
export function composePsContext(
  engine: Engine,
  c: Container,
  row: { project: string; service: string; image: string; trunc: boolean },
): GoStruct {
  const now = engine.sim.now();
  const labels = c.config.labels;
  const ports = engine.listedPorts(c);
  return listContext(
    "formatter.ContainerContext",
    {
      ID: () => (row.trunc ? truncateId(c.id) : c.id),
      Name: () => c.name,
      Names: () => c.name,
      Service: () => row.service,
      Project: () => row.project,
      Image: () => row.image,
      Command: () => goQuote(row.trunc ? ellipsis(c.command, 20) : c.command),
      CreatedAt: () => createdAtText(engine.sim.epochMs, c.createdAt),
      RunningFor: () => `${humanDuration(now - c.createdAt)} ago`,
      ExitCode: () => c.exitCode,
      State: () => c.state,
      Status: () => c.status(now),
      Health: () => "",
      // The API lists a port published on every address twice, IPv4 and IPv6 (as PORTS shows).
      Publishers: () =>
        goSlice(
          "api.PortPublishers",
          ports
            .flatMap((p) => (p.hostIp === "0.0.0.0" && p.hostPort > 0 ? [p, { ...p, hostIp: "::" }] : [p]))
            .map((p) =>
              goStruct("api.PortPublisher", [
                { name: "URL", value: p.hostIp, type: "string" },
                { name: "TargetPort", value: p.containerPort, type: "int" },
                { name: "PublishedPort", value: p.hostPort, type: "int" },
                { name: "Protocol", value: p.protocol, type: "string" },
              ]),
            ),
        ),
      Ports: () => displayPorts(ports),
      Labels: () =>
        Object.entries(labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(","),
      Mounts: () => "",
      LocalVolumes: () => "0",
      Networks: () => c.config.networks.map((n) => n.network).join(","),
      Size: () => humanSizeWithPrecision(0, 3),
    },
    { Label: { params: ["string"], call: (name) => labels[String(name)] ?? "" } },
  );
}

export function psRow(engine: Engine, c: Container, image: string, service: string): PsRow {
  const now = engine.sim.now();
  return {
    name: c.name,
    image,
    command: goQuote(ellipsis(c.command, 20)),
    service,
    created: `${humanDuration(now - c.createdAt)} ago`,
    status: c.status(now),
    ports: containerPorts(engine, c),
  };
}

export function psTable(rows: readonly PsRow[]): string {
  return tabwriter(
    [
      ["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"],
      ...rows.map((r) => [r.name, r.image, r.command, r.service, r.created, r.status, r.ports]),
    ],
    DOCKER_TABLE,
  );
}

/** The log prefix: the name padded to the widest name plus one, then " | ". */
export function logPrefix(name: string, width: number): string {
  return `${name.padEnd(width)} | `;
}
