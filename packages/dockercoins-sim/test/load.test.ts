// Compose files read from text as `docker compose` reads them: which file it picks, the
// project name, the services' fields, and the repository's file matching the model.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files use ${VAR} themselves
import {
  buildKey,
  FileTree,
  findComposeFile,
  normalizeProjectName,
  parseComposeText,
} from "@swarm-sim/swarmkit-sim";
import { describe, expect, it } from "vitest";
import { DOCKERCOINS_COMPOSE } from "../src/compose-file";
import { DOCKERCOINS_BUILDS, DOCKERCOINS_IMAGES } from "../src/images";
import { DOCKERCOINS_COMPOSE_YAML, DOCKERCOINS_STACK_YAML, containerTrainingFiles } from "../src/repository";
import { dockercoinsStackYaml } from "../src/swarm/stack-file";

describe("reading compose files", () => {
  it("the repository's compose file is the application's, each built service also naming its image", () => {
    const file = parseComposeText(DOCKERCOINS_COMPOSE_YAML, "/home/docker/container.training/dockercoins");
    expect(file.name).toBe("dockercoins");
    expect(Object.keys(file.services)).toEqual(Object.keys(DOCKERCOINS_COMPOSE.services));
    for (const [name, svc] of Object.entries(DOCKERCOINS_COMPOSE.services)) {
      const { image, ...rest } = file.services[name];
      expect(rest).toEqual(svc.image ? { ...svc, image: undefined } : svc);
      // The image a build produces (DOCKERCOINS_BUILDS) is the one the file names.
      expect(image).toBe(svc.build ? DOCKERCOINS_BUILDS[buildKey(svc.build)] : svc.image);
    }
    const stack = parseComposeText(DOCKERCOINS_STACK_YAML, "/x/stacks");
    expect(stack.services.rng.image).toBe(DOCKERCOINS_IMAGES.rng);
    expect(stack.services.worker.scale).toBe(10);
    expect(Object.keys(containerTrainingFiles())).toContain("dockercoins/docker-compose.yml");
  });

  it("picks compose.yaml before docker-compose.yml, here or in a parent directory", () => {
    const tree = new FileTree("/home/docker");
    tree.writeTree("/home/docker/app", { "docker-compose.yml": "x", "sub/readme": "y" });
    expect(findComposeFile(tree, "/home/docker/app/sub")).toBe("/home/docker/app/docker-compose.yml");
    tree.writeFile("/home/docker/app/compose.yaml", "z");
    expect(findComposeFile(tree, "/home/docker/app")).toBe("/home/docker/app/compose.yaml");
    expect(findComposeFile(tree, "/home/docker")).toBeUndefined();
  });

  it("names the project after `name:` or the directory, as compose normalizes it", () => {
    expect(normalizeProjectName("My.App_2")).toBe("myapp_2");
    expect(parseComposeText("services:\n  a:\n    image: x\n", "/srv/My-Project").name).toBe("my-project");
    expect(parseComposeText("name: demo\nservices:\n  a:\n    image: x\n", "/srv/other").name).toBe("demo");
  });

  it("reads long-syntax ports, environment lists, commands, deploy.replicas and variables", () => {
    const f = parseComposeText(
      [
        "services:",
        "  web:",
        "    image: web:${TAG:-1}",
        "    build:",
        "      context: ./web/",
        "    ports:",
        "      - target: 80",
        "        published: 8080",
        "      - 9000",
        "    environment: [A=1, B=two]",
        "    command: serve --fast",
        "    deploy:",
        "      replicas: 3",
        "    stop_grace_period: 1m",
      ].join("\n"),
      "/p",
      { TAG: "7" },
    );
    expect(f.services.web).toEqual({
      image: "web:7",
      build: "./web/",
      ports: ["8080:80", "9000"],
      environment: { A: "1", B: "two" },
      command: ["serve", "--fast"],
      scale: 3,
      stop_grace_period: "1m",
    });
    expect(buildKey("./web/")).toBe("web");
    expect(() => parseComposeText("services:\n  a:\n    ports: ['80']\n", "/p")).toThrow(
      'service "a" has neither an image nor a build context specified: invalid compose project',
    );
  });

  it("the experiment's stack file: rng global or replicated, the workers asked for", () => {
    const g = parseComposeText(dockercoinsStackYaml({ workers: 10 }), "/s");
    expect(g.services.worker.scale).toBe(10);
    expect(dockercoinsStackYaml()).toMatch(/rng:\n.*\n.*\n.*8001:80.*\n {4}deploy:\n {6}mode: global\n/);
    expect(dockercoinsStackYaml({ rngMode: { replicas: 2 } })).toMatch(
      / {4}deploy:\n {6}replicas: 2\n {2}hasher:/,
    );
  });
});
