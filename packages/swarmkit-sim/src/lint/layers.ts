// The map of the code as a rule: which package and which folder may import which. Read bottom
// to top; a file may import from its own folder and from folders of LOWER layers only. Folders
// in one layer are siblings and do not import each other either (the manager and the agent
// meet only on the wire, through api/). Between files of different folders no import cycle is
// allowed (a cycle inside one folder, e.g. raft's step-* files, is the folder's own business).
// Type-only imports count: a lower layer that names a higher layer's types depends on it.
//
// Packages: raft < swarmkit-sim < dockercoins-sim < scenarios < swarm-sim (the one users install:
// the bin and the public API re-exported), each imported by the others
// through its public face (`@swarm-sim/<name>`, its src/index.ts) only.
//
// Inside swarmkit-sim (src/<folder>/...), bottom to top:
//   kernel, api, testing, lint   the simulated world (clock, network, machines, disks, trace,
//                                faults); what more than one side of the wire speaks (store
//                                objects, method names, dispatcher and CA messages, host:port
//                                addresses); fast-check conventions; the rules' own checkers
//   ca, cli                      the CA library (certificates, tokens, keys, the cluster PKI
//                                over api's Cluster); the docker CLI as pure text (grammar,
//                                shell, formatters)
//   transport, engine            RPC between machines with mutual TLS (ca checks the chains);
//                                a Docker engine per machine (containers, networks, HTTP)
//   manager, agent               the two ends of the control plane: they speak through api/
//                                and never import each other
//   node, network                a machine's swarm component (runs the agent, and the manager
//                                on managers); overlay DNS, VIPs and the routing mesh (executor
//                                and leader components plugged into the node)
//   swarm, attack                wiring: attachSwarmNode, buildSwarm; an attacker's toolbox
//                                (a rogue machine, stolen identities, a fake manager)
//   docker                       the docker command handlers (container, swarm, node, service,
//                                stack, network, compose)
//   lab                          the interactive lab
//   .                            src/index.ts, the package's public face
import { readdirSync, readFileSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";

/** The packages, bottom to top (npm workspace folder names under packages/). */
export const PACKAGE_LAYERS: readonly string[] = [
  "raft",
  "swarmkit-sim",
  "dockercoins-sim",
  "scenarios",
  "swarm-sim",
];

/** Folder layers inside a package's src/, bottom to top; "." holds the files directly in src/. */
export const FOLDER_LAYERS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  "swarmkit-sim": [
    ["kernel", "api", "testing", "lint"],
    ["ca", "cli"],
    ["transport", "engine"],
    ["manager", "agent"],
    ["node", "network"],
    ["swarm", "attack"],
    ["docker"],
    ["lab"],
    ["."],
  ],
};

/**
 * Directories whose files import one way even among themselves: the kernel (event-queue,
 * random, trace, disk, links, addresses, cpu < network < machine < sim < faults).
 */
export const ACYCLIC_DIRS: readonly string[] = ["swarmkit-sim/src/kernel"];

/** One import statement of a file, resolved. */
export interface ImportEdge {
  /** The file imported, relative to packages/ ("swarmkit-sim/src/kernel/sim.ts"), or null for a bare module. */
  target: string | null;
  /** The specifier as written. */
  spec: string;
  /** The package a `@swarm-sim/...` specifier names. */
  pkg?: string;
}

/** Files (relative to packages/, "/"-separated) and what each imports. */
export type ImportGraph = ReadonlyMap<string, readonly ImportEdge[]>;

/** What a file's location says: its package and its folder (first directory under src/). */
export function placeOf(file: string): { pkg: string; folder: string; dir: string } {
  const parts = file.split("/");
  const inSrc = parts[1] === "src";
  return {
    pkg: parts[0],
    folder: inSrc && parts.length > 3 ? parts[2] : ".",
    dir: parts.slice(0, -1).join("/"),
  };
}

// ---------------------------------------------------------------- reading the sources

/** The module specifiers a TypeScript file imports or re-exports (static and dynamic). */
export function importSpecifiers(text: string): string[] {
  const code = stripComments(text);
  const out: string[] = [];
  const patterns = [
    /(?:^|[;}\n])\s*(?:import|export)\s[^;'"`]*?\sfrom\s*(['"])([^'"]+)\1/g,
    /(?:^|[;}\n])\s*import\s*(['"])([^'"]+)\1/g,
    /\bimport\(\s*(['"])([^'"]+)\1\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[2]);
  return out;
}

/** Blanks out comments, leaving strings and template literals alone. */
function stripComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
      out += " ";
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Reads every packages/<name>/src/**\/*.ts under `root` into an import graph. */
export function readImportGraph(root: string): ImportGraph {
  const packagesDir = join(root, "packages");
  const files = new Map<string, string>();
  for (const pkg of readdirSync(packagesDir)) {
    const src = join(packagesDir, pkg, "src");
    let entries: string[];
    try {
      entries = readdirSync(src, { recursive: true }) as string[];
    } catch {
      continue;
    }
    for (const e of entries)
      if (e.endsWith(".ts")) {
        const abs = join(src, e);
        files.set(relative(packagesDir, abs).split(sep).join("/"), readFileSync(abs, "utf8"));
      }
  }
  const graph = new Map<string, ImportEdge[]>();
  for (const [file, text] of files) {
    graph.set(
      file,
      importSpecifiers(text).map((spec) => resolveSpecifier(file, spec, (f) => files.has(f))),
    );
  }
  return graph;
}

/** Where a specifier leads: a relative file (.ts or /index.ts), a package's face, or a bare module. */
export function resolveSpecifier(from: string, spec: string, exists: (file: string) => boolean): ImportEdge {
  const named = /^@swarm-sim\/([^/]+)(\/.*)?$/.exec(spec);
  if (named) {
    const face = `${named[1]}/src/index.ts`;
    return { spec, pkg: named[1], target: named[2] ? `${named[1]}${named[2]}` : face };
  }
  if (!spec.startsWith(".")) return { spec, target: null };
  const base = posix.normalize(posix.join(posix.dirname(from), spec));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`])
    if (exists(candidate)) return { spec, target: candidate };
  return { spec, target: `${base}.ts` };
}

// ---------------------------------------------------------------- the rules

export interface Violation {
  rule: "package" | "face" | "layer" | "unplaced" | "cycle";
  files: string[];
  message: string;
}

function layerIndex(pkg: string, folder: string): number | undefined {
  const layers = FOLDER_LAYERS[pkg];
  if (!layers) return undefined;
  const i = layers.findIndex((l) => l.includes(folder));
  return i < 0 ? undefined : i;
}

/** Every import that goes up (or sideways) a package or folder layer, or around a public face. */
export function layerViolations(graph: ImportGraph): Violation[] {
  const out: Violation[] = [];
  const unplaced = new Set<string>();
  for (const [file, edges] of graph) {
    const from = placeOf(file);
    const fromPkgLayer = PACKAGE_LAYERS.indexOf(from.pkg);
    const fromLayer = layerIndex(from.pkg, from.folder);
    if (FOLDER_LAYERS[from.pkg] && fromLayer === undefined && !unplaced.has(`${from.pkg}/${from.folder}`)) {
      unplaced.add(`${from.pkg}/${from.folder}`);
      out.push({
        rule: "unplaced",
        files: [file],
        message: `${file}: folder ${from.pkg}/src/${from.folder} has no place in FOLDER_LAYERS (src/lint/layers.ts)`,
      });
    }
    for (const e of edges) {
      if (e.target === null) continue;
      const to = placeOf(e.target);
      if (e.pkg !== undefined && e.target !== `${e.pkg}/src/index.ts`) {
        out.push({
          rule: "face",
          files: [file, e.target],
          message: `${file} imports "${e.spec}": another package is imported through its public face only ("@swarm-sim/${e.pkg}")`,
        });
        continue;
      }
      if (to.pkg !== from.pkg) {
        const toPkgLayer = PACKAGE_LAYERS.indexOf(to.pkg);
        if (e.pkg === undefined)
          out.push({
            rule: "face",
            files: [file, e.target],
            message: `${file} imports "${e.spec}": files of package ${to.pkg} are reached through "@swarm-sim/${to.pkg}" only`,
          });
        else if (!(toPkgLayer >= 0 && toPkgLayer < fromPkgLayer))
          out.push({
            rule: "package",
            files: [file, e.target],
            message: `${file} imports "${e.spec}": package ${from.pkg} may import only packages below it (${PACKAGE_LAYERS.slice(0, Math.max(0, fromPkgLayer)).join(", ") || "none"})`,
          });
        continue;
      }
      if (to.folder === from.folder || fromLayer === undefined) continue;
      const toLayer = layerIndex(to.pkg, to.folder);
      if (toLayer === undefined) continue; // reported once as unplaced, from its own files
      if (toLayer >= fromLayer)
        out.push({
          rule: "layer",
          files: [file, e.target],
          message: `${file} imports ${e.target}: ${from.folder}/ (layer ${fromLayer}) may not import ${to.folder}/ (layer ${toLayer}${toLayer === fromLayer ? ", a sibling" : ", higher"})`,
        });
    }
  }
  return out;
}

/**
 * Import cycles that span more than one directory (or lie in a directory of ACYCLIC_DIRS): each
 * strongly connected component of the file graph whose files do not all sit in one directory,
 * with one cycle through it spelled out.
 */
export function crossFolderCycles(graph: ImportGraph): Violation[] {
  const out: Violation[] = [];
  for (const scc of stronglyConnected(graph)) {
    const dirs = [...new Set(scc.map((f) => placeOf(f).dir))].sort();
    const cycle = oneCycle(graph, new Set(scc)).join(" -> ");
    if (dirs.length > 1)
      out.push({
        rule: "cycle",
        files: scc,
        message: `import cycle across folders ${dirs.join(", ")}: ${cycle}`,
      });
    else if (ACYCLIC_DIRS.includes(dirs[0]))
      out.push({
        rule: "cycle",
        files: scc,
        message: `import cycle in ${dirs[0]}, whose files import one way: ${cycle}`,
      });
  }
  return out;
}

/** Both rules. */
export function checkImports(graph: ImportGraph): Violation[] {
  return [...layerViolations(graph), ...crossFolderCycles(graph)];
}

function targets(graph: ImportGraph, file: string): string[] {
  return (graph.get(file) ?? []).map((e) => e.target).filter((t): t is string => t !== null && graph.has(t));
}

/** Tarjan's algorithm, iteratively (a deep import chain must not overflow the stack). */
function stronglyConnected(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  for (const root of [...graph.keys()].sort()) {
    if (index.has(root)) continue;
    const work: { file: string; edges: string[]; i: number }[] = [];
    const open = (file: string) => {
      index.set(file, next);
      low.set(file, next++);
      stack.push(file);
      onStack.add(file);
      work.push({ file, edges: targets(graph, file), i: 0 });
    };
    open(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      if (top.i < top.edges.length) {
        const t = top.edges[top.i++];
        if (!index.has(t)) open(t);
        else if (onStack.has(t)) low.set(top.file, Math.min(low.get(top.file)!, index.get(t)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].file;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.file)!));
      }
      if (low.get(top.file) === index.get(top.file)) {
        const scc: string[] = [];
        let f: string;
        do {
          f = stack.pop()!;
          onStack.delete(f);
          scc.push(f);
        } while (f !== top.file);
        if (scc.length > 1) out.push(scc.sort());
      }
    }
  }
  return out;
}

/** A shortest cycle through the first file of a component, staying inside it (breadth first). */
function oneCycle(graph: ImportGraph, scc: Set<string>): string[] {
  const start = [...scc].sort()[0];
  const prev = new Map<string, string>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const f = queue[q];
    for (const t of targets(graph, f)) {
      if (!scc.has(t)) continue;
      if (t === start) {
        const path = [start];
        for (let x = f; x !== start; x = prev.get(x)!) path.splice(1, 0, x);
        return [...path, start];
      }
      if (!prev.has(t)) {
        prev.set(t, f);
        queue.push(t);
      }
    }
  }
  return [start];
}

// ---------------------------------------------------------------- the picture

/** "package/folder -> folders it imports", one line per folder, for reports and READMEs. */
export function importPicture(graph: ImportGraph, pkg: string): string[] {
  const uses = new Map<string, Set<string>>();
  for (const [file, edges] of graph) {
    const from = placeOf(file);
    if (from.pkg !== pkg) continue;
    const set = uses.get(from.folder) ?? new Set<string>();
    uses.set(from.folder, set);
    for (const e of edges) {
      if (e.target === null) continue;
      const to = placeOf(e.target);
      const name = to.pkg === pkg ? to.folder : `@swarm-sim/${to.pkg}`;
      if (name !== from.folder) set.add(name);
    }
  }
  const order = (f: string) => layerIndex(pkg, f) ?? 99;
  return [...uses.keys()]
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
    .map((f) => {
      const list = [...uses.get(f)!].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
      return `${f} -> ${list.join(", ") || "(nothing)"}`;
    });
}
