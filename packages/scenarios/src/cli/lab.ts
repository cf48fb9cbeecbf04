// `swarm-sim lab`: the interactive lab. On a terminal it is live: simulated time flows with
// the wall clock (--speed), node1's published ports open on 127.0.0.1 (--port-offset,
// --no-ports), and the session is recorded for `swarm-sim replay` (--session). With --script or
// piped input it is a transcript (each command one step of time), unless --speed is given:
// then each line runs when it arrives, the clock flowing between lines. The lab has swarm
// services and DockerCoins. A live lab on a terminal also serves the studio, a web page with
// its terminals, the cluster, a timeline that goes back in time and Raft in flight (--web-port,
// --no-web).
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { dockercoinsStudioMetric } from "@swarm-sim/dockercoins-sim";
import {
  DEFAULT_WEB_PORT,
  Lab,
  labCompleter,
  MAX_SPEED,
  parseSpeed,
  runLiveLab,
  startRepl,
  studioFrontEnd,
} from "@swarm-sim/swarmkit-sim";
import { labPlugins } from "../lab-plugins";
import { readInputFile } from "./files";
import { UsageError, parseIntFlag } from "./usage-error";

const HELP = `Usage: swarm-sim lab [--seed N] [--script FILE] [--speed N] [--port-offset N] [--no-ports] [--ports] [--session FILE] [--web-port P] [--no-web]

The lecture's lab on simulated machines: node1 is your machine; create more with
  docker run -d --privileged --name node2 docker:dind

On a terminal the lab is live: simulated time flows as the wall clock does (--speed N: N times
faster; the lab's commands speed, pause and resume change it; sleep and advance jump), attached
commands (docker compose up, logs -f, docker stats, top) run until Ctrl-C, and every port node1
publishes opens on this computer at 127.0.0.1 (the same number, plus --port-offset N), so a
browser at http://127.0.0.1:8000 sees DockerCoins' web UI. The session is recorded (--session
FILE; default .swarm-sim/sessions/) and 'swarm-sim replay FILE' runs it again.

A live lab on a terminal serves the studio at http://127.0.0.1:${DEFAULT_WEB_PORT}/ (or the first free port
after it; --web-port P for another, --no-web for none): the lab's terminals in the browser (as
many as you like, on the same machines), the cluster as docker-swarm-visualizer draws it (its
buttons type the command that stops, kills, pauses or cuts off a machine), a timeline of
leaders, terms, faults and DockerCoins' hashes/s that can go back to any earlier moment (the
session's inputs replayed on a fresh world), and the Raft messages between managers in flight.
With --script or piped input and --speed, the studio runs only when --web-port is given.

With --script FILE (or input piped in) the commands are run in order and printed as a
transcript, one step of simulated time each; with --speed too, each line runs when it arrives
and the clock flows between lines (--ports opens node1's ports then).`;

export async function lab(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: "string" },
      script: { type: "string" },
      speed: { type: "string" },
      "port-offset": { type: "string" },
      "no-ports": { type: "boolean" },
      ports: { type: "boolean" },
      session: { type: "string" },
      "web-port": { type: "string" },
      "no-web": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`"swarm-sim lab" accepts no arguments (got "${positionals[0]}")`);
  const seed = parseIntFlag("seed", values.seed, 1);
  let speed: number | undefined;
  if (values.speed !== undefined) {
    speed = parseSpeed(values.speed);
    if (speed === undefined)
      throw new UsageError(
        `invalid value "${values.speed}" for --speed: a number above 0, at most ${MAX_SPEED}`,
      );
  }
  const offset = parseIntFlag("port-offset", values["port-offset"], 0, 0);
  if (offset > 60_000) throw new UsageError(`invalid value "${offset}" for --port-offset: at most 60000`);
  if (values.ports && values["no-ports"])
    throw new UsageError("--ports and --no-ports cannot be used together");
  // Read (and checked: a regular file of a sane size) before anything starts.
  const scriptText = values.script === undefined ? undefined : readInputFile(values.script);
  if (values["web-port"] !== undefined && values["no-web"])
    throw new UsageError("--web-port and --no-web cannot be used together");
  const webPort =
    values["web-port"] === undefined ? undefined : parseIntFlag("web-port", values["web-port"], 0, 1);
  if (webPort !== undefined && webPort > 65535)
    throw new UsageError(`invalid value "${webPort}" for --web-port: a port number (1-65535)`);
  const makeLab = () => new Lab({ seed, services: true, plugins: labPlugins() });
  const l = makeLab();
  const interactive = values.script === undefined && process.stdin.isTTY === true;
  if (!interactive && speed === undefined && webPort !== undefined)
    throw new UsageError("--web-port needs a live lab: run it on a terminal, or give --speed");
  if (!interactive && speed === undefined) {
    // A transcript: each command one step of simulated time.
    if (scriptText !== undefined) {
      const r = l.runScript(scriptText, (chunk) => process.stdout.write(chunk));
      return r.exitCode;
    }
    await startRepl(l, process.stdin, process.stdout, { banner: l.banner(), completer: labCompleter(l) });
    return 0;
  }
  const portsOn = values["no-ports"] ? false : interactive || values.ports === true;
  const sessionPath = values.session ?? defaultSessionPath(seed);
  const input = values.script !== undefined ? createReadStream(values.script) : process.stdin;
  const web = values["no-web"] ? false : webPort !== undefined || interactive;
  try {
    await runLiveLab(l, {
      input,
      output: process.stdout,
      speed: speed ?? 1,
      ports: portsOn ? { offset } : undefined,
      sessionPath,
      banner: interactive ? liveBanner(l, sessionPath, portsOn, offset) : undefined,
      completer: labCompleter(l),
      makeLab,
      frontEnds: web
        ? [
            studioFrontEnd({
              port: webPort ?? DEFAULT_WEB_PORT,
              search: webPort === undefined,
              metrics: [dockercoinsStudioMetric()],
              announce: (url) =>
                process.stdout.write(
                  `The studio (terminals, the cluster, a timeline that goes back, Raft in flight): ${url}\n`,
                ),
            }),
          ]
        : [],
    });
  } catch (e) {
    if (e instanceof Error && e.message.startsWith("the studio cannot listen")) {
      console.error(`swarm-sim lab: ${e.message}; choose another with --web-port P, or --no-web`);
      return 1;
    }
    throw e;
  }
  if (interactive) process.stdout.write(`[lab] the lab has ended; its session is in ${sessionPath}\n`);
  return 0;
}

function liveBanner(l: Lab, sessionPath: string, ports: boolean, offset: number): string {
  return (
    l.banner() +
    "The clock flows: speed N, pause and resume change it; sleep and advance jump ahead.\n" +
    (ports
      ? `Ports node1 publishes open on this computer at 127.0.0.1${offset ? ` (port + ${offset})` : ""}.\n`
      : "") +
    `This session is recorded in ${sessionPath} (swarm-sim replay ${sessionPath}).\n`
  );
}

function defaultSessionPath(seed: number): string {
  // wall-clock: a session file's name tells when it was recorded.
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return join(".swarm-sim", "sessions", `lab-seed${seed}-${stamp}.jsonl`);
}
