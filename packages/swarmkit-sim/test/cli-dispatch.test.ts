// DockerCli: lines through the shell, pipes between stages, handlers registered by command
// path, lab commands, not-found and not-supported commands, handlers that throw, $(...)
// substitution into variables, redirections and && / ||.
import { describe, expect, it } from "vitest";
import { DockerCli } from "../src/cli/dispatch";
import { DockerCliError } from "../src/cli/io";

interface Lab {
  node: string;
  calls: string[];
}

const INFO = " Swarm: active\n  NodeID: n1\n  Is Manager: true\n Kernel Version: 6.1\n";

function lab(): DockerCli<Lab> {
  const cli = new DockerCli<Lab>();
  cli.register(["info"], (cmd, io) => {
    io.context.calls.push(cmd.id);
    io.out(INFO);
    return 0;
  });
  cli.register(["swarm", "join-token"], (cmd, io) => {
    io.out(
      cmd.flags.quiet ? "SWMTKN-1-abc-def\n" : "To add a worker to this swarm, run the following command:\n",
    );
    return 0;
  });
  cli.register(["swarm", "join"], (cmd, io) => {
    io.context.calls.push(`join ${cmd.flags.token} ${cmd.args[0]} on ${io.context.node}`);
    io.out("This node joined a swarm as a worker.\n");
    return 0;
  });
  cli.register(["node", "ls"], () => {
    throw new Error("This node is not a swarm manager.");
  });
  cli.register(["service", "ls"], () => {
    throw new DockerCliError("Error response from daemon: This node is not a swarm manager.", 1);
  });
  cli.register(["compose", "up"], (cmd, io) => {
    io.context.calls.push(`${cmd.program} up ${JSON.stringify(cmd.flags.scale)}`);
    return 0;
  });
  // docker exec NODE CMD...: run the command as if typed on that node.
  cli.register(["exec"], (cmd, io) => {
    const [node, ...argv] = cmd.args;
    const r = io.cli.exec(argv, { ...io.context, node });
    io.out(r.stdout);
    io.err(r.stderr);
    return r.exitCode;
  });
  return cli;
}

const ctx = (): Lab => ({ node: "node1", calls: [] });

describe("DockerCli.run", () => {
  it("docker info | grep Swarm", () => {
    const c = ctx();
    const r = lab().run("docker info | grep Swarm", c);
    expect(r).toMatchObject({ stdout: " Swarm: active\n", stderr: "", exitCode: 0 });
    expect(c.calls).toEqual(["system info"]);
    expect(r.output).toEqual([{ stream: "stdout", text: " Swarm: active\n" }]);
  });

  it("a pipeline's status is its last command's; grep without a match exits 1", () => {
    expect(lab().run("docker info | grep Nope", ctx()).exitCode).toBe(1);
    expect(lab().run("docker info | grep -c a | cat", ctx())).toMatchObject({ stdout: "2\n", exitCode: 0 });
  });

  it("TOKEN=$(docker swarm join-token -q worker) then uses it, as the lecture's scripts do", () => {
    const cli = lab();
    const c = ctx();
    expect(cli.run("TOKEN=$(docker swarm join-token -q worker)", c).exitCode).toBe(0);
    expect(cli.vars.get("TOKEN")).toBe("SWMTKN-1-abc-def");
    const r = cli.run("docker exec node3 docker swarm join --token $TOKEN 10.0.0.1:2377", c);
    expect(r).toMatchObject({ stdout: "This node joined a swarm as a worker.\n", exitCode: 0 });
    expect(c.calls).toEqual(["join SWMTKN-1-abc-def 10.0.0.1:2377 on node3"]);
    expect(cli.run("echo $TOKEN", c).stdout).toBe("SWMTKN-1-abc-def\n");
  });

  it("docker compose and docker-compose reach the same handler", () => {
    const c = ctx();
    lab().run("docker compose up -d --scale worker=10; docker-compose up -d --scale worker=2", c);
    expect(c.calls).toEqual(['docker up ["worker=10"]', 'docker-compose up ["worker=2"]']);
  });

  it("usage errors and help come from the grammar, with Docker's exit codes", () => {
    const cli = lab();
    expect(cli.run("docker swarm join", ctx())).toMatchObject({ stdout: "", exitCode: 1 });
    expect(cli.run("docker swarm init --bar", ctx()).exitCode).toBe(125);
    const help = cli.run("docker swarm --help", ctx());
    expect(help.stdout.startsWith("Usage:  docker swarm COMMAND")).toBe(true);
    expect(cli.run("docker --help | grep -c Swarm", ctx()).stdout).toBe("7\n");
  });

  it("known but unregistered or unmodelled docker commands say they are not supported", () => {
    const cli = lab();
    expect(cli.run("docker swarm ca", ctx())).toMatchObject({
      stderr: "swarm-sim: 'docker swarm ca' is not supported in the simulator\n",
      exitCode: 1,
    });
    expect(cli.run("docker image ls", ctx())).toMatchObject({
      stderr: "swarm-sim: 'docker image' is not supported in the simulator\n",
      exitCode: 1,
    });
  });

  it("a flag Docker takes but the simulator does not model is refused, not ignored", () => {
    const cli = lab();
    for (const path of [
      ["service", "create"],
      ["service", "update"],
    ])
      cli.register(path, (cmd, io) => {
        io.context.calls.push(`${cmd.id} ${cmd.args.join(" ")}`);
        return 0;
      });
    const c = ctx();
    for (const [line, flag] of [
      ["docker service create --mount type=volume,target=/data nginx", "docker service create --mount"],
      ["docker service create --user 1000 --name web nginx", "docker service create --user"],
      ["docker service update --secret-add s web", "docker service update --secret-add"],
      ["docker service update --health-cmd true web", "docker service update --health-cmd"],
    ])
      expect(cli.run(line, c), line).toMatchObject({
        stderr: `swarm-sim: '${flag}' is not supported in the simulator\n`,
        exitCode: 1,
      });
    expect(c.calls).toEqual([]);
    // Docker's own usage errors come first; the flags the simulator models go through.
    expect(cli.run("docker service create --mount type=volume,target=/d", c).stderr).toMatch(
      /requires at least 1 argument/,
    );
    expect(cli.run("docker service create --hostname h --container-label a=b nginx", c).exitCode).toBe(0);
    expect(c.calls).toEqual(["service create nginx"]);
    expect(cli.run("docker service create --help", c).stdout).toContain("--mount mount");
  });

  it("anything else is sh: NAME: not found, 127", () => {
    expect(lab().run("kubectl get pods", ctx())).toMatchObject({
      stderr: "sh: kubectl: not found\n",
      exitCode: 127,
    });
    expect(lab().run("kubectl | grep x", ctx())).toMatchObject({
      stderr: "sh: kubectl: not found\n",
      exitCode: 1,
    });
  });

  it("a handler that throws prints its message, no stack trace, exits 1, and the session goes on", () => {
    const cli = lab();
    const r = cli.run("docker node ls; docker info | grep -c Swarm", ctx());
    expect(r.stderr).toBe("Error: This node is not a swarm manager.\n");
    expect(r.stderr).not.toContain("at ");
    expect(r.stdout).toBe("1\n");
    expect(cli.run("docker node ls", ctx()).exitCode).toBe(1);
    expect(cli.run("docker service ls", ctx())).toMatchObject({
      stderr: "Error response from daemon: This node is not a swarm manager.\n",
      exitCode: 1,
    });
  });

  it("handlers must be synchronous and return an exit status", () => {
    const cli = new DockerCli<null>();
    cli.register(["node", "ls"], (() => Promise.resolve(0)) as never);
    cli.register(["node", "ps"], (() => undefined) as never);
    expect(cli.run("docker node ls", null)).toMatchObject({ exitCode: 1 });
    expect(cli.run("docker node ls", null).stderr).toContain("synchronous");
    expect(cli.run("docker node ps", null).stderr).toContain("no exit status");
  });

  it("&& and || follow exit statuses; $? holds the last one", () => {
    const cli = lab();
    expect(cli.run("docker info | grep -q Swarm && echo yes || echo no", ctx()).stdout).toBe("yes\n");
    expect(cli.run("docker info | grep -q Nope && echo yes || echo no", ctx()).stdout).toBe("no\n");
    expect(cli.run("false; echo $?", ctx()).stdout).toBe("1\n");
    expect(cli.run("! false", ctx()).exitCode).toBe(0);
  });

  it("redirections: >/dev/null, 2>&1, >&2", () => {
    const cli = lab();
    expect(cli.run("docker info >/dev/null", ctx()).stdout).toBe("");
    const merged = cli.run("docker swarm join 2>&1 | head -1", ctx());
    expect(merged.stdout).toBe("docker: 'docker swarm join' requires 1 argument\n");
    expect(cli.run("echo oops >&2", ctx())).toMatchObject({ stdout: "", stderr: "oops\n" });
    expect(cli.run("echo x > out.txt", ctx())).toMatchObject({
      stderr: "sh: can't create out.txt: Read-only file system\n",
      exitCode: 1,
    });
  });

  it("syntax errors are sh's, exit 2", () => {
    expect(lab().run('echo "abc', ctx())).toMatchObject({
      stderr: "sh: syntax error: unterminated quoted string\n",
      exitCode: 2,
    });
  });

  it("lab commands, their help, export/unset", () => {
    const cli = lab();
    let slept = 0;
    cli.registerLab({
      name: "sleep",
      usage: "sleep SECONDS",
      summary: "Advance simulated time",
      run: (argv) => {
        slept += Number(argv[0]);
        return 0;
      },
    });
    expect(cli.run("sleep 5 && sleep 2", ctx()).exitCode).toBe(0);
    expect(slept).toBe(7);
    const help = cli.run("help", ctx()).stdout;
    expect(help).toContain("  sleep SECONDS   Advance simulated time\n");
    expect(help).toContain("grep, head, tail");
    cli.run("export A=1 B", ctx());
    expect(cli.vars.get("A")).toBe("1");
    cli.run("unset A", ctx());
    expect(cli.vars.has("A")).toBe(false);
    expect(cli.run("export 1x=2", ctx())).toMatchObject({
      stderr: "sh: export: 1x=2: bad variable name\n",
      exitCode: 1,
    });
  });

  it("register refuses commands that cannot run", () => {
    const cli = lab();
    expect(() => cli.register(["swarm"], () => 0)).toThrow(/no runnable docker command/);
    expect(() => cli.register(["image", "ls"], () => 0)).toThrow(/no runnable docker command/);
    expect(() => cli.register(["nope"], () => 0)).toThrow(/no runnable docker command/);
    cli.register(["container", "ls"], () => 0);
    expect(cli.isRegistered(["ps"])).toBe(true);
  });

  it("stdin reaches the first command; help hides what the daemon view hides", () => {
    const cli = new DockerCli<string>({
      daemon: (node) => ({
        osType: "linux",
        swarm: { nodeState: "active", controlAvailable: node === "manager" },
      }),
    });
    expect(cli.run("grep b", "x", { stdin: "a\nb\n" }).stdout).toBe("b\n");
    expect(cli.run("docker --help", "worker").stdout).not.toContain("Manage Swarm nodes");
    expect(cli.run("docker --help", "manager").stdout).toContain("Manage Swarm nodes");
  });
});
