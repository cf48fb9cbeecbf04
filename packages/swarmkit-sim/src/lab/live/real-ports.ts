// node1 is the user's own computer: every port it publishes (a container's `-p 8000:80`, a
// swarm service's published port through the routing mesh) opens on the real host at
// 127.0.0.1, with the same number or that number plus an offset. A real request (a browser, curl,
// httping) goes on into the simulation as simulated HTTP from node1's host network (the
// session's sendHttp, recorded as an input), and its answer comes back when the simulation has
// produced it. Only loopback, and nothing listens until the application publishes; a port
// that node1 stops publishing is closed. This module reads the world and never changes it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { HttpResponse } from "../../engine/http/message";
import { STATUS_TEXT } from "../../engine/http/message";
import { httpDate } from "../../engine/human";
import type { NetError } from "../../engine/net/errors";
import type { RoutingMesh } from "../../network/routing-mesh";
import type { LabNode } from "../node";
import { MESH_COMPONENT } from "../services";
import { engineOf } from "../world";
import type { SessionHttp } from "./session-file";

/** A port node1 publishes, and who publishes it (for the lab's message). */
export interface PublishedPort {
  port: number;
  by: string;
}

/** The TCP ports node1 publishes now: its containers' and its routing mesh's. */
export function publishedPorts(node1: LabNode): PublishedPort[] {
  const out = new Map<number, string>();
  const engine = engineOf(node1);
  if (engine && node1.machine.isUp())
    for (const c of engine.containers())
      for (const b of engine.publishedPorts(c)) if (b.protocol === "tcp") out.set(b.hostPort, c.name);
  const mesh = node1.components.get(MESH_COMPONENT) as RoutingMesh | undefined;
  if (mesh && node1.machine.isUp())
    for (const port of mesh.published().keys()) if (!out.has(port)) out.set(port, "the routing mesh");
  return [...out].map(([port, by]) => ({ port, by })).sort((a, b) => a.port - b.port);
}

export interface RealPortsOptions {
  /** Real port = simulated port + offset. */
  offset: number;
  /** Where to listen (loopback). */
  host?: string;
  published: () => PublishedPort[];
  send: (req: SessionHttp, done: (err: NetError | undefined, res: HttpResponse | undefined) => void) => void;
  /** The lab's messages (a port opened, closed, taken). */
  notify: (text: string) => void;
  /** The simulated wall clock (ms since the epoch), for Date headers. */
  epochNow: () => number;
}

/** opening: listen() called; open: listening; failed: the real port was taken (retried when published again). */
type PortState = "opening" | "open" | "failed";

interface RealPort {
  simPort: number;
  realPort: number;
  by: string;
  state: PortState;
  server: Server | undefined;
}

/** A request body larger than this is refused (413), as a proxy with a limit does. */
const MAX_BODY = 1024 * 1024;
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-type",
]);

export class RealPorts {
  private readonly ports = new Map<number, RealPort>();
  private readonly host: string;
  private closed = false;

  constructor(private readonly options: RealPortsOptions) {
    this.host = options.host ?? "127.0.0.1";
  }

  /** The mappings open now: simulated port -> real URL. */
  mappings(): { simPort: number; realPort: number; url: string }[] {
    return [...this.ports.values()]
      .filter((p) => p.state === "open")
      .map((p) => ({ simPort: p.simPort, realPort: p.realPort, url: `http://${this.host}:${p.realPort}` }));
  }

  /** Opens what node1 publishes now and is not open, closes what it no longer publishes. */
  sync(): void {
    if (this.closed) return;
    const want = new Map(this.options.published().map((p) => [p.port, p.by]));
    for (const [port, p] of this.ports) {
      if (want.has(port)) continue;
      this.ports.delete(port);
      if (p.state !== "failed") {
        p.server?.close();
        p.server?.closeAllConnections();
        this.options.notify(`[lab] node1:${port} is no longer published: closed ${this.url(p.realPort)}\n`);
      }
    }
    for (const [port, by] of want) if (!this.ports.has(port)) this.open(port, by);
  }

  private url(realPort: number): string {
    return `http://${this.host}:${realPort}`;
  }

  private open(simPort: number, by: string): void {
    const realPort = simPort + this.options.offset;
    const p: RealPort = { simPort, realPort, by, state: "opening", server: undefined };
    this.ports.set(simPort, p);
    if (realPort < 1 || realPort > 65535) {
      p.state = "failed";
      this.options.notify(
        `[lab] node1:${simPort} cannot open on this computer: ${realPort} is not a port number (--port-offset)\n`,
      );
      return;
    }
    const server = createServer((req, res) => this.serve(simPort, req, res));
    p.server = server;
    server.on("error", (e: NodeJS.ErrnoException) => {
      p.state = "failed";
      server.close();
      const why =
        e.code === "EADDRINUSE"
          ? "the port is already in use on this computer"
          : e.code === "EACCES"
            ? "this user may not open ports below 1024"
            : e.message;
      this.options.notify(
        `[lab] node1:${simPort} (${by}) could not open at ${this.url(realPort)}: ${why}. Start the lab with --port-offset N to use ${simPort}+N instead.\n`,
      );
    });
    server.listen(realPort, this.host, () => {
      if (this.ports.get(simPort) !== p || this.closed) {
        server.close();
        return;
      }
      p.state = "open";
      this.options.notify(`[lab] node1:${simPort} (${by}) is open on this computer: ${this.url(realPort)}\n`);
    });
  }

  private serve(simPort: number, req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        if (!refused) {
          refused = true;
          res.writeHead(413, { "Content-Type": "text/plain" }).end("request body too large\n");
        }
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => {
      if (refused) return;
      const body = Buffer.concat(chunks);
      const path = (req.url ?? "/").startsWith("/") ? (req.url ?? "/") : "/";
      const sent: SessionHttp = {
        port: simPort,
        method: req.method ?? "GET",
        path,
        host: req.headers.host ?? `localhost:${simPort}`,
      };
      if (req.headers["content-type"]) sent.contentType = req.headers["content-type"];
      if (body.length > 0) sent.body = body.toString("base64");
      this.options.send(sent, (err, answer) => this.answer(res, err, answer));
    });
  }

  /** Writes the simulated answer; a reset or no answer resets the real connection too. */
  private answer(res: ServerResponse, err: NetError | undefined, answer: HttpResponse | undefined): void {
    if (res.writableEnded || res.destroyed) return;
    if (err || !answer) {
      res.destroy();
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of answer.headers) {
      if (HOP_BY_HOP.has(k.toLowerCase())) continue;
      headers[k] = v === "<date>" ? httpDate(this.options.epochNow()) : v;
    }
    if (answer.contentType !== undefined) headers["Content-Type"] = answer.contentType;
    const body = Buffer.from(answer.bytes);
    headers["Content-Length"] = String(body.length);
    res.writeHead(answer.status, STATUS_TEXT[answer.status] ?? "", headers);
    res.end(body);
  }

  /** Closes every real port (the lab ends). */
  close(): void {
    this.closed = true;
    for (const p of this.ports.values()) {
      p.server?.close();
      p.server?.closeAllConnections();
    }
    this.ports.clear();
  }
}
