// Property tests for the CLI front half: junk argument vectors and junk lines never throw and
// always end as a command, a help/version text, or an error with a non-zero exit status; sh
// quoting round-trips. Replay a failure with FC_SEED/FC_PATH; FUZZ=1 runs many more cases.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DockerCli, shellQuote } from "../src/cli/dispatch";
import { dockerTree, parseCommandVector } from "../src/cli/grammar/index";
import { allNodes } from "../src/cli/grammar/tree";
import { splitCommandLine } from "../src/cli/shell";
import { fcParams } from "../src/testing/fc-params";

const nodes = allNodes(dockerTree());
const commandWords = [...new Set(nodes.flatMap((n) => [n.name, ...(n.spec.aliases ?? [])]))];
const flagWords = [
  ...new Set(
    nodes.flatMap((n) => n.flags.flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])])),
  ),
];
const values = [
  "0",
  "1",
  "-1",
  "x",
  "",
  "10s",
  "1m30s",
  "512m",
  "0.5",
  "a=b",
  "80:80",
  "node.role==worker",
  "true",
  "false",
  "0x10",
  "eth0:7777",
];

/** Words that look like a docker command line: real names, real flags, values, and junk. */
const word = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...commandWords) },
  { weight: 4, arbitrary: fc.constantFrom(...flagWords) },
  { weight: 2, arbitrary: fc.constantFrom(...values) },
  { weight: 1, arbitrary: fc.constantFrom("--", "-", "=", "help", "--help", "-h", "---x", "-=", "--=x") },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...flagWords), fc.constantFrom(...values))
      .map(([f, v]) => `${f}=${v}`),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
);
const argv = fc.array(word, { maxLength: 10 });

describe("the grammar on junk input", () => {
  it("never throws; errors exit non-zero, help and version exit 0, commands carry their flags", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("docker", "docker-compose"),
        argv,
        fc.constantFrom("modern", "classic"),
        (program, args, style) => {
          const r = parseCommandVector([program, ...args], { style: style as "modern" | "classic" });
          if (r.kind === "command") {
            expect(r.node.children.length).toBe(0);
            expect(r.node.spec.unsupported).toBeFalsy();
            for (const f of r.node.flags) if (!f.isHelp) expect(r.command.flags).toHaveProperty([f.name]);
            for (const name of r.command.changed) expect(r.node.byLong.has(name)).toBe(true);
          } else if (r.reason === "error" || r.reason === "unsupported") {
            expect(r.exitCode).toBeGreaterThan(0);
            expect(r.stderr.length).toBeGreaterThan(0);
          } else {
            expect(r.exitCode).toBe(0);
            expect(r.stdout.length + r.stderr.length).toBeGreaterThan(0);
          }
        },
      ),
      fcParams(400),
    );
  });

  it("is deterministic: the same vector gives the same outcome", () => {
    fc.assert(
      fc.property(argv, (args) => {
        const a = parseCommandVector(["docker", ...args]);
        const b = parseCommandVector(["docker", ...args]);
        expect(JSON.stringify(a, (k, v) => (k === "node" ? undefined : v instanceof Set ? [...v] : v))).toBe(
          JSON.stringify(b, (k, v) => (k === "node" ? undefined : v instanceof Set ? [...v] : v)),
        );
      }),
      fcParams(100),
    );
  });
});

describe("the lab on junk lines", () => {
  const cli = new DockerCli<null>();
  cli.register(["info"], (_cmd, io) => {
    io.out(" Swarm: active\n");
    return 0;
  });
  cli.register(["node", "ls"], () => {
    throw new Error("boom");
  });
  const line = fc.oneof(
    fc
      .array(
        fc.oneof(
          word,
          fc.constantFrom(
            "|",
            ";",
            "&&",
            "||",
            "grep",
            "head",
            "wc",
            "$(",
            ")",
            "'",
            '"',
            "$X",
            "X=1",
            "#",
            "\\",
            ">",
            "2>&1",
            "`",
          ),
        ),
        { maxLength: 12 },
      )
      .map((ws) => ws.join(" ")),
    fc.string({ maxLength: 40 }),
  );

  it("run never throws and always returns text and an exit status in 0..255", () => {
    fc.assert(
      fc.property(line, (l) => {
        const r = cli.run(l, null);
        expect(Number.isInteger(r.exitCode)).toBe(true);
        expect(r.exitCode).toBeGreaterThanOrEqual(0);
        expect(r.exitCode).toBeLessThanOrEqual(255);
        expect(typeof r.stdout).toBe("string");
        expect(r.output.map((c) => c.text).join("").length).toBe(r.stdout.length + r.stderr.length);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }),
      fcParams(400),
    );
  });

  it("shellQuote and the shell reader round-trip any words", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 10 }), { minLength: 1, maxLength: 6 }), (words) => {
        expect(splitCommandLine(shellQuote(words))).toEqual({ ok: true, commands: [words] });
      }),
      fcParams(300),
    );
  });
});

describe("shellQuote", () => {
  it('quotes a reserved word in command position (fast-check found ["in"])', () => {
    for (const w of ["in", "for", "do", "done", "if", "while"])
      expect(splitCommandLine(shellQuote([w, w]))).toEqual({ ok: true, commands: [[w, w]] });
    expect(shellQuote(["in", "in"])).toBe("'in' in");
  });
});
