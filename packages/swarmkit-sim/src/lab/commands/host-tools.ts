// What a machine of the lab has besides Docker: BusyBox's `ping` and `wget` (the docker:dind
// image is Alpine; node1 gets the same, so that checking that the nodes can talk works the
// same everywhere), `curl` on node1 only (the user's laptop has it; Alpine's docker:dind does
// not), and on node1 `sudo systemctl|service stop|start|restart|status docker`: the engine
// stops as on a real host, and with it every container it runs, the docker:dind nodes too.
import { call, forMs, Interrupt, type Job, until } from "../../cli/job";
import { HttpRequest, type HttpResponse, STATUS_TEXT } from "../../engine/http/message";
import { HttpClient, isIPv4Literal } from "../../engine/http/client";
import { ExchangeClient } from "../../engine/net/exchange";
import type { NetError } from "../../engine/net/errors";
import { echoRoundTrip } from "../../engine/net/echo";
import { machineHost } from "../../engine/net/host";
import { BUSYBOX, parsePingArgs, pingHeader, pingReply, pingStatistics } from "../busybox-ping";
import type { DindContainer } from "../dind";
import { dockerServiceOf, setDockerService } from "./docker-service";
import type { LabNode, Shell } from "../node";
import type { LabIO, LabShellCommand } from "../plugin";
import { engineOf, type LabWorld } from "../world";

/** An address for `name` as the node's host resolves it (its engine's resolver), if any. */
function resolveHost(node: LabNode, name: string): string | undefined {
  if (isIPv4Literal(name)) return name;
  if (name === "localhost") return "127.0.0.1";
  if (name === node.name) return node.machine.address;
  return engineOf(node)?.resolveFromHost(name);
}

// ---- ping ----------------------------------------------------------------------------------

function pingCommand(world: LabWorld): LabShellCommand {
  return {
    name: "ping",
    group: "nodes",
    synopsis: "ping [-c N] HOST",
    description: "BusyBox ping: is a node reachable, and how long a round trip takes",
    *run(argv, io, sh) {
      const req = parsePingArgs(argv);
      if ("error" in req) {
        io.err(req.error);
        return 1;
      }
      const { host, count } = req;
      const address = resolveHost(sh.node, host);
      if (address === undefined) {
        io.err(`ping: bad address '${host}'\n`);
        return 1;
      }
      io.out(pingHeader(host, address));
      const rng = world.sim.random.fork(`lab/ping/${sh.node.name}`);
      const from = machineHost(sh.node.machine);
      const times: number[] = [];
      let sent = 0;
      try {
        while (sent < count) {
          const rtt = echoRoundTrip(from, address, rng);
          if (rtt !== undefined) {
            yield* forMs(rtt);
            times.push(rtt);
            io.out(pingReply(address, sent, rtt));
            sent++;
            if (sent < count) yield* forMs(1000 - rtt);
            continue;
          }
          // No answer: BusyBox waits for the next second (after the last one, one more).
          sent++;
          yield* forMs(1000);
        }
      } catch (e) {
        if (!(e instanceof Interrupt)) throw e;
        // Ctrl-C: BusyBox prints its statistics and exits (with 0 when something answered).
      }
      io.out(pingStatistics(host, sent, times));
      return times.length > 0 ? 0 : 1;
    },
  };
}

// ---- HTTP: wget and curl -------------------------------------------------------------------

interface Url {
  host: string;
  port: number;
  path: string;
}

function parseUrl(text: string): Url | undefined {
  const m = /^(?:http:\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(text);
  if (!m) return undefined;
  const port = m[2] === undefined ? 80 : Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1], port, path: m[3] ?? "/" };
}

/** One HTTP request from the node's host network; the answer or the network error. */
function* httpFromHost(
  node: LabNode,
  method: string,
  url: Url,
  address: string,
): Job<{ err?: NetError; res?: HttpResponse }> {
  const engine = engineOf(node);
  const client = new HttpClient(new ExchangeClient(engine ? engine.hostNet() : hostNetOf(node)), () =>
    address.startsWith("127.") ? node.machine.address : address,
  );
  const host = url.port === 80 ? url.host : `${url.host}:${url.port}`;
  const req = new HttpRequest(method, url.path, undefined, undefined, host);
  try {
    const r = yield* call<HttpResponse>(
      (done) => client.request({ host: url.host, port: url.port }, req, (err, res) => done(err ?? null, res)),
      130_000,
    );
    if (!r) return { err: undefined };
    return r.err ? { err: r.err as NetError } : { res: r.res };
  } finally {
    client.exchange.close();
  }
}

function hostNetOf(node: LabNode) {
  return {
    machine: node.machine,
    sourceAddress: node.machine.address,
    bindAddresses: undefined,
    meter: undefined,
    gate: undefined,
  };
}

function wgetCommand(): LabShellCommand {
  return {
    name: "wget",
    group: "nodes",
    synopsis: "wget [-q] [-O FILE|-] [-S] URL",
    description: "BusyBox wget: fetch a URL over the simulated network (-qO- prints it)",
    *run(argv, io, sh) {
      let quiet = false;
      let output: string | undefined;
      let headers = false;
      let target: string | undefined;
      for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "-O") output = argv[++i];
        else if (/^-[qSO]+/.test(a)) {
          if (a.includes("q")) quiet = true;
          if (a.includes("S")) headers = true;
          if (a.includes("O")) output = a.endsWith("O") ? argv[++i] : a.slice(a.indexOf("O") + 1);
        } else if (a.startsWith("-")) {
          io.err(`wget: unrecognized option '${a}'\n${BUSYBOX}\n\nUsage: wget [-cqS] [-O FILE] URL...\n`);
          return 1;
        } else target = a;
      }
      if (target === undefined) {
        io.err(`${BUSYBOX}\n\nUsage: wget [-cqS] [-O FILE] URL...\n`);
        return 1;
      }
      const url = parseUrl(target);
      if (!url) {
        io.err(`wget: not an http or ftp url: ${target}\n`);
        return 1;
      }
      const address = resolveHost(sh.node, url.host);
      if (address === undefined) {
        io.err(`wget: bad address '${url.host}'\n`);
        return 1;
      }
      if (!quiet)
        io.err(
          `Connecting to ${url.port === 80 ? url.host : `${url.host}:${url.port}`} (${address}:${url.port})\n`,
        );
      const { err, res } = yield* httpFromHost(sh.node, "GET", url, address);
      if (!res) {
        io.err(
          err?.code === "ECONNREFUSED"
            ? `wget: can't connect to remote host (${address}): Connection refused\n`
            : err?.code === "EHOSTUNREACH"
              ? `wget: can't connect to remote host (${address}): No route to host\n`
              : `wget: can't connect to remote host (${address}): Connection timed out\n`,
        );
        return 1;
      }
      if (headers) io.err(`  HTTP/${res.version} ${res.status} ${STATUS_TEXT[res.status] ?? ""}\n`);
      if (res.status >= 400) {
        io.err(
          `wget: server returned error: HTTP/${res.version} ${res.status} ${STATUS_TEXT[res.status] ?? ""}\n`,
        );
        return 1;
      }
      const file = output ?? (url.path.split("/").pop() || "index.html");
      if (file === "-") {
        io.out(res.text);
        return 0;
      }
      const files = sh.node.files;
      files.writeFile(files.resolve(sh.cwd, file), res.text);
      if (!quiet) {
        io.err(`saving to '${file}'\n`);
        io.err(
          `${file.padEnd(18).slice(0, 18)} 100% |********************************|  ${res.bytes.length}  0:00:00 ETA\n`,
        );
        io.err(`'${file}' saved\n`);
      }
      return 0;
    },
  };
}

function curlCommand(): LabShellCommand {
  return {
    name: "curl",
    group: "nodes",
    synopsis: "curl [-s] [-i|-I] URL",
    description: "curl on node1 (the docker:dind nodes have wget only)",
    *run(argv, io, sh) {
      if (sh.busybox) {
        io.err("sh: curl: not found\n");
        return 127;
      }
      let include = false;
      let head = false;
      let target: string | undefined;
      for (const a of argv) {
        if (a === "-i" || a === "--include") include = true;
        else if (a === "-I" || a === "--head") head = true;
        else if (a === "-s" || a === "--silent" || a === "-sS") continue;
        else if (a.startsWith("-")) {
          io.err(`curl: option ${a}: is unknown\ncurl: try 'curl --help' for more information\n`);
          return 2;
        } else target = a;
      }
      if (target === undefined) {
        io.err("curl: try 'curl --help' for more information\n");
        return 2;
      }
      const url = parseUrl(target);
      if (!url) {
        io.err(`curl: (3) URL rejected: Bad hostname\n`);
        return 3;
      }
      const address = resolveHost(sh.node, url.host);
      if (address === undefined) {
        io.err(`curl: (6) Could not resolve host: ${url.host}\n`);
        return 6;
      }
      const { err, res } = yield* httpFromHost(sh.node, head ? "HEAD" : "GET", url, address);
      if (!res) {
        const reason = err?.code === "ECONNREFUSED" ? "Couldn't connect to server" : "Failed to connect";
        io.err(`curl: (7) Failed to connect to ${url.host} port ${url.port} after 0 ms: ${reason}\n`);
        return 7;
      }
      if (include || head) {
        io.out(`HTTP/${res.version} ${res.status} ${STATUS_TEXT[res.status] ?? ""}\r\n`);
        for (const [k, v] of res.headers) if (v !== "<date>") io.out(`${k}: ${v}\r\n`);
        if (res.contentType) io.out(`Content-Type: ${res.contentType}\r\n`);
        io.out(`Content-Length: ${res.bytes.length}\r\n\r\n`);
      }
      if (!head) io.out(res.text);
      return 0;
    },
  };
}

// ---- node1's Docker engine as a service ------------------------------------------------------

/**
 * Stops node1's engine as systemd stops docker.service: dockerd stops its containers (SIGTERM
 * to each, the docker:dind nodes shut down cleanly; a paused one is killed after the timeout),
 * then exits.
 */
function* stopEngine(world: LabWorld, node: LabNode): Job<void> {
  const running = world.dindOf(node).filter((c: DindContainer) => c.machine?.isUp());
  for (const c of running) c.terminate();
  yield* until(() => running.every((c) => !c.machine?.isUp()), 10_000);
  for (const c of running) if (c.machine?.isUp()) c.kill();
  node.machine.stop();
  setDockerService(node, "inactive");
}

/**
 * systemd starts docker.service: the engine (and the node's swarm component) boot again with
 * the containers they had (stopped ones stay listed); those whose restart policy says so start
 * (the engine's own, and the docker:dind nodes).
 */
function startEngine(world: LabWorld, node: LabNode): void {
  if (!node.machine.isUp()) node.machine.start();
  setDockerService(node, "active");
  for (const c of world.dindOf(node)) if (c.restartsWithDaemon()) c.start();
}

function serviceAction(
  world: LabWorld,
  sh: Shell,
  verb: string,
  unit: string,
  io: LabIO,
): number | Job<number> {
  if (unit !== "docker" && unit !== "docker.service") {
    io.err(`Failed to ${verb} ${unit}.service: Unit ${unit}.service not found.\n`);
    return 5;
  }
  const node = sh.node;
  if (verb === "status" || verb === "is-active") {
    const state = dockerServiceOf(node);
    if (verb === "is-active") io.out(`${state}\n`);
    else
      io.out(
        `● docker.service - Docker Application Container Engine\n     Loaded: loaded (/lib/systemd/system/docker.service; enabled; preset: enabled)\n     Active: ${state === "active" ? "active (running)" : "inactive (dead)"}\n`,
      );
    return state === "active" ? 0 : 3;
  }
  if (verb === "stop") {
    if (dockerServiceOf(node) === "inactive") return 0;
    return (function* () {
      yield* stopEngine(world, node);
      return 0;
    })();
  }
  if (verb === "start") {
    startEngine(world, node);
    return 0;
  }
  if (verb === "restart") {
    return (function* () {
      if (dockerServiceOf(node) === "active") yield* stopEngine(world, node);
      startEngine(world, node);
      return 0;
    })();
  }
  io.err(`Unknown command verb '${verb}'.\n`);
  return 1;
}

function systemctl(world: LabWorld, argv: readonly string[], io: LabIO, sh: Shell, root: boolean) {
  const [verb, unit] = argv;
  if (verb === undefined || unit === undefined) {
    io.err("Too few arguments.\n");
    return 1;
  }
  if (!root && verb !== "status" && verb !== "is-active") {
    io.err(
      `Failed to ${verb} ${unit.replace(/\.service$/, "")}.service: Interactive authentication required.\nSee system logs and 'systemctl status ${unit.replace(/\.service$/, "")}.service' for details.\n`,
    );
    return 1;
  }
  return serviceAction(world, sh, verb, unit.replace(/\.service$/, ""), io);
}

function service(world: LabWorld, argv: readonly string[], io: LabIO, sh: Shell, root: boolean) {
  const [unit, verb] = argv;
  if (unit === undefined || verb === undefined) {
    io.err("Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]\n");
    return 1;
  }
  if (!root && verb !== "status") {
    io.err(`Failed to ${verb} ${unit}.service: Interactive authentication required.\n`);
    return 1;
  }
  return serviceAction(world, sh, verb, unit, io);
}

export function hostToolCommands(world: LabWorld): LabShellCommand[] {
  const onNode1 = (name: string, io: LabIO, sh: Shell): boolean => {
    if (!sh.busybox) return true;
    io.err(`sh: ${name}: not found\n`);
    return false;
  };
  return [
    pingCommand(world),
    wgetCommand(),
    curlCommand(),
    {
      name: "sudo",
      group: "nodes",
      synopsis: "sudo systemctl stop|start|restart|status docker",
      description:
        "on node1: stop or start its Docker engine, as on a real host (its containers, the dind nodes too, stop with it)",
      run: (argv, io, sh) => {
        if (!onNode1("sudo", io, sh)) return 127;
        const [cmd, ...rest] = argv;
        if (cmd === "systemctl") return systemctl(world, rest, io, sh, true);
        if (cmd === "service") return service(world, rest, io, sh, true);
        if (cmd === undefined) {
          io.err("usage: sudo -h | -K | -k | -V\nusage: sudo [-u user] command [arg ...]\n");
          return 1;
        }
        io.err(`[lab] sudo: only systemctl and service are simulated (sudo systemctl stop docker)\n`);
        return 1;
      },
    },
    {
      name: "systemctl",
      group: "nodes",
      synopsis: "systemctl stop|start|restart|status docker",
      description: "node1's Docker engine as a systemd service (stop and start need sudo)",
      run: (argv, io, sh) => (onNode1("systemctl", io, sh) ? systemctl(world, argv, io, sh, false) : 127),
    },
    {
      name: "service",
      group: "nodes",
      synopsis: "service docker stop|start|restart|status",
      description: "the same, the SysV way (sudo service docker stop)",
      run: (argv, io, sh) => (onNode1("service", io, sh) ? service(world, argv, io, sh, false) : 127),
    },
  ];
}
