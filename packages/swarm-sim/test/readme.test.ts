// The README's property-test example is this package's test/readme-example.test.ts, character
// for character: the test below holds them equal, vitest runs the file, and the packaging test
// (scripts/package-test.mjs) runs the block copied from the README in an installed project.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readmeExample } from "../../../scripts/readme-example.mjs";

const ROOT = resolve(import.meta.dirname, "../../..");

describe("the README", () => {
  it("shows test/readme-example.test.ts as its property-test example", () => {
    const readme = readFileSync(resolve(ROOT, "README.md"), "utf8");
    const file = readFileSync(resolve(import.meta.dirname, "readme-example.test.ts"), "utf8");
    expect(readmeExample(readme)).toBe(file);
  });

  it("the extraction finds the block after the marker, and only there", () => {
    const marker = "<!-- readme-example: packages/swarm-sim/test/readme-example.test.ts -->";
    expect(readmeExample(`a\n\`\`\`ts\nnot this\n\`\`\`\n${marker}\n\`\`\`ts\nthis\n\`\`\`\n`)).toBe(
      "this\n",
    );
    expect(() => readmeExample("```ts\nno marker\n```\n")).toThrow(/no "<!-- readme-example/);
  });
});
