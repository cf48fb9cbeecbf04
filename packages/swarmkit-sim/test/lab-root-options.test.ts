// The docker CLI's root options that point it at another daemon (-H, --context, --tls*,
// --config, DOCKER_HOST, DOCKER_CONTEXT): the simulator's CLI talks only to the node it runs
// on, so it refuses them instead of answering for the wrong daemon; -D and --log-level only
// change the CLI's own logging and are accepted.
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

const HINT = "[lab] to talk to another node's daemon, run: docker exec NODE docker ...\n";

describe("root options that name another daemon", () => {
  it("are refused, with the way to reach another node", () => {
    const l = new Lab({ seed: 11, services: true });
    const cases: [string, string][] = [
      ["docker -H tcp://node2:2375 ps", "docker --host"],
      ["docker --host unix:///var/run/docker.sock info", "docker --host"],
      ["docker --context remote ps", "docker --context"],
      ["docker --tlsverify ps", "docker --tlsverify"],
      ["docker --config /tmp/cfg ps", "docker --config"],
      ["DOCKER_HOST=tcp://node2:2375 docker ps", "DOCKER_HOST"],
      ["DOCKER_CONTEXT=remote docker ps", "DOCKER_CONTEXT"],
    ];
    for (const [line, what] of cases) {
      const r = l.run(line);
      expect(r.exitCode, line).toBe(1);
      expect(r.stdout, line).toBe("");
      expect(r.stderr, line).toBe(`swarm-sim: '${what}' is not supported in the simulator\n${HINT}`);
    }
  });

  it("the default context, -D and --log-level run the command", () => {
    const l = new Lab({ seed: 11, services: true });
    for (const line of [
      "docker --context default ps -q",
      "DOCKER_CONTEXT=default docker ps -q",
      "docker -D ps -q",
      "docker --log-level debug ps -q",
    ]) {
      const r = l.run(line);
      expect(r.exitCode, line).toBe(0);
      expect(r.stderr, line).toBe("");
    }
  });
});
