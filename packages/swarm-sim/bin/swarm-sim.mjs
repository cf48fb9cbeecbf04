#!/usr/bin/env node
// The swarm-sim command: runs the CLI compiled to JavaScript (@swarm-sim/scenarios/cli). The
// CLI imports a command's code only when that command runs, so `swarm-sim --help` starts fast.
let cli;
try {
  cli = await import("@swarm-sim/scenarios/cli");
} catch (e) {
  // In the repository before `npm run build` (npm ci runs it): say so rather than a stack trace.
  if (e?.code !== "ERR_MODULE_NOT_FOUND" || !/scenarios[\\/]dist[\\/]cli\.js/.test(String(e.message)))
    throw e;
  console.error("swarm-sim: the packages are not built: run 'npm run build' in the repository");
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
