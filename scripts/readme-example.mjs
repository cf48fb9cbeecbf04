// The README's property-test example: the ```ts block after the readme-example marker. The
// packaging test runs it in an installed project; packages/swarm-sim/test/readme.test.ts holds
// it equal to packages/swarm-sim/test/readme-example.test.ts, which vitest runs here.
export const README_MARKER = "<!-- readme-example: packages/swarm-sim/test/readme-example.test.ts -->";

export function readmeExample(readme) {
  const at = readme.indexOf(README_MARKER);
  if (at === -1) throw new Error(`README.md has no "${README_MARKER}"`);
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!m) throw new Error("README.md: no ```ts block after the readme-example marker");
  return m[1];
}
