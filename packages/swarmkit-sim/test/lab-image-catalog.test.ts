// Images outside the lab's simulated registry: Docker's own words (the daemon's digest warning
// at service create, the pull error of docker run), then a [lab] line naming what the lab does
// simulate, so that "repository does not exist" is not read as a fact about postgres.
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

function lab() {
  const l = new Lab({ seed: 5, services: true });
  expect(l.run("docker swarm init").exitCode).toBe(0);
  return l;
}

const WARNING = (image: string) =>
  `image ${image} could not be accessed on a registry to record\nits digest. Each node will access ${image} independently,\npossibly leading to different nodes running different\nversions of the image.\n\n`;

describe("images the lab does not simulate", () => {
  it("service create: the daemon's digest warning, the lab's note, and the service is created", () => {
    const l = lab();
    const r = l.run("docker service create -d --name pg postgres");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^[a-z0-9]{25}\n$/);
    expect(r.stderr.startsWith(WARNING("postgres:latest"))).toBe(true);
    expect(r.stderr).toMatch(
      /^\[lab\] postgres:latest is not one of the lab's simulated images: .*\bnginx\b/m,
    );
  });

  it("no warning for a simulated image, nor with --no-resolve-image; update warns only when --image changes", () => {
    const l = lab();
    expect(l.run("docker service create -d --name web nginx").stderr).toBe("");
    expect(l.run("docker service create -d --no-resolve-image --name pg postgres").stderr).toBe("");
    expect(l.run("docker service update -d --replicas 2 pg").stderr).toBe("");
    const u = l.run("docker service update -d --image nginx:1.99 web");
    expect(u.stdout).toBe("web\n");
    expect(u.stderr.startsWith(WARNING("nginx:1.99"))).toBe(true);
    expect(l.run("docker service update -d --image nginx web").stderr).toBe("");
  });

  it("docker run: Docker's pull error, then the lab's note", () => {
    const l = lab();
    const r = l.run("docker run -d postgres");
    expect(r.exitCode).toBe(125);
    const lines = r.stderr.trim().split("\n");
    expect(lines[1]).toMatch(/^docker: Error response from daemon: pull access denied for postgres, /);
    expect(lines.at(-1)).toMatch(
      /^\[lab\] postgres:latest is not one of the lab's simulated images: .*\balpine\b/,
    );
  });
});
