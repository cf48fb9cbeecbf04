// The control plane's key rotation as a student sees it: docker info's default text has no line
// for it, but the cluster object the key manager rewrites every 12 hours of simulated time shows
// through `docker info --format` (UpdatedAt, Version.Index), as on a real swarm.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

const SCRIPT = readFileSync(join(import.meta.dirname, "testdata", "key-rotation.lab"), "utf8");

/** "2026-01-01 12:00:02.5 +0000 UTC" (Go's time.Time.String) as Unix milliseconds. */
function goTimeMs(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) \+0000 UTC$/.exec(text);
  if (!m) throw new Error(`not a Go time: ${JSON.stringify(text)}`);
  return Date.parse(`${m[1]}T${m[2]}Z`);
}

describe("docker info shows the control-plane key rotation", () => {
  it("UpdatedAt moves by 12 hours and Version.Index grows after 13 hours of simulated time", () => {
    const lab = new Lab({ seed: "key-rotation" });
    const { transcript, failures } = lab.runScript(SCRIPT);
    expect(failures).toEqual([]);
    const out = (cmd: string, nth = 0) => {
      const parts = transcript.split(`$ ${cmd}\n`);
      return parts[nth + 1].split("\n")[0];
    };
    const before = goTimeMs(out("docker info --format '{{.Swarm.Cluster.UpdatedAt}}'"));
    const after = goTimeMs(out("docker info --format '{{.Swarm.Cluster.UpdatedAt}}'", 1));
    const moved = after - before;
    expect(moved).toBeGreaterThanOrEqual(12 * 3600_000 - 5_000);
    expect(moved).toBeLessThanOrEqual(12 * 3600_000 + 5_000);
    const indexBefore = Number(out("docker info --format '{{.Swarm.Cluster.Version.Index}}'"));
    const indexAfter = Number(out("docker info --format '{{.Swarm.Cluster.Version.Index}}'", 1));
    expect(indexAfter).toBeGreaterThan(indexBefore);
    // The JSON shows the same store object, in Docker's field order and time format.
    const json = JSON.parse(out("docker info --format '{{json .Swarm.Cluster}}'"));
    expect(Object.keys(json).slice(0, 5)).toEqual(["ID", "Version", "CreatedAt", "UpdatedAt", "Spec"]);
    expect(json.Version.Index).toBe(indexAfter);
    expect(Date.parse(json.UpdatedAt)).toBe(after);
    // The store's cluster object is where these come from.
    const cluster = lab.swarmContext(lab.currentShell()).swarm.manager!.store.cluster()!;
    expect(cluster.version).toBe(indexAfter);
    expect(lab.sim.epochMs + cluster.updatedAt).toBe(after);
  });

  it("leaves the default docker info text without a line for it", () => {
    const lab = new Lab({ seed: "key-rotation" });
    lab.run("docker swarm init");
    const before = lab.run("docker info").stdout;
    lab.run("sleep 13h");
    expect(lab.run("docker info").stdout).toBe(before);
  });
});
