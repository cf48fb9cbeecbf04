// What the swarm-sim CLI does with what it is handed: every file argument and replay file is
// validated (exit 2 and a clear message, never a stack trace), a replay file can name only
// this repository's own tests and scenarios, and numbers are the numbers typed.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkPropertyReplay, findRoot, repositoryTestFiles } from "../src/cli/replay";
import { UsageError } from "../src/cli/usage-error";
import { capture } from "./support/capture";

const dir = mkdtempSync(join(tmpdir(), "swarm-sim-inputs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const NO_STACK = /\n\s+at |TypeError|ReferenceError|Cannot read properties/;

describe("swarm-sim's inputs", () => {
  it("bad arguments and numbers exit 2 with a message", async () => {
    const list = await capture(["list", "--bogus"]);
    expect(list).toMatchObject({
      code: 2,
      err: "swarm-sim list: unknown flag: --bogus\nSee 'swarm-sim list --help'.",
    });
    expect(await capture(["list", "-z"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("unknown shorthand flag: 'z' in -z"),
    });
    expect(await capture(["lab", "--script"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("flag needs an argument: --script"),
    });
    expect(await capture(["list", "--help"])).toMatchObject({
      code: 0,
      out: expect.stringContaining("Usage"),
    });
    const big = await capture(["run", "swarm-init", "--seed", "100000000000000000000000"]);
    expect(big).toMatchObject({ code: 2, err: expect.stringContaining("must be at most 9007199254740991") });
    expect(await capture(["run", "swarm-init", "--seed", "1e23"])).toMatchObject({ code: 2 });
  });

  it("file arguments: a directory, a missing file, null, garbage", async () => {
    const cases: [string[], string][] = [
      [["lab", "--script", "/etc"], "/etc is a directory, not a file"],
      [["lab", "--script", join(dir, "nope.lab")], "no such file"],
      [["replay", "/etc"], "/etc is a directory, not a file"],
      [["replay", file("null.json", "null")], "expected a JSON object"],
      [["replay", file("list.json", "[1,2]")], "expected a JSON object"],
      [["replay", file("text.json", "hello")], "it is not JSON"],
      [
        ["replay", file("seed.json", '{"kind":"scenario","name":"swarm-init","seed":"1"}')],
        '"seed" must be a whole number',
      ],
      [
        ["replay", file("huge.json", '{"kind":"scenario","name":"swarm-init","seed":1e23}')],
        '"seed" must be a whole number',
      ],
      [["replay", file("unknown.json", '{"kind":"scenario","name":"rm -rf","seed":1}')], "unknown scenario"],
    ];
    for (const [argv, message] of cases) {
      const r = await capture(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err, argv.join(" ")).toContain(message);
      expect(r.err + r.out).not.toMatch(NO_STACK);
    }
  });

  it("a replay file cannot make vitest run a file of its choosing", async () => {
    // A crafted replay: a test file outside the repository's tests, which would leave a mark.
    const mark = join(dir, "ran");
    const evil = file(
      "evil.test.ts",
      `import { writeFileSync } from "node:fs"; writeFileSync(${JSON.stringify(mark)}, "x");`,
    );
    const root = findRoot();
    for (const testFile of [
      evil,
      `packages/scenarios/test/../../../${evil}`,
      "packages/scenarios/test/nope.test.ts",
    ]) {
      const replay = file(
        "crafted.json",
        JSON.stringify({ kind: "fast-check", testFile, testName: "x", seed: 1, path: "0" }),
      );
      const r = await capture(["replay", replay]);
      expect(r).toMatchObject({
        code: 2,
        err: expect.stringContaining("test file this repository does not have"),
      });
    }
    expect(existsSync(mark)).toBe(false);
    // The checks on a real test file: the name must be one of its tests, the path fast-check's.
    const real = "packages/scenarios/test/cli-inputs.test.ts";
    expect(repositoryTestFiles(root)).toContain(real);
    const ok = {
      testFile: real,
      testName: "swarm-sim's inputs > a replay file cannot make vitest run a file of its choosing",
      seed: 3,
      path: "0:1",
    };
    expect(checkPropertyReplay(root, "f", ok)).toEqual(ok);
    for (const bad of [
      { ...ok, testName: ["absent", "name"].join("-") },
      { ...ok, testName: "" },
      { ...ok, path: "0; rm -rf /" },
      { ...ok, seed: 1.5 },
    ])
      expect(() => checkPropertyReplay(root, "f", bad)).toThrow(UsageError);
  });
});
