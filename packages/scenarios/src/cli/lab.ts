// `swarm-sim lab [--seed N] [--script FILE]`: the interactive lab (a REPL on a terminal, a
// transcript runner with --script or piped input). The lab has swarm services and DockerCoins.
import { parseArgs } from "node:util";
import { Lab, labCompleter, startRepl } from "@swarm-sim/swarmkit-sim";
import { labPlugins } from "../lab-plugins";
import { readInputFile } from "./files";
import { UsageError, parseIntFlag } from "./usage-error";

const HELP = `Usage: swarm-sim lab [--seed N] [--script FILE]

The lecture's lab on simulated machines: node1 is your machine; create more with
  docker run -d --privileged --name node2 docker:dind
With --script FILE (or input piped in) the commands are run in order and printed as a transcript.`;

export async function lab(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { seed: { type: "string" }, script: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`"swarm-sim lab" accepts no arguments (got "${positionals[0]}")`);
  const seed = parseIntFlag("seed", values.seed, 1);
  const text = values.script === undefined ? undefined : readInputFile(values.script);
  const l = new Lab({ seed, services: true, plugins: labPlugins() });
  if (text !== undefined) {
    const r = l.runScript(text, (chunk) => process.stdout.write(chunk));
    return r.exitCode;
  }
  await startRepl(l, process.stdin, process.stdout, { banner: l.banner(), completer: labCompleter(l) });
  return 0;
}
