// DockerCoins on the lab's swarm: node1 and four docker:dind nodes, the compose file deployed
// as a stack, the workers scaled with `docker service scale`, then the Swarm chapters' stack
// file with rng global. The page (a browser on node1:8000, through the routing mesh) shows
// ten workers held at one rng's ceiling, then let through by five.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Lab, engineOf } from "@swarm-sim/swarmkit-sim";
import { describe, expect, it } from "vitest";
import { DEFAULT_COSTS, DEFAULT_TIMING } from "../src/config";
import { dockercoinsPlugin } from "../src/lab-plugin";
import { WebuiPage } from "../src/services/webui-page";

const RNG_CEILING = 1000 / (DEFAULT_TIMING.rngDelayMs + 1000 * DEFAULT_COSTS.rngRequestCpu);

const FIVE_NODES = readFileSync(join(import.meta.dirname, "testdata", "five-node-swarm.lab"), "utf8");

function swarmLab(seed: string): Lab {
  const lab = new Lab({ seed, services: true, plugins: [dockercoinsPlugin()] });
  const r = lab.runScript(FIVE_NODES);
  expect(r.failures).toEqual([]);
  return lab;
}

describe("DockerCoins on the lab's swarm", () => {
  it("stack deploy of the compose file, service scale, then rng global from the stack file", () => {
    const lab = swarmLab("dockercoins-swarm");
    lab.run("git clone https://github.com/jpetazzo/container.training");
    lab.run("cd container.training/dockercoins");
    const deploy = lab.run("docker stack deploy -c docker-compose.yml dockercoins");
    expect(deploy.exitCode).toBe(0);
    // docker stack deploy ignores `build:` (it warns), and uses each service's image.
    expect(deploy.stderr).toBe("Ignoring unsupported options: build\n\n");
    expect(deploy.stdout).toBe(
      [
        "Creating network dockercoins_default",
        "Creating service dockercoins_rng",
        "Creating service dockercoins_hasher",
        "Creating service dockercoins_webui",
        "Creating service dockercoins_redis",
        "Creating service dockercoins_worker",
        "",
      ].join("\n"),
    );
    lab.run("sleep 20");
    const services = lab.run("docker stack services dockercoins").stdout;
    expect(services).toMatch(
      /dockercoins_rng\s+replicated\s+1\/1\s+dockercoins\/rng:v0\.1\s+\*:8001->80\/tcp/,
    );
    expect(services).toMatch(/dockercoins_worker\s+replicated\s+1\/1\s+dockercoins\/worker:v0\.1/);
    expect(services).toMatch(/dockercoins_redis\s+replicated\s+1\/1\s+redis:latest/);

    const scale = lab.run("docker service scale dockercoins_worker=10");
    expect(scale.exitCode).toBe(0);
    expect(scale.stdout.split("\n")[0]).toBe("dockercoins_worker scaled to 10");
    expect(scale.stdout).toMatch(/\nverify: Service [0-9a-z]{25} converged\n$/);
    // The tasks run on the nodes' engines: `docker ps` on node3 shows some of them.
    expect(lab.run("docker exec node3 docker ps --format '{{.Names}}'").stdout).toMatch(
      /^dockercoins_\w+\.\S+$/m,
    );

    // The browser on node1: port 8000 is the routing mesh's, whichever node runs webui.
    const page = new WebuiPage(lab.node1.machine, engineOf(lab.node1)!).open();
    lab.run("sleep 15");
    let from = lab.sim.now();
    lab.run("sleep 60");
    const single = page.meanSpeed(from);
    // One rng task: ten workers are held at its ceiling (~9.9/s), as under compose.
    expect(single).toBeLessThan(RNG_CEILING * 1.03);
    expect(single).toBeGreaterThan(RNG_CEILING * 0.9);

    // rng cannot become global in place: Docker refuses a mode change...
    const inPlace = lab.run("docker stack deploy -c ../stacks/dockercoins.yml dockercoins");
    expect(inPlace.exitCode).toBe(1);
    expect(inPlace.stderr).toBe(
      "failed to update service dockercoins_rng: Error response from daemon: rpc error: code = Unknown desc = service mode change is not allowed\n",
    );
    // ...so the stack is removed and deployed again from the Swarm chapters' file.
    expect(lab.run("docker stack rm dockercoins").exitCode).toBe(0);
    lab.run("sleep 20");
    lab.run("cd ../stacks");
    const global = lab.run("docker stack deploy -c dockercoins.yml dockercoins");
    expect(global.exitCode).toBe(0);
    lab.run("sleep 30");
    expect(lab.run("docker service ls").stdout).toMatch(/dockercoins_rng\s+global\s+5\/5/);
    const ps = lab.run("docker service ps dockercoins_rng").stdout.trim().split("\n").slice(1);
    expect(ps.map((l) => l.split(/\s+/)[3]).sort()).toEqual(["node1", "node2", "node3", "node4", "node5"]);
    from = lab.sim.now();
    lab.run("sleep 60");
    const five = page.meanSpeed(from);
    // Five rngs behind the VIP: ten workers almost unhindered (10 x 3.3 h/s), well past one rng.
    expect(five).toBeGreaterThan(2.5 * RNG_CEILING);
    expect(five / single).toBeGreaterThan(2.8);
  });

  it("a compose file with builds only cannot be deployed as a stack, as with Docker", () => {
    const lab = new Lab({ seed: "builds-only", services: true, plugins: [dockercoinsPlugin()] });
    lab.run("docker swarm init");
    lab.addFiles({
      "app/docker-compose.yml": "services:\n  rng:\n    build: rng\n    ports:\n      - 8001:80\n",
    });
    lab.run("cd app");
    const r = lab.run("docker stack deploy -c docker-compose.yml app");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      "failed to create service app_rng: Error response from daemon: rpc error: code = InvalidArgument desc = ContainerSpec: image reference must be provided",
    );
    expect(lab.run("docker stack deploy -c nope.yml app").stderr).toBe(
      "open nope.yml: no such file or directory\n",
    );
  });
});
