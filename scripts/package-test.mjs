// The packaging test (`npm run test:package`; .ci/run runs it after `npm test`): what a test
// author outside this repository gets. It packs the workspace's packages, installs the tarballs
// into a fresh project with no workspace (our packages from the tarballs, everything else from
// the npm registry, tsx nowhere), and there
//   (a) runs `npx swarm-sim run swarm-init --json` (and a sweep on two threads, which loads the
//       built worker, and a lab script that runs DockerCoins, which reads the package's data
//       files), and times `npx swarm-sim --help`;
//   (b) runs the README's property-test example with vitest, extracted from README.md as it
//       stands (the block after the `readme-example` marker);
//   (c) type-checks, with `tsc --noEmit` under `moduleResolution: nodenext` and `bundler`, a file
//       that uses the public API against the shipped declarations.
// It also checks what each tarball holds. Exits non-zero on the first failure, keeping the
// temporary project for a look (its path is printed).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { consumerManifest, tarballsIn } from "./consumer-project.mjs";
import { readmeExample } from "./readme-example.mjs";

const ROOT = resolve(import.meta.dirname, "..");
const rootManifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const swarmkitManifest = JSON.parse(readFileSync(join(ROOT, "packages/swarmkit-sim/package.json"), "utf8"));

const work = mkdtempSync(join(tmpdir(), "swarm-sim-package-"));
const packs = join(work, "project");
mkdirSync(packs);
let step = "";

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: packs, encoding: "utf8", ...opts });
  if (r.status !== 0) {
    throw new Error(
      `${step}: \`${cmd} ${args.join(" ")}\` exited ${r.status ?? r.signal}\n${r.stdout ?? ""}${r.stderr ?? ""}`,
    );
  }
  return r.stdout;
}

/**
 * Starts `swarm-sim lab --speed 20 --web-port P` in the consumer project with its input open,
 * fetches the studio's page, script and xterm.js once it announces its URL, then ends the input
 * (the lab ends with it).
 */
async function studioPages(cwd) {
  const lab = spawn(
    process.execPath,
    [
      join(cwd, "node_modules/swarm-sim/bin/swarm-sim.mjs"),
      "lab",
      "--speed",
      "20",
      "--no-ports",
      "--web-port",
      "17311",
    ],
    { cwd, stdio: ["pipe", "pipe", "pipe"] },
  );
  let out = "";
  lab.stderr.on("data", (d) => (out += d));
  const url = await new Promise((resolveUrl) => {
    lab.stdout.on("data", (d) => {
      out += d;
      const m = /The studio [^\n]*: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolveUrl(m[1]);
    });
    lab.on("exit", () => resolveUrl(null));
  });
  const got = [];
  if (url)
    for (const path of ["", "studio.js", "vendor/xterm.mjs"]) {
      const res = await fetch(url + path).catch((e) => ({ status: String(e) }));
      got.push(`${path || "/"} ${res.status}`);
    }
  lab.stdin.end("docker swarm init\n");
  const code = await new Promise((r) => (lab.exitCode !== null ? r(lab.exitCode) : lab.on("exit", r)));
  const ok = url !== null && got.every((g) => g.endsWith(" 200")) && code === 0;
  return { ok, detail: `studio ${url}: ${got.join(", ")}; exit ${code}\n${out}` };
}

function check(ok, message) {
  if (!ok) throw new Error(`${step}: ${message}`);
}

const PUBLIC_API_FILE = `// Uses the public API as a test author would; tsc checks it against the shipped declarations.
import fc from "fast-check";
import {
  applyFaults,
  buildSwarm,
  type FaultAction,
  faultScheduleArb,
  fcParams,
  findScenario,
  healAll,
  Lab,
  type ScenarioResult,
  Sim,
  swarmkit,
} from "swarm-sim";

const sim = new Sim({ seed: 7 });
const swarm = buildSwarm(sim, { managers: 3, workers: 2 });
const now: number = sim.now();
const leader: string | undefined = swarm.leader()?.machine.name;
const faults: fc.Arbitrary<FaultAction[]> = faultScheduleArb({ machines: ["manager1"], horizonMs: 1000 });
applyFaults(sim, [{ at: 0, kind: "crash", machine: "manager2" }]);
healAll(sim);
const params: fc.Parameters<unknown> = fcParams(5);
const lab = new Lab({ seed: 1 });
const out: string = lab.run("docker swarm init").stdout;
const result: ScenarioResult | undefined = findScenario("swarm-init")?.run(1);
const verdict: "holds" | "fails" | undefined = result?.verdict;
const sameSim: typeof Sim = swarmkit.Sim;
// The declarations are real types, not \`any\`: these must be errors.
// @ts-expect-error Sim.now takes no argument and returns a number
const wrong: string = sim.now(1);
// @ts-expect-error there is no such export
import { noSuchExport } from "swarm-sim";
export { now, leader, faults, params, out, verdict, sameSim, wrong, noSuchExport };
`;

/**
 * A consumer's tsconfig. Under `bundler` every declaration file is checked (skipLibCheck off).
 * Under `nodenext` with skipLibCheck on, as `tsc --init` sets it: eventemitter3's own types
 * (CommonJS `export =`) do not type-check as an ES module's default import there, which our
 * MemoryStore's `events` declaration uses; a broken specifier in our declarations still fails
 * this check (the names it exports go missing and the @ts-expect-error lines go unused).
 */
function tsconfig(moduleResolution) {
  return JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      module: moduleResolution === "nodenext" ? "nodenext" : "esnext",
      moduleResolution,
      strict: true,
      noEmit: true,
      skipLibCheck: moduleResolution === "nodenext",
      types: ["node"],
      lib: ["ES2023"],
    },
    files: ["public-api.ts"],
  });
}

const started = performance.now(); // wall-clock: reports how long the test took
try {
  step = "build";
  run(process.execPath, [join(ROOT, "scripts/build.mjs")], { cwd: ROOT });

  step = "npm pack";
  const packed = JSON.parse(
    run("npm", ["pack", "--workspaces", "--json", "--pack-destination", packs], { cwd: ROOT }),
  );
  const names = packed.map((p) => p.name).sort();
  check(
    JSON.stringify(names) ===
      JSON.stringify([
        "@swarm-sim/dockercoins-sim",
        "@swarm-sim/raft",
        "@swarm-sim/scenarios",
        "@swarm-sim/swarmkit-sim",
        "swarm-sim",
      ]),
    `packed ${names.join(", ")}`,
  );
  for (const p of packed) {
    const files = new Set(p.files.map((f) => f.path));
    const manifest = JSON.parse(
      readFileSync(join(ROOT, "packages", p.name.replace("@swarm-sim/", ""), "package.json"), "utf8"),
    );
    check(/^0\.\d+\.\d+$/.test(p.version), `${p.name}: version ${p.version} is not 0.x`);
    for (const f of [
      "package.json",
      "README.md",
      "LICENSE",
      "dist/index.js",
      "dist/index.js.map",
      "dist/types/index.d.ts",
    ])
      check(files.has(f), `${p.name}: the tarball has no ${f}`);
    check(
      ![...files].some((f) => f.startsWith("test/") || f.includes("tsbuildinfo")),
      `${p.name}: ships tests or build info`,
    );
    check(manifest.private !== true, `${p.name} is private`);
    check(
      manifest.exports["."].types === "./dist/types/index.d.ts",
      `${p.name}: exports["."] carries no types`,
    );
    check(!manifest.dependencies?.tsx, `${p.name} depends on tsx`);
  }
  console.log(
    `package-test: packed ${packed.map((p) => `${p.filename} (${Math.round(p.size / 1024)} KiB)`).join(", ")}`,
  );

  step = "npm install";
  const dev = {
    vitest: rootManifest.devDependencies.vitest,
    typescript: rootManifest.devDependencies.typescript,
    "@types/node": rootManifest.devDependencies["@types/node"],
    "fast-check": swarmkitManifest.dependencies["fast-check"],
  };
  writeFileSync(join(packs, "package.json"), JSON.stringify(consumerManifest(packs, dev), null, 2));
  check(Object.keys(tarballsIn(packs)).length === 5, "expected 5 tarballs");
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"]);
  check(!existsSync(join(packs, "node_modules/tsx")), "tsx was installed");
  for (const name of Object.keys(tarballsIn(packs)))
    check(!existsSync(join(packs, "node_modules", name, "test")), `${name}'s tests were installed`);

  step = "(a) npx swarm-sim run swarm-init --json";
  const r = JSON.parse(run("npx", ["--no-install", "swarm-sim", "run", "swarm-init", "--json"]));
  check(
    r.scenario === "swarm-init" && r.verdict === "holds" && /^[0-9a-f]{64}$/.test(r.traceHash),
    JSON.stringify(r),
  );
  // With a V8 option on node's command line, which worker threads must not be handed.
  step = "(a) a sweep on two threads (the built worker)";
  const q = JSON.parse(
    run(process.execPath, [
      "--max-old-space-size=2048",
      join(packs, "node_modules/swarm-sim/bin/swarm-sim.mjs"),
      "experiment",
      "quorum",
      "--managers",
      "1,3",
      "--seeds",
      "1",
      "--threads",
      "2",
      "--json",
    ]),
  );
  check(
    q.rows.length === 6 &&
      q.rows.every(
        (row) => row.writesAccepted === (row.failed <= Math.floor((row.managers - 1) / 2) ? 1 : 0),
      ),
    JSON.stringify(q),
  );
  // DockerCoins' files (the cloned repository's sources, the web UI's page) are read at run
  // time from the installed package: they must be in the tarball, beside the bundles.
  step = "(a) a lab script: clone, compose up, the web UI's page";
  writeFileSync(
    join(packs, "dockercoins.lab"),
    [
      "git clone https://github.com/jpetazzo/container.training",
      "cd container.training/dockercoins",
      "cat worker/worker.py | grep -c import",
      "docker compose up -d",
      "sleep 5",
      "curl -s localhost:8000/index.html | grep -c DockerCoin",
      "",
    ].join("\n"),
  );
  const labOut = run("npx", ["--no-install", "swarm-sim", "lab", "--script", "dockercoins.lab"]);
  check(
    /Container dockercoins-webui-1 +Started/.test(labOut) &&
      !/No such file|ENOENT|internal error/.test(labOut),
    labOut,
  );
  // The studio's page is read at run time from the installed package (studio-files/, beside
  // the bundles) and xterm.js from its dependency: a live lab on piped input with --speed and
  // --web-port serves them until its input ends.
  step = "(a) a live lab serving the studio";
  const studio = await studioPages(packs);
  check(studio.ok, studio.detail);
  step = "(a) swarm-sim --help";
  const t0 = performance.now(); // wall-clock: start-up time, reported only
  run(process.execPath, [join(packs, "node_modules/swarm-sim/bin/swarm-sim.mjs"), "--help"]);
  const helpMs = performance.now() - t0; // wall-clock: start-up time, reported only
  console.log(
    `package-test: (a) run swarm-init holds (trace ${r.traceHash.slice(0, 12)}…), quorum sweep on 2 threads, DockerCoins in the lab, the studio served, --help in ${Math.round(helpMs)} ms`,
  );

  step = "(b) the README's property test with vitest";
  mkdirSync(join(packs, "test"));
  writeFileSync(
    join(packs, "test/readme-example.test.ts"),
    readmeExample(readFileSync(join(ROOT, "README.md"), "utf8")),
  );
  const vitestOut = run("npx", ["--no-install", "vitest", "run", "--reporter=verbose"]);
  check(/1 passed/.test(vitestOut), `vitest did not pass one test:\n${vitestOut}`);
  console.log("package-test: (b) the README example passes under vitest");

  step = "(c) tsc --noEmit on the public API";
  writeFileSync(join(packs, "public-api.ts"), PUBLIC_API_FILE);
  for (const resolution of ["nodenext", "bundler"]) {
    writeFileSync(join(packs, "tsconfig.json"), tsconfig(resolution));
    run("npx", ["--no-install", "tsc", "-p", "tsconfig.json"]);
  }
  console.log("package-test: (c) the public API type-checks against the declarations (nodenext, bundler)");

  rmSync(work, { recursive: true, force: true });
  console.log(`package-test: passed in ${((performance.now() - started) / 1000).toFixed(0)} s`); // wall-clock: report
} catch (e) {
  console.error(`package-test: FAILED at ${e.message}\n(the project is kept in ${packs})`);
  process.exit(1);
}
