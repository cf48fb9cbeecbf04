// The grammar against what the real Docker CLI 28.2.2 printed for ~2000 argument vectors
// (test/cli-fixtures/docker-28.2.2.json, made by capture-docker.ts): help texts, usage errors,
// flag value errors and exit codes must match byte for byte, and every vector Docker accepted
// must parse into a command.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommandVector } from "../src/cli/grammar/index";
import type { ParseOptions, ParseOutcome } from "../src/cli/grammar/parser";

interface GoldenCase {
  args: string[];
  parsed: boolean;
  stdout: string;
  stderr: string;
  exitCode: number;
}

const GOLDEN: GoldenCase[] = JSON.parse(
  readFileSync(join(import.meta.dirname, "cli-fixtures", "docker-28.2.2.json"), "utf8"),
);

/**
 * Checks the CLI makes in its command code rather than its argument parsing: they need the
 * daemon or the file system, so the grammar accepts these vectors and the handler reports them.
 */
const LEFT_TO_HANDLERS: RegExp[] = [
  /^invalid key\/value pair format in driver options/, // network connect --driver-opt
  /^every ip-range or gateway must have a corresponding subnet/, // network create
  /^invalid subnet: /, // network create
  /Are you sure you want to continue\? \[y\/N\] $/, // network prune asks, and reads "no" from an empty stdin
  /^open .*: no such file or directory/, // stack deploy/config read the compose files
  /: invalid replicas value /, // service scale reports bad values one by one (parseScaleArgs)
];

/** Lines pflag prints while parsing ("Flag --time has been deprecated, ..."). */
function parseNotes(c: GoldenCase): string {
  return (c.stdout + c.stderr)
    .split("\n")
    .filter((l) => l.startsWith("Flag "))
    .map((l) => `${l}\n`)
    .join("");
}

/** Why an outcome differs from the golden, or "" when it matches. */
export function compareWithGolden(c: GoldenCase, r: ParseOutcome): string {
  if (c.parsed || LEFT_TO_HANDLERS.some((re) => re.test(c.stdout + c.stderr))) {
    if (r.kind !== "command") return `Docker accepted it, the grammar said: ${r.stderr}`;
    const notes = r.notes.map((n) => n.text).join("");
    if (c.parsed && notes !== parseNotes(c))
      return `notes ${JSON.stringify(notes)} != ${JSON.stringify(parseNotes(c))}`;
    return "";
  }
  if (r.kind === "command") return `Docker refused it (${JSON.stringify(c.stderr)}), the grammar accepted it`;
  const diffs: string[] = [];
  if (r.exitCode !== c.exitCode) diffs.push(`exit ${r.exitCode} != ${c.exitCode}`);
  if (r.stdout !== c.stdout) diffs.push(`stdout:\n${r.stdout}\n--- want:\n${c.stdout}`);
  if (r.stderr !== c.stderr) diffs.push(`stderr:\n${r.stderr}\n--- want:\n${c.stderr}`);
  return diffs.join("\n");
}

// The machine that recorded the goldens had no Compose plugin, so `docker --help` lacks it.
const OPTIONS: ParseOptions = { composePlugin: false };

function mismatches(options: ParseOptions): string[] {
  const out: string[] = [];
  for (const c of GOLDEN) {
    const why = compareWithGolden(c, parseCommandVector(["docker", ...c.args], options));
    if (why) out.push(`docker ${c.args.join(" ")}\n${why}`);
  }
  return out;
}

describe("docker grammar vs the Docker 28.2.2 CLI", () => {
  it("has a substantial golden set covering help, errors and accepted commands", () => {
    expect(GOLDEN.length).toBeGreaterThan(1500);
    expect(GOLDEN.filter((c) => c.parsed).length).toBeGreaterThan(200);
    expect(GOLDEN.filter((c) => c.stdout.startsWith("Usage:")).length).toBeGreaterThan(50);
    expect(GOLDEN.filter((c) => c.exitCode === 125).length).toBeGreaterThan(500);
  });

  it("matches every golden byte for byte (help, usage errors, flag errors, exit codes)", () => {
    const bad = mismatches(OPTIONS);
    expect(bad.slice(0, 5).join("\n\n")).toBe("");
    expect(bad.length).toBe(0);
  });

  it("the comparison catches a grammar that prints other texts (the classic style)", () => {
    const bad = mismatches({ ...OPTIONS, style: "classic" });
    // Every usage error and every help text differs in Docker 27's wording.
    expect(bad.length).toBeGreaterThan(1000);
    expect(bad.join("\n")).toContain("See 'docker swarm init --help'.");
  });

  it("the comparison catches a help text rendered at another width", () => {
    const bad = mismatches({ ...OPTIONS, width: 120 });
    expect(bad.some((m) => m.startsWith("docker swarm init --help"))).toBe(true);
  });
});
