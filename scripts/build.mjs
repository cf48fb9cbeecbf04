// `npm run build` (and `npm ci`, through the root `prepare` script): builds every workspace
// package into its dist/ folder.
//
//   dist/*.js, *.js.map   ES modules bundled per entry point by esbuild, with source maps;
//                         other packages (ours and third-party) stay imports
//   dist/types/**/*.d.ts  declarations and declaration maps from tsc (project references)
//   dist/<name>-files/    every folder of src/ whose name ends in "-files" (files a module reads
//                         at run time with `new URL("./<name>-files/...", import.meta.url)`:
//                         DockerCoins' page and the cloned repository's sources), copied as is
//
// Why a bundler for the JavaScript: the sources import each other without file extensions
// (TypeScript's "bundler" resolution), which Node's ES module loader does not accept, and tsc
// never adds extensions. esbuild resolves them as the tests and tsx do, takes a fraction of a
// second, and bundling a command into a few files is what makes the CLI start fast. tsc still
// writes the declarations (esbuild writes none); their extensionless relative imports are
// given the `.js` Node needs, so they also work under `moduleResolution: nodenext`.
//
// A package's entry points are read from its package.json `exports`: each subpath whose
// `swarm-sim-source` condition names a file under src/ and whose `default` names dist/<name>.js
// is built from that file. Nothing here lists source files.
//
//   node scripts/build.mjs         everything
//   node scripts/build.mjs --js    the JavaScript only (what `npm start` refreshes)
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import * as esbuild from "esbuild";
import ts from "typescript";

const ROOT = resolve(import.meta.dirname, "..");
const SOURCE_CONDITION = "swarm-sim-source";
const require = createRequire(import.meta.url);

/** The workspace packages, from the root package.json. */
function workspacePackages() {
  const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  return root.workspaces.map((dir) => {
    const abs = join(ROOT, dir);
    return { dir: abs, manifest: JSON.parse(readFileSync(join(abs, "package.json"), "utf8")) };
  });
}

/** esbuild entry points ({ out name: source file }) from a package's `exports`. */
function entryPoints(pkg) {
  const entries = {};
  for (const [subpath, target] of Object.entries(pkg.manifest.exports ?? {})) {
    if (typeof target !== "object" || target === null) continue;
    const source = target[SOURCE_CONDITION];
    const out = /^\.\/dist\/([^/]+)\.js$/.exec(target.default ?? "");
    if (typeof source !== "string" || !out) {
      if (source !== undefined || target.default !== undefined)
        throw new Error(
          `${pkg.manifest.name}: exports["${subpath}"] must name "${SOURCE_CONDITION}": "./src/..." and "default": "./dist/<name>.js"`,
        );
      continue;
    }
    entries[out[1]] = join(pkg.dir, source);
  }
  return entries;
}

/** Removes what an earlier esbuild run left in dist/ (chunk names change), keeping dist/types. */
function cleanJs(pkg) {
  const dist = join(pkg.dir, "dist");
  if (!existsSync(dist)) return;
  for (const name of readdirSync(dist)) if (name !== "types") rmSync(join(dist, name), { recursive: true });
}

async function buildJs(pkg) {
  const entries = entryPoints(pkg);
  if (Object.keys(entries).length === 0) return 0;
  cleanJs(pkg);
  const result = await esbuild.build({
    absWorkingDir: pkg.dir,
    entryPoints: entries,
    outdir: join(pkg.dir, "dist"),
    bundle: true,
    // Shared code goes to chunks beside the entries: everything in one folder, so a file's
    // `new URL("./x.js", import.meta.url)` means the same from any chunk it ends up in.
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: true,
    // No keepNames: it wraps every function and class expression in a call that redefines its
    // `name`, so each closure the simulator creates in its hot paths (handlers, callbacks)
    // costs a call and a property descriptor: about 4 % of a quorum sweep's allocations;
    // without it the sweep took about 6 % less CPU time on 1 and on 2 threads alike (two runs
    // each on a busy machine), with the same results and trace hashes.
    // Declared names stay; only a name that collides with another module's in the bundle gets
    // a suffix (`join2`) in stack traces, which the source maps map back.
    keepNames: false,
    logLevel: "warning",
    metafile: true,
  });
  copyAssets(pkg);
  return Object.keys(result.metafile.outputs).filter((f) => f.endsWith(".js")).length;
}

/**
 * Copies the package's "-files" folders (see the header) next to the bundles: every bundle and
 * chunk sits directly in dist/, so `new URL("./x-files/...", import.meta.url)` finds them from
 * any of them, as it finds them beside the source module in src/.
 */
function copyAssets(pkg) {
  const src = join(pkg.dir, "src");
  if (!existsSync(src)) return;
  const seen = new Map();
  const visit = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (!statSync(path).isDirectory()) continue;
      if (!name.endsWith("-files")) {
        visit(path);
        continue;
      }
      if (seen.has(name))
        throw new Error(`${pkg.manifest.name}: two asset folders named ${name} (${seen.get(name)}, ${path})`);
      seen.set(name, path);
      cpSync(path, join(pkg.dir, "dist", name), { recursive: true });
    }
  };
  visit(src);
}

function buildTypes(packages) {
  const configs = packages
    .map((p) => join(p.dir, "tsconfig.build.json"))
    .filter((f) => existsSync(f))
    .map((f) => relative(ROOT, f));
  const tsc = require.resolve("typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-b", ...configs], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`tsc -b failed (exit ${r.status ?? r.signal})`);
  let files = 0;
  for (const p of packages) {
    const dir = join(p.dir, "dist", "types");
    if (existsSync(dir)) files += addDeclarationExtensions(dir);
  }
  return files;
}

/**
 * Rewrites the relative module specifiers of every .d.ts under `dir` that have no extension:
 * "./x" becomes "./x.js" (x.d.ts exists) or "./x/index.js" (a folder). Node-style resolution
 * (`nodenext`) needs them; `bundler` resolution accepts both. Returns the files rewritten.
 */
function addDeclarationExtensions(dir) {
  let rewritten = 0;
  for (const file of walk(dir)) {
    if (!file.endsWith(".d.ts")) continue;
    const text = readFileSync(file, "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
    const edits = [];
    const visit = (node) => {
      let spec;
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier)
        spec = node.moduleSpecifier;
      else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) spec = node.argument.literal;
      if (spec && ts.isStringLiteral(spec)) {
        const replacement = withExtension(dirname(file), spec.text);
        if (replacement !== spec.text)
          edits.push({ start: spec.getStart(source) + 1, end: spec.getEnd() - 1, text: replacement });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    if (edits.length === 0) continue;
    let out = text;
    for (const e of edits.sort((a, b) => b.start - a.start))
      out = out.slice(0, e.start) + e.text + out.slice(e.end);
    writeFileSync(file, out);
    rewritten++;
  }
  return rewritten;
}

function withExtension(fromDir, spec) {
  if (!spec.startsWith("./") && !spec.startsWith("../")) return spec;
  if (/\.(js|mjs|cjs|json)$/.test(spec)) return spec;
  if (existsSync(join(fromDir, `${spec}.d.ts`))) return `${spec}.js`;
  if (existsSync(join(fromDir, spec, "index.d.ts"))) return `${spec.replace(/\/$/, "")}/index.js`;
  throw new Error(`cannot resolve "${spec}" from ${relative(ROOT, fromDir)}`);
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

const jsOnly = process.argv.includes("--js");
const packages = workspacePackages();
const outputs = await Promise.all(packages.map(buildJs));
console.log(`build: ${packages.map((p, i) => `${p.manifest.name} (${outputs[i]} js)`).join(", ")}`);
if (!jsOnly) console.log(`build: declarations written, ${buildTypes(packages)} files given .js specifiers`);
