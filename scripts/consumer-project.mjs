// The package.json of a project that installs swarm-sim from `npm pack` tarballs instead of the
// registry (the Dockerfile's image and the packaging test): swarm-sim as the dependency, and an
// override that takes each of our packages from its tarball, so npm never asks the registry for
// them; third-party dependencies come from the registry as for any user.
//
//   node scripts/consumer-project.mjs DIR [name@version ...]
//
// DIR holds the tarballs; the extra arguments are added as devDependencies. Prints the JSON.
import { readdirSync } from "node:fs";

/** { package name: tarball file name } from npm pack's naming (@scope/name -> scope-name-1.2.3.tgz). */
export function tarballsIn(dir) {
  const out = {};
  for (const file of readdirSync(dir)) {
    const m = /^(swarm-sim(?:-(raft|swarmkit-sim|dockercoins-sim|scenarios))?)-(\d+\.\d+\.\d+.*)\.tgz$/.exec(
      file,
    );
    if (!m) continue;
    out[m[2] ? `@swarm-sim/${m[2]}` : "swarm-sim"] = file;
  }
  return out;
}

export function consumerManifest(dir, devDependencies = {}) {
  const tarballs = tarballsIn(dir);
  if (!tarballs["swarm-sim"]) throw new Error(`no swarm-sim tarball in ${dir}`);
  const overrides = {};
  for (const [name, file] of Object.entries(tarballs)) overrides[name] = `file:./${file}`;
  return {
    name: "swarm-sim-consumer",
    private: true,
    type: "module",
    dependencies: { "swarm-sim": `file:./${tarballs["swarm-sim"]}` },
    devDependencies,
    overrides,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, ...dev] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: node scripts/consumer-project.mjs DIR [name@version ...]");
    process.exit(2);
  }
  const devDependencies = Object.fromEntries(
    dev.map((spec) => {
      const at = spec.lastIndexOf("@");
      return at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, "*"];
    }),
  );
  console.log(JSON.stringify(consumerManifest(dir, devDependencies), null, 2));
}
