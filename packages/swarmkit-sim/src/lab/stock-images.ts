// A few everyday images every lab node has, so `docker service create nginx` or
// `docker run -d alpine sleep 1d` work as students expect. Each is a small program with the
// behaviour that matters to an orchestrator: nginx serves HTTP on port 80 and stops at once on
// SIGTERM; alpine and busybox run their command (sleep, or a shell that exits at once).
import { parseSleepDuration } from "../cli/grammar/go-values";
import { HttpResponse } from "../engine/http/message";
import { replyHttp, serveHttp } from "../engine/http/server";
import type { ImageSpec, Program, ProgramContext, ProgramSpec } from "../engine/program";
import type { Signal } from "../engine/signals";

const MiB = 1024 * 1024;

const NGINX_PAGE =
  "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n";
const NGINX_HEADERS: [string, string][] = [["Server", "nginx/1.27.3"]];

class NginxProgram implements Program {
  // nginx treats TERM and INT as "fast shutdown" and QUIT as "graceful shutdown".
  readonly handledSignals: readonly Signal[] = ["SIGTERM", "SIGINT", "SIGQUIT"];
  private ctx!: ProgramContext;

  start(ctx: ProgramContext): void {
    this.ctx = ctx;
    ctx.log("/docker-entrypoint.sh: Configuration complete; ready for start up");
    serveHttp(ctx, 80, { kind: "eventLoop" }, (req, inc) => {
      const found = req.path === "/" || req.path === "/index.html";
      const head = req.method === "HEAD";
      replyHttp(
        inc,
        found
          ? new HttpResponse(200, NGINX_PAGE, "text/html", "1.1", NGINX_HEADERS, head)
          : new HttpResponse(
              404,
              "<html><body><h1>404 Not Found</h1></body></html>\n",
              "text/html",
              "1.1",
              NGINX_HEADERS,
              head,
            ),
      );
    });
  }

  onSignal(): void {
    this.ctx.log("signal 15 (SIGTERM) received, exiting");
    this.ctx.exit(0);
  }
}

/** `sleep N` (seconds, or with a suffix s/m/h/d; `infinity`), `tail -f /dev/null`, or anything else: exit 0. */
export function commandDurationMs(command: readonly string[]): number | undefined {
  const [prog, arg] = command;
  if (prog === "tail" && command.includes("-f")) return Number.POSITIVE_INFINITY;
  if (prog !== "sleep" || arg === undefined) return 0;
  if (arg === "infinity") return Number.POSITIVE_INFINITY;
  return parseSleepDuration(arg);
}

class ShellProgram implements Program {
  constructor(private readonly spec: ProgramSpec) {}

  start(ctx: ProgramContext): void {
    const ms = commandDurationMs(this.spec.command);
    if (ms === undefined) {
      ctx.log(`sleep: invalid number '${this.spec.command[1]}'`, "stderr");
      ctx.exit(1);
    } else if (ms === 0) ctx.exit(0);
    else if (Number.isFinite(ms)) ctx.after(ms, () => ctx.exit(0));
    // PID 1 without a handler: SIGTERM is ignored and the engine kills it at the stop timeout.
  }
}

export const STOCK_IMAGES: ImageSpec[] = [
  {
    name: "nginx:latest",
    entrypoint: ["/docker-entrypoint.sh"],
    command: ["nginx", "-g", "daemon off;"],
    stopSignal: "SIGQUIT",
    exposedPorts: [80],
    footprint: { memoryBytes: 7.5 * MiB, pids: 3 },
    create: () => new NginxProgram(),
  },
  ...["alpine:latest", "busybox:latest"].map(
    (name): ImageSpec => ({
      name,
      command: ["/bin/sh"],
      footprint: { memoryBytes: 0.5 * MiB, pids: 1 },
      create: (spec) => new ShellProgram(spec),
    }),
  ),
];
