// The docker command grammar: the lecture's commands parse verbatim into the expected command,
// flags (typed, defaults filled) and arguments; the classic (Docker 27) message style; the
// parser's handling of globals, aliases and docker-compose.
import { describe, expect, it } from "vitest";
import { findCommand, parseCommandVector, runnableCommandIds } from "../src/cli/grammar/index";
import type { ParseOutcome } from "../src/cli/grammar/parser";
import type { ParsedCommand } from "../src/cli/grammar/types";
import { parseScaleArgs } from "../src/cli/grammar/scale";
import { splitCommandLine } from "../src/cli/shell";

/** Parses a line as typed in the lab (one command, shell quoting applied). */
function parseLine(line: string, style: "modern" | "classic" = "modern"): ParseOutcome {
  const split = splitCommandLine(line);
  if (!split.ok) throw new Error(split.error);
  return parseCommandVector(split.commands[0], { style });
}

function command(line: string): ParsedCommand {
  const r = parseLine(line);
  if (r.kind !== "command") throw new Error(`${line}: ${r.stderr}`);
  return r.command;
}

function failure(
  line: string,
  style: "modern" | "classic" = "modern",
): { stderr: string; stdout: string; exitCode: number } {
  const r = parseLine(line, style);
  if (r.kind !== "output") throw new Error(`${line}: parsed`);
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
}

describe("the lecture's commands, verbatim", () => {
  it("docker swarm init --advertise-addr eth0:7777 --listen-addr eth0:7777", () => {
    const c = command("docker swarm init --advertise-addr eth0:7777 --listen-addr eth0:7777");
    expect(c.path).toEqual(["swarm", "init"]);
    expect(c.flags["advertise-addr"]).toBe("eth0:7777");
    expect(c.flags["listen-addr"]).toBe("eth0:7777");
    expect([...c.changed].sort()).toEqual(["advertise-addr", "listen-addr"]);
    // Defaults are filled in, typed.
    expect(c.flags["cert-expiry"]).toBe(2160 * 3600 * 1000);
    expect(c.flags["dispatcher-heartbeat"]).toBe(5000);
    expect(c.flags["task-history-limit"]).toBe(5);
    expect(c.flags["snapshot-interval"]).toBe(10000);
    expect(c.flags.availability).toBe("active");
    expect(c.flags.autolock).toBe(false);
  });

  it("docker swarm init with an address or an interface, and plain", () => {
    expect(command("docker swarm init").flags["listen-addr"]).toBe("0.0.0.0:2377");
    expect(command("docker swarm init --advertise-addr 172.24.0.2").flags["advertise-addr"]).toBe(
      "172.24.0.2",
    );
    expect(command("docker swarm init --listen-addr eth0").flags["listen-addr"]).toBe("eth0:2377");
  });

  it("docker swarm join --token ... HOST:PORT and join-token", () => {
    const c = command(
      "docker swarm join --token SWMTKN-1-59fl4ak4nqjmao1ofttrc4eprhrola2l87 172.24.0.2:2377",
    );
    expect(c.path).toEqual(["swarm", "join"]);
    expect(c.flags.token).toBe("SWMTKN-1-59fl4ak4nqjmao1ofttrc4eprhrola2l87");
    expect(c.args).toEqual(["172.24.0.2:2377"]);
    expect(command("docker swarm join-token worker").args).toEqual(["worker"]);
    expect(command("docker swarm join-token -q worker").flags.quiet).toBe(true);
    const rotate = command("docker swarm join-token --rotate manager");
    expect(rotate.flags.rotate).toBe(true);
    expect(failure("docker swarm join-token admin").stderr).toBe("unknown role admin\n");
  });

  it("docker info, docker node ls, promote and demote", () => {
    expect(command("docker info").path).toEqual(["system", "info"]);
    expect(command("docker system info").id).toBe("system info");
    expect(command("docker node ls").path).toEqual(["node", "ls"]);
    expect(command("docker node list").path).toEqual(["node", "ls"]);
    expect(command("docker node promote node2 node3").args).toEqual(["node2", "node3"]);
    expect(command("docker node demote node2").path).toEqual(["node", "demote"]);
    const upd = command(
      "docker node update --availability drain --label-add zone=a --label-add disk=ssd node2",
    );
    expect(upd.flags.availability).toBe("drain");
    expect(upd.flags["label-add"]).toEqual(["zone=a", "disk=ssd"]);
  });

  it("docker run --privileged --name node2 docker:dind (and -d)", () => {
    const c = command("docker run --privileged --name node2 docker:dind");
    expect(c.path).toEqual(["container", "run"]);
    expect(c.typedPath).toEqual(["run"]);
    expect(c.flags.privileged).toBe(true);
    expect(c.flags.name).toBe("node2");
    expect(c.args).toEqual(["docker:dind"]);
    const d = command("docker run -d --privileged --name node3 docker:dind");
    expect(d.flags.detach).toBe(true);
    expect(d.args).toEqual(["docker:dind"]);
  });

  it("docker exec -it node2 sh; docker exec node3 <command with its own flags>", () => {
    const c = command("docker exec -it node2 sh");
    expect(c.path).toEqual(["container", "exec"]);
    expect(c.flags.interactive).toBe(true);
    expect(c.flags.tty).toBe(true);
    expect(c.args).toEqual(["node2", "sh"]);
    // Flags after the container belong to the command run in it.
    const j = command("docker exec node3 docker swarm join --token SWMTKN-1-x 10.0.0.1:2377");
    expect(j.args).toEqual(["node3", "docker", "swarm", "join", "--token", "SWMTKN-1-x", "10.0.0.1:2377"]);
    expect(j.changed.size).toBe(0);
  });

  it("docker info | grep Swarm: the docker part", () => {
    const split = splitCommandLine("docker info | grep Swarm");
    expect(split).toEqual({
      ok: true,
      commands: [
        ["docker", "info"],
        ["grep", "Swarm"],
      ],
    });
  });

  it("docker compose up -d --scale worker=10, and docker-compose", () => {
    const c = command("docker compose up -d --scale worker=10");
    expect(c.program).toBe("docker");
    expect(c.path).toEqual(["compose", "up"]);
    expect(c.flags.detach).toBe(true);
    expect(c.flags.scale).toEqual(["worker=10"]);
    const legacy = command("docker-compose up -d --scale worker=2");
    expect(legacy.program).toBe("docker-compose");
    expect(legacy.path).toEqual(["compose", "up"]);
    expect(legacy.flags.scale).toEqual(["worker=2"]);
    expect(command("docker compose up").changed.size).toBe(0);
    expect(command("docker compose ps").path).toEqual(["compose", "ps"]);
    expect(command("docker-compose down").path).toEqual(["compose", "down"]);
  });

  it("docker-compose logs --tail 10 --follow", () => {
    const c = command("docker-compose logs --tail 10 --follow");
    expect(c.path).toEqual(["compose", "logs"]);
    expect(c.flags.tail).toBe("10");
    expect(c.flags.follow).toBe(true);
    expect(command("docker-compose logs").flags.tail).toBe("all");
  });

  it("compose global flags come before the sub-command", () => {
    const c = command("docker compose -f docker-compose.yml -p coins up -d");
    expect(c.globals.file).toEqual(["docker-compose.yml"]);
    expect(c.globals["project-name"]).toBe("coins");
    expect([...c.globalsChanged].sort()).toEqual(["file", "project-name"]);
    expect(c.flags.detach).toBe(true);
    // After it they are unknown to the sub-command, and Compose prints the bare error, exit 1.
    const r = failure("docker compose up -f x.yml");
    expect(r.stderr).toBe("unknown shorthand flag: 'f' in -f\n");
    expect(r.exitCode).toBe(1);
  });

  it('docker run --rm --network="host" bretfisher/httping -c 5 localhost:8001', () => {
    const c = command('docker run --rm --network="host" bretfisher/httping -c 5 localhost:8001');
    expect(c.flags.rm).toBe(true);
    expect(c.flags.network).toEqual([{ target: "host", aliases: [], driverOpts: {} }]);
    expect(c.args).toEqual(["bretfisher/httping", "-c", "5", "localhost:8001"]);
  });

  it("docker-compose down / stop / kill / restart with their flags", () => {
    expect(command("docker-compose down -t 5 --remove-orphans -v").flags).toMatchObject({
      timeout: 5,
      "remove-orphans": true,
      volumes: true,
    });
    expect(command("docker compose kill -s SIGTERM worker").flags.signal).toBe("SIGTERM");
    expect(command("docker compose kill worker").flags.signal).toBe("SIGKILL");
    expect(command("docker compose restart -t 3").flags.timeout).toBe(3);
    expect(command("docker compose up --no-build --build -t 2").flags).toMatchObject({
      "no-build": true,
      build: true,
      timeout: 2,
    });
  });
});

describe("service commands (issue 5 flags)", () => {
  it("docker service create with placement, resources, ports, networks, restart and update policy", () => {
    const c = command(
      "docker service create --name worker --replicas 10 --constraint node.role==worker --placement-pref spread=node.labels.zone " +
        "--reserve-cpu 0.5 --reserve-memory 64m -p 8000:80 -p published=8001,target=81,mode=host --network dockercoins " +
        "-e HOSTNAME=x --restart-condition on-failure --restart-delay 1m30s --restart-max-attempts 3 --restart-window 2m " +
        "--update-parallelism 2 --update-delay 10s --update-failure-action rollback --update-order start-first " +
        "--update-monitor 20s --update-max-failure-ratio 0.25 --rollback-parallelism 0 --stop-grace-period 30s " +
        "--replicas-max-per-node 2 -d dockercoins/worker:v0.1 python worker.py",
    );
    expect(c.path).toEqual(["service", "create"]);
    expect(c.args).toEqual(["dockercoins/worker:v0.1", "python", "worker.py"]);
    expect(c.flags).toMatchObject({
      name: "worker",
      replicas: 10,
      constraint: ["node.role==worker"],
      "placement-pref": [{ strategy: "spread", descriptor: "node.labels.zone" }],
      "reserve-cpu": 500_000_000,
      "reserve-memory": 64 * 1024 * 1024,
      publish: [
        { protocol: "tcp", targetPort: 80, publishedPort: 8000, publishMode: "ingress" },
        { protocol: "tcp", targetPort: 81, publishedPort: 8001, publishMode: "host" },
      ],
      network: [{ target: "dockercoins", aliases: [], driverOpts: {} }],
      env: ["HOSTNAME=x"],
      "restart-condition": "on-failure",
      "restart-delay": 90_000,
      "restart-max-attempts": 3,
      "restart-window": 120_000,
      "update-parallelism": 2,
      "update-delay": 10_000,
      "update-failure-action": "rollback",
      "update-order": "start-first",
      "update-monitor": 20_000,
      "update-max-failure-ratio": 0.25,
      "rollback-parallelism": 0,
      "stop-grace-period": 30_000,
      "replicas-max-per-node": 2,
      detach: true,
    });
  });

  it("flags whose help shows a default carry it when not given; changed tells what was typed", () => {
    const c = command("docker service create nginx");
    expect(c.flags).toMatchObject({
      mode: "replicated",
      "endpoint-mode": "vip",
      "update-parallelism": 1,
      "restart-delay": 5000,
    });
    expect(c.changed.size).toBe(0);
    expect(c.flags.replicas).toBe(0);
  });

  it("service create checks the mode before asking the daemon", () => {
    expect(failure("docker service create --mode global --replicas 3 nginx").stderr).toBe(
      "replicas can only be used with replicated or replicated-job mode\n",
    );
    expect(failure("docker service create --mode bogus nginx").stderr).toBe(
      "Unknown mode: bogus, only replicated and global supported\n",
    );
    expect(command("docker service create --mode global nginx").flags.mode).toBe("global");
  });

  it("docker service update: image, replicas, force, env and publish add/rm", () => {
    const c = command(
      "docker service update --image nginx:alpine --replicas 4 --force --env-add A=1 --env-rm B --publish-add 9000:90 --publish-rm 80 web",
    );
    expect(c.args).toEqual(["web"]);
    expect(c.flags).toMatchObject({
      image: "nginx:alpine",
      replicas: 4,
      force: true,
      "env-add": ["A=1"],
      "env-rm": ["B"],
      "publish-add": [{ protocol: "tcp", targetPort: 90, publishedPort: 9000, publishMode: "ingress" }],
      "publish-rm": [{ protocol: "tcp", targetPort: 80, publishedPort: 0, publishMode: "ingress" }],
    });
    // Nothing defaults in update: only what is given changes the service.
    expect(command("docker service update web").flags["update-parallelism"]).toBe(0);
  });

  it("docker service scale SERVICE=REPLICAS...", () => {
    const c = command("docker service scale worker=10 rng=2");
    expect(c.args).toEqual(["worker=10", "rng=2"]);
    expect(parseScaleArgs(c.args)).toEqual([
      { service: "worker", replicas: 10 },
      { service: "rng", replicas: 2 },
    ]);
    expect(parseScaleArgs(["web=x"])).toEqual([
      {
        service: "web",
        error: 'web: invalid replicas value x: strconv.ParseUint: parsing "x": invalid syntax',
      },
    ]);
    expect(failure("docker service scale worker").stderr).toBe(
      "invalid scale specifier 'worker'.\nSee 'docker service scale --help'.\n\n" +
        "Usage:  docker service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]\n\nScale one or multiple replicated services\n",
    );
  });

  it("ls, ps, inspect, logs, rollback, rm", () => {
    expect(command("docker service ls -q").flags.quiet).toBe(true);
    expect(command("docker service ls --filter name=web -f mode=global").flags.filter).toEqual([
      "name=web",
      "mode=global",
    ]);
    expect(command("docker service ps --no-trunc -q web").flags).toMatchObject({
      "no-trunc": true,
      quiet: true,
    });
    expect(command("docker service inspect --pretty web").flags.pretty).toBe(true);
    expect(command("docker service logs --tail 5 -f web").flags).toMatchObject({ tail: "5", follow: true });
    expect(command("docker service rollback -d web").path).toEqual(["service", "rollback"]);
    expect(command("docker service remove web").path).toEqual(["service", "rm"]);
  });
});

describe("networks, stacks, containers", () => {
  it("docker network create -d overlay --attachable --subnet", () => {
    const c = command(
      "docker network create -d overlay --attachable --subnet 10.10.0.0/24,10.20.0.0/24 coins",
    );
    expect(c.flags).toMatchObject({
      driver: "overlay",
      attachable: true,
      subnet: ["10.10.0.0/24", "10.20.0.0/24"],
    });
    expect(command("docker network create coins").flags.driver).toBe("bridge");
    expect(command("docker network ls").path).toEqual(["network", "ls"]);
    expect(command("docker network connect coins c1").args).toEqual(["coins", "c1"]);
    expect(command("docker network disconnect -f coins c1").flags.force).toBe(true);
    expect(command("docker network inspect coins").path).toEqual(["network", "inspect"]);
    expect(command("docker network rm coins").path).toEqual(["network", "rm"]);
  });

  it("docker stack deploy -c FILE STACK and friends", () => {
    const c = command("docker stack deploy -c docker-compose.yml dockercoins");
    expect(c.flags["compose-file"]).toEqual(["docker-compose.yml"]);
    expect(c.flags.detach).toBe(true);
    expect(c.args).toEqual(["dockercoins"]);
    expect(failure("docker stack deploy coins").stderr).toBe(
      "Specify a Compose file (with --compose-file)\n",
    );
    expect(command("docker stack up -c a.yml s").path).toEqual(["stack", "deploy"]);
    expect(command("docker stack ls").path).toEqual(["stack", "ls"]);
    expect(command("docker stack ps coins").path).toEqual(["stack", "ps"]);
    expect(command("docker stack services coins").path).toEqual(["stack", "services"]);
    expect(command("docker stack down coins").path).toEqual(["stack", "rm"]);
  });

  it("container commands top level and under docker container share one id", () => {
    expect(command("docker ps -aq").flags).toMatchObject({ all: true, quiet: true });
    expect(command("docker container ls -a").id).toBe("container ls");
    expect(command("docker container ps").id).toBe("container ls");
    expect(command("docker stop -t 5 c1 c2").flags.timeout).toBe(5);
    const legacy = parseLine("docker stop --time 5 c1");
    expect(legacy.kind === "command" && legacy.notes).toEqual([
      { stream: "stdout", text: "Flag --time has been deprecated, use --timeout instead\n" },
    ]);
    expect(command("docker restart -t 1 c1").path).toEqual(["container", "restart"]);
    expect(command("docker kill -s HUP c1").flags.signal).toBe("HUP");
    expect(command("docker pause c1").path).toEqual(["container", "pause"]);
    expect(command("docker unpause c1").path).toEqual(["container", "unpause"]);
    expect(command("docker start c1").path).toEqual(["container", "start"]);
    expect(command("docker logs --tail 10 -f c1").flags).toMatchObject({ tail: "10", follow: true });
    expect(command("docker stats --no-stream").flags["no-stream"]).toBe(true);
    expect(command("docker rm -f c1").flags.force).toBe(true);
    expect(command("docker container remove c1").id).toBe("container rm");
    expect(command("docker run -it --rm alpine sh").flags).toMatchObject({
      interactive: true,
      tty: true,
      rm: true,
    });
    // -h is --hostname for docker run.
    expect(command("docker run -h box alpine").flags.hostname).toBe("box");
    expect(command("docker run -p 8000:80 -e A=1 nginx").flags).toMatchObject({
      publish: ["8000:80"],
      env: ["A=1"],
    });
  });

  it("global docker flags before the command", () => {
    const c = command("docker -H tcp://node2:2375 --debug node ls");
    expect(c.globals.host).toEqual(["tcp://node2:2375"]);
    expect(c.globals.debug).toBe(true);
    expect([...c.globalsChanged].sort()).toEqual(["debug", "host"]);
    const v = parseLine("docker --version");
    expect(v.kind === "output" && v.stdout).toBe("Docker version 28.2.2, build e6534b4\n");
  });

  it("the table lists the runnable commands a backend can register", () => {
    const ids = runnableCommandIds();
    for (const id of [
      "swarm init",
      "swarm join",
      "node ls",
      "service create",
      "container run",
      "container ls",
      "compose up",
      "system info",
      "version",
    ]) {
      expect(ids).toContain(id);
    }
    expect(ids).not.toContain("image ls");
    expect(findCommand(["ps"])?.id).toBe("container ls");
  });
});

describe("errors as Docker prints them", () => {
  it("modern (Docker 28+)", () => {
    expect(failure("docker swarm join")).toEqual({
      stdout: "",
      stderr:
        "docker: 'docker swarm join' requires 1 argument\n\nUsage:  docker swarm join [OPTIONS] HOST:PORT\n\n" +
        "Run 'docker swarm join --help' for more information\n",
      exitCode: 1,
    });
    expect(failure("docker foo").stderr).toBe(
      "docker: unknown command: docker foo\n\nRun 'docker --help' for more information\n",
    );
    expect(failure("docker swarm init --bar").exitCode).toBe(125);
  });

  it("classic (Docker 27 and earlier: cli/required.go, cli/cobra.go of v27.5.1)", () => {
    expect(failure("docker swarm join", "classic")).toEqual({
      stdout: "",
      stderr:
        "\"docker swarm join\" requires exactly 1 argument.\nSee 'docker swarm join --help'.\n\n" +
        "Usage:  docker swarm join [OPTIONS] HOST:PORT\n\nJoin a swarm as a node and/or manager\n",
      exitCode: 1,
    });
    expect(failure("docker foo", "classic").stderr).toBe(
      "docker: 'foo' is not a docker command.\nSee 'docker --help'\n",
    );
    expect(failure("docker swarm init --bar", "classic")).toEqual({
      stdout: "",
      stderr: "unknown flag: --bar\nSee 'docker swarm init --help'.\n",
      exitCode: 125,
    });
    expect(failure("docker node promote", "classic").stderr).toBe(
      "\"docker node promote\" requires at least 1 argument.\nSee 'docker node promote --help'.\n\n" +
        "Usage:  docker node promote NODE [NODE...]\n\nPromote one or more nodes to manager in the swarm\n",
    );
    expect(failure("docker swarm init extra", "classic").stderr).toBe(
      "\"docker swarm init\" accepts no arguments.\nSee 'docker swarm init --help'.\n\nUsage:  docker swarm init [OPTIONS]\n\nInitialize a swarm\n",
    );
    // Unknown sub-command of a management command: the usage, after an empty line.
    const sub = failure("docker swarm foo", "classic");
    expect(sub.stderr.startsWith("\nUsage:  docker swarm COMMAND\n\nManage Swarm\n\nCommands:\n")).toBe(true);
    // Help starts with an empty line.
    const help = parseLine("docker swarm init --help", "classic");
    expect(help.kind === "output" && help.stdout.startsWith("\nUsage:  docker swarm init [OPTIONS]\n")).toBe(
      true,
    );
  });

  it("flag value errors name the flag as pflag does", () => {
    expect(failure("docker service create --replicas x nginx").stderr.split("\n")[0]).toBe(
      'invalid argument "x" for "--replicas" flag: strconv.ParseUint: parsing "x": invalid syntax',
    );
    expect(failure("docker stop -t x c1").stderr.split("\n")[0]).toBe(
      'invalid argument "x" for "-t, --timeout" flag: strconv.ParseInt: parsing "x": invalid syntax',
    );
    expect(failure("docker swarm init --cert-expiry 10").stderr.split("\n")[0]).toBe(
      'invalid argument "10" for "--cert-expiry" flag: time: missing unit in duration "10"',
    );
    expect(failure("docker service create --restart-delay 5x nginx").stderr.split("\n")[0]).toBe(
      'invalid argument "5x" for "--restart-delay" flag: time: unknown unit "x" in duration "5x"',
    );
    expect(failure("docker service create --name").stderr.split("\n")[0]).toBe(
      "flag needs an argument: --name",
    );
    expect(failure("docker service create -e").stderr.split("\n")[0]).toBe(
      "flag needs an argument: 'e' in -e",
    );
    expect(failure("docker swarm join-token -x worker").stderr.split("\n")[0]).toBe(
      "unknown shorthand flag: 'x' in -x",
    );
  });

  it("help: --help, -h (deprecated shorthand), docker help TOPIC, bare management commands", () => {
    const h = parseLine("docker swarm init -h");
    expect(
      h.kind === "output" &&
        h.stdout.startsWith(
          "Flag shorthand -h has been deprecated, use --help\nUsage:  docker swarm init [OPTIONS]",
        ),
    ).toBe(true);
    const topic = parseLine("docker help service create");
    expect(
      topic.kind === "output" &&
        topic.stdout.startsWith("Usage:  docker service create [OPTIONS] IMAGE [COMMAND] [ARG...]"),
    ).toBe(true);
    const bare = parseLine("docker node");
    expect(bare.kind === "output" && bare.stderr.startsWith("Usage:  docker node COMMAND")).toBe(true);
    expect(bare.kind === "output" && bare.exitCode).toBe(0);
    const update = parseLine("docker swarm update");
    expect(
      update.kind === "output" && update.stdout.startsWith("Usage:  docker swarm update [OPTIONS]"),
    ).toBe(true);
    const root = parseLine("docker --help");
    expect(root.kind === "output" && root.stdout).toContain("\n  compose*    Docker Compose\n");
  });

  it("help hides what the daemon would hide", () => {
    const onWorker = parseCommandVector(["docker", "--help"], {
      daemon: {
        osType: "linux",
        experimental: false,
        swarm: { nodeState: "active", controlAvailable: false },
      },
    });
    const text = onWorker.kind === "output" ? onWorker.stdout : "";
    expect(text).toContain("\n  swarm       Manage Swarm\n");
    expect(text).not.toContain("\n  node        Manage Swarm nodes\n");
    expect(text).not.toContain("checkpoint");
    const run = parseCommandVector(["docker", "run", "--help"], { daemon: { osType: "linux" } });
    expect(run.kind === "output" && run.stdout).not.toContain("--cpu-count");
  });

  it("commands the simulator does not model say so", () => {
    const r = failure("docker image ls");
    expect(r.stderr).toBe("swarm-sim: 'docker image' is not supported in the simulator\n");
    expect(r.exitCode).toBe(1);
    expect(failure("docker compose build").stderr).toBe(
      "swarm-sim: 'docker compose build' is not supported in the simulator\n",
    );
  });

  it("compose commands check their arguments with cobra's own texts", () => {
    expect(failure("docker compose version x")).toEqual({
      stdout: "",
      stderr: 'unknown command "x" for "docker compose version"\n',
      exitCode: 1,
    });
    expect(failure("docker compose scale").stderr).toBe("requires at least 1 arg(s), only received 0\n");
    expect(command("docker compose scale worker=3").args).toEqual(["worker=3"]);
    expect(command("docker-compose -v").path).toEqual(["compose", "version"]);
    expect(command("docker compose --version").argv).toEqual(["compose", "--version"]);
  });

  it("docker compose with an unknown command prints its help, then the error", () => {
    const r = failure("docker compose frobnicate");
    expect(
      r.stdout.startsWith(
        "Usage:  docker compose [OPTIONS] COMMAND\n\nDefine and run multi-container applications with Docker\n",
      ),
    ).toBe(true);
    expect(r.stderr).toBe('unknown docker command: "compose frobnicate"\n');
    expect(r.exitCode).toBe(1);
  });
});
