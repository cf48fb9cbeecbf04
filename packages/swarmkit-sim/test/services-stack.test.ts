// `docker stack deploy` reading compose files as the CLI does: variables substituted from the
// environment, the keys a swarm ignores reported, and a service with only a `build:` turned
// down by the daemon, as with Docker.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files use ${VAR} themselves
import { describe, expect, it } from "vitest";
import { ComposeError, interpolate, parseCompose } from "../src/docker/stack/compose-file";
import { runningTasks, servicesSwarm } from "./support/services-swarm";

describe("compose files for stacks", () => {
  it("substitutes variables as the compose loader does", () => {
    const env = { TAG: "v2", EMPTY: "" };
    expect(interpolate("app:${TAG}", env)).toBe("app:v2");
    expect(interpolate("app:$TAG-x", env)).toBe("app:v2-x");
    expect(interpolate("${REGISTRY_SLASH-127.0.0.1:5000/}rng${COLON_TAG-:latest}", env)).toBe(
      "127.0.0.1:5000/rng:latest",
    );
    expect(interpolate("${EMPTY-default}|${EMPTY:-default}|${NOPE}", env)).toBe("|default|");
    expect(interpolate("cost: $$5", env)).toBe("cost: $5");
    expect(() => interpolate("${NOPE:?set it}", env)).toThrow(ComposeError);
    expect(() => interpolate("${NOPE:?set it}", env)).toThrow(
      "required variable NOPE is missing a value: set it",
    );
    const plan = parseCompose("services:\n  web:\n    image: nginx:${TAG}\n", "s", env);
    expect(plan.services[0].task.container.image).toBe("nginx:v2");
  });

  it("lists the keys a swarm ignores, and deprecated ones with the CLI's explanation", () => {
    const plan = parseCompose(
      [
        "services:",
        "  a:",
        "    build: a",
        "    image: a:1",
        "    restart: always",
        "    container_name: x",
        "  b:",
        "    image: b",
        "    links: [a]",
        "    build: b",
      ].join("\n"),
      "s",
    );
    expect(plan.unsupported).toEqual(["build", "links", "restart"]);
    expect(plan.deprecated).toEqual(["container_name: Setting the container name is not supported."]);
    expect(() => parseCompose("services:\n  a:\n    ports: ['80']\n", "s")).toThrow(
      "Service a has neither an image nor a build context specified. At least one must be provided.",
    );
  });

  it("deploys a file with images (and a build, ignored); a build-only service is refused", () => {
    const w = servicesSwarm(31, 1, 1);
    w.files.set(
      "images.yml",
      "services:\n  web:\n    build: web\n    image: ${IMAGE:-nginx}\n    deploy:\n      replicas: 2\n",
    );
    w.files.set("builds.yml", "services:\n  web:\n    build: web\n    ports:\n      - 8000:80\n");
    const ok = w.docker("docker stack deploy -c images.yml demo");
    expect(ok.err).toBe("Ignoring unsupported options: build\n\n");
    expect(ok.out).toBe("Creating network demo_default\nCreating service demo_web\n");
    expect(ok.code).toBe(0);
    w.sim.runFor(5000);
    expect(runningTasks(w.leaderStore(), "demo_web")).toHaveLength(2);

    const bad = w.docker("docker stack deploy -c builds.yml other");
    expect(bad.code).toBe(1);
    expect(bad.out).toBe("Creating network other_default\nCreating service other_web\n");
    expect(bad.err).toBe(
      "Ignoring unsupported options: build\n\n" +
        "failed to create service other_web: Error response from daemon: rpc error: code = InvalidArgument desc = ContainerSpec: image reference must be provided\n",
    );
    const missing = w.docker("docker stack deploy -c nope.yml other");
    expect(missing.err).toBe("open nope.yml: no such file or directory\n");
    expect(missing.code).toBe(1);
  });
});
