// The studio's web server: the page's files (studio-files/, and xterm.js from node_modules: the studio
// works offline, no CDN) and its WebSocket (/ws), on 127.0.0.1 only. The WebSocket is the npm
// `ws` package: Node 20 has no WebSocket server, and `ws` (no dependencies) does the framing,
// masking, fragments, close handshake and payload limit that a home-made one would have to get
// right too. A request must name this server as its Host (a page from another site cannot reach
// the lab through DNS rebinding) and a WebSocket must come from the studio's own page (Origin):
// the terminals type into the user's lab.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocket, WebSocketServer } from "ws";
import { MAX_MESSAGE_BYTES } from "./protocol";
import type { Studio } from "./studio";

export const DEFAULT_WEB_PORT = 7000;
/** How many ports after the asked one are tried when it is taken (asked with `search`). */
const PORT_SEARCH = 20;

export interface StudioServerOptions {
  /** The port to listen on (0: any free port). */
  port: number;
  /** When the port is taken, try the next ones (the default port); otherwise fail. */
  search?: boolean;
}

export interface StudioServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

// studio-files/ sits beside this module in src/ and is copied beside the bundles in dist/ (see
// scripts/build.mjs), so the same URL finds it in both.
const PAGE_DIR = fileURLToPath(new URL("./studio-files/", import.meta.url));

interface Asset {
  path: string;
  type: string;
}

function assets(): Map<string, Asset> {
  const require = createRequire(import.meta.url);
  const xterm = dirname(require.resolve("@xterm/xterm/package.json"));
  const fit = dirname(require.resolve("@xterm/addon-fit/package.json"));
  const page = (name: string, type: string): Asset => ({ path: join(PAGE_DIR, name), type });
  const js = "text/javascript; charset=utf-8";
  return new Map<string, Asset>([
    ["/", page("index.html", "text/html; charset=utf-8")],
    ["/index.html", page("index.html", "text/html; charset=utf-8")],
    ["/studio.css", page("studio.css", "text/css; charset=utf-8")],
    ["/studio.js", page("studio.js", js)],
    ["/connection.js", page("connection.js", js)],
    ["/terminals.js", page("terminals.js", js)],
    ["/cluster.js", page("cluster.js", js)],
    ["/raft.js", page("raft.js", js)],
    ["/timeline.js", page("timeline.js", js)],
    ["/vendor/xterm.mjs", { path: join(xterm, "lib/xterm.mjs"), type: js }],
    ["/vendor/xterm.css", { path: join(xterm, "css/xterm.css"), type: "text/css; charset=utf-8" }],
    ["/vendor/addon-fit.mjs", { path: join(fit, "lib/addon-fit.mjs"), type: js }],
  ]);
}

/** Whether a Host header names this server (127.0.0.1 or localhost, on its port). */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Whether an Origin header is the studio's own page (or absent: not a browser). */
export function originAllowed(origin: string | undefined, port: number): boolean {
  return (
    origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
  );
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      server.removeListener("listening", onListening);
      reject(e);
    };
    const onListening = () => {
      server.removeListener("error", onError);
      const addr = server.address();
      resolve(typeof addr === "object" && addr ? addr.port : port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, "127.0.0.1");
  });
}

/** Serves the studio's page and WebSocket for `studio`; resolves once listening. */
export async function startStudioServer(studio: Studio, options: StudioServerOptions): Promise<StudioServer> {
  const files = assets();
  const cache = new Map<string, Buffer>();
  let port = options.port;
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req.headers.host, port)) {
      res.writeHead(403, { "Content-Type": "text/plain" }).end("the studio answers at 127.0.0.1 only\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain" }).end("method not allowed\n");
      return;
    }
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    const asset = files.get(path);
    if (!asset) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
      return;
    }
    let body = cache.get(asset.path);
    if (!body) {
      body = readFileSync(asset.path);
      cache.set(asset.path, body);
    }
    res.writeHead(200, {
      "Content-Type": asset.type,
      "Content-Length": String(body.length),
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  };
  const server = createServer(serve);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on("upgrade", (req, socket, head) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/ws" || !hostAllowed(req.headers.host, port) || !originAllowed(req.headers.origin, port)) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = studio.join({
        send: (m) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
        },
      });
      ws.on("message", (data, isBinary) => {
        if (isBinary) {
          ws.send(JSON.stringify({ type: "error", message: "the studio speaks JSON text messages" }));
          return;
        }
        conn.receive(data.toString());
      });
      ws.on("close", () => conn.leave());
      ws.on("error", () => conn.leave());
    });
  });
  const last = options.search ? options.port + PORT_SEARCH : options.port;
  for (;;) {
    try {
      port = await listen(server, port);
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE" && options.port !== 0 && port < last) {
        port++;
        continue;
      }
      const why =
        code === "EADDRINUSE"
          ? "is already in use"
          : code === "EACCES"
            ? "may not be opened"
            : (e as Error).message;
      throw new Error(
        `the studio cannot listen on 127.0.0.1:${port}: the port ${why}${options.search ? ` (tried ${options.port}-${last})` : ""}`,
      );
    }
  }
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.close(1001, "the lab has ended");
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
