// The layering rule over every package's src/ (the map itself is data in src/lint/layers.ts),
// and the checker fed violations: an upward import, a sibling import, a cross-folder cycle,
// an import around a package's public face, a folder with no place in the map.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkImports,
  crossFolderCycles,
  FOLDER_LAYERS,
  type ImportEdge,
  type ImportGraph,
  importSpecifiers,
  layerViolations,
  readImportGraph,
} from "../src/lint/layers";

const ROOT = resolve(import.meta.dirname, "../../..");
const real = readImportGraph(ROOT);

/** A graph from "file -> imported files" lists (targets are files of the graph unless bare). */
function graph(edges: Record<string, string[]>): ImportGraph {
  const g = new Map<string, ImportEdge[]>();
  for (const [file, targets] of Object.entries(edges)) {
    g.set(
      file,
      targets.map((t) => {
        const named = /^@swarm-sim\/([^/]+)(\/.*)?$/.exec(t);
        if (named)
          return {
            spec: t,
            pkg: named[1],
            target: named[2] ? `${named[1]}${named[2]}` : `${named[1]}/src/index.ts`,
          };
        return { spec: t, target: t };
      }),
    );
    for (const t of targets) if (!t.startsWith("@") && !g.has(t)) g.set(t, []);
  }
  return g;
}

/** The real graph with one more import. */
function withEdge(from: string, to: string): ImportGraph {
  const g = new Map(real);
  g.set(from, [...(g.get(from) ?? []), { spec: to, target: to }]);
  return g;
}

describe("the layering holds in every package", () => {
  it("reads the sources of all five packages", () => {
    const pkgs = new Set([...real.keys()].map((f) => f.split("/")[0]));
    expect([...pkgs].sort()).toEqual(["dockercoins-sim", "raft", "scenarios", "swarm-sim", "swarmkit-sim"]);
    expect(real.get("swarmkit-sim/src/kernel/sim.ts")?.length).toBeGreaterThan(0);
  });

  it("no file imports from a higher layer, a sibling or around a public face, and no cycle spans folders", () => {
    expect(checkImports(real).map((v) => v.message)).toEqual([]);
  });

  it("every swarmkit-sim folder is placed exactly once", () => {
    const placed = FOLDER_LAYERS["swarmkit-sim"].flat();
    expect(new Set(placed).size).toBe(placed.length);
  });
});

describe("the checker, fed violations", () => {
  it("an upward import into the real tree fails, naming both files and the layers", () => {
    const v = layerViolations(
      withEdge("swarmkit-sim/src/kernel/sim.ts", "swarmkit-sim/src/manager/manager.ts"),
    );
    expect(v.map((x) => x.message)).toEqual([
      "swarmkit-sim/src/kernel/sim.ts imports swarmkit-sim/src/manager/manager.ts: kernel/ (layer 0) may not import manager/ (layer 3, higher)",
    ]);
  });

  it("a sibling import fails (the agent and the manager meet only through api/)", () => {
    const v = layerViolations(
      withEdge("swarmkit-sim/src/agent/agent.ts", "swarmkit-sim/src/manager/dispatcher/dispatcher.ts"),
    );
    expect(v).toHaveLength(1);
    expect(v[0].rule).toBe("layer");
    expect(v[0].message).toContain("agent/ (layer 3) may not import manager/ (layer 3, a sibling)");
  });

  it("an import cycle between files of different folders fails, with the cycle spelled out", () => {
    // manager.ts already imports the dispatcher; the dispatcher importing manager.ts closes a loop.
    const g = withEdge(
      "swarmkit-sim/src/manager/dispatcher/dispatcher.ts",
      "swarmkit-sim/src/manager/manager.ts",
    );
    const v = crossFolderCycles(g);
    expect(v).toHaveLength(1);
    expect(v[0].message).toMatch(
      /^import cycle across folders swarmkit-sim\/src\/manager, swarmkit-sim\/src\/manager\/dispatcher: /,
    );
    expect(v[0].message).toContain(
      "swarmkit-sim/src/manager/dispatcher/dispatcher.ts -> swarmkit-sim/src/manager/manager.ts",
    );
  });

  it("a three-file cycle across packages' folders is found; one inside a folder is allowed", () => {
    const g = graph({
      "p/src/a/x.ts": ["p/src/b/y.ts"],
      "p/src/b/y.ts": ["p/src/c/z.ts"],
      "p/src/c/z.ts": ["p/src/a/x.ts"],
      "p/src/d/one.ts": ["p/src/d/two.ts"],
      "p/src/d/two.ts": ["p/src/d/one.ts"],
    });
    expect(crossFolderCycles(g).map((v) => v.message)).toEqual([
      "import cycle across folders p/src/a, p/src/b, p/src/c: p/src/a/x.ts -> p/src/b/y.ts -> p/src/c/z.ts -> p/src/a/x.ts",
    ]);
  });

  it("the kernel's files import one way: a cycle inside kernel/ fails too", () => {
    const g = withEdge("swarmkit-sim/src/kernel/addresses.ts", "swarmkit-sim/src/kernel/sim.ts");
    const v = crossFolderCycles(g);
    expect(v).toHaveLength(1);
    expect(v[0].message).toMatch(
      /^import cycle in swarmkit-sim\/src\/kernel, whose files import one way: swarmkit-sim\/src\/kernel\/addresses.ts -> swarmkit-sim\/src\/kernel\/sim.ts -> swarmkit-sim\/src\/kernel\/addresses.ts$/,
    );
  });

  it("a package imports only lower packages, by name, through the public face", () => {
    const g = graph({
      "raft/src/index.ts": ["@swarm-sim/swarmkit-sim"],
      "dockercoins-sim/src/a.ts": ["@swarm-sim/swarmkit-sim/src/kernel/sim.ts", "@swarm-sim/raft"],
      "scenarios/src/b.ts": ["swarmkit-sim/src/kernel/sim.ts"],
    });
    const v = layerViolations(g);
    expect(v.map((x) => x.rule)).toEqual(["package", "face", "face"]);
    expect(v[0].message).toBe(
      'raft/src/index.ts imports "@swarm-sim/swarmkit-sim": package raft may import only packages below it (none)',
    );
  });

  it("a folder missing from the map fails", () => {
    const v = layerViolations(
      graph({ "swarmkit-sim/src/newthing/a.ts": ["swarmkit-sim/src/kernel/sim.ts"] }),
    );
    expect(v.map((x) => x.rule)).toEqual(["unplaced"]);
    expect(v[0].message).toContain("folder swarmkit-sim/src/newthing has no place in FOLDER_LAYERS");
  });
});

describe("reading imports", () => {
  it("finds static, type-only, multi-line, re-export, side-effect and dynamic imports, not comments", () => {
    const text = [
      'import { a } from "./a";',
      'import type { B } from "../b";',
      "import {",
      "  c,",
      "  type D,",
      '} from "./c/index";',
      'export { e } from "./e";',
      'export * from "./f";',
      'import "./g";',
      'const h = await import("./h");',
      '// import { no } from "./commented";',
      '/* export { no } from "./block"; */',
      'const s = "import { no } from ./string";',
      'export const z = 1; import { y } from "./y";',
    ].join("\n");
    expect(importSpecifiers(text).sort()).toEqual([
      "../b",
      "./a",
      "./c/index",
      "./e",
      "./f",
      "./g",
      "./h",
      "./y",
    ]);
  });
});
