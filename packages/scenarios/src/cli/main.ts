#!/usr/bin/env node
// The swarm-sim command line: list, run, lab, experiment, dockercoins, replay, walkthrough.
// Bad flags or values print a clear message and exit with code 2.
import { parseArgs } from "node:util";
import { findScenario, SCENARIOS } from "../registry";
import { runWalkthrough } from "../walkthrough";
import { dockercoins } from "./dockercoins";
import { experiment } from "./experiment";
import { lab } from "./lab";
import { replay } from "./replay";
import { UsageError, parseIntFlag } from "./usage-error";

const HELP = `Usage: swarm-sim COMMAND [OPTIONS]

A deterministic simulator of Docker Swarm mode running the DockerCoins demo.

Commands:
  list                              the scenarios and experiments, one line each
  run NAME [--seed N] [--json]      run one scenario
  walkthrough                       the lecture's claims, one by one (what npm start runs)
  lab [--seed N] [--script FILE]    the interactive lab (docker commands on a simulated cluster)
  experiment quorum|managers ...    sweeps over seeds (see swarm-sim experiment --help)
  dockercoins [OPTIONS]             DockerCoins throughput and latency per configuration
  replay FILE                       re-run a failing case saved by a property test or a sweep

Run 'swarm-sim COMMAND --help' for more on a command.`;

type Handler = (argv: string[]) => Promise<number> | number;

const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;

const COMMANDS: Record<string, Handler> = {
  list: (argv) => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: HELP_OPTION });
    if (values.help) {
      console.log("Usage: swarm-sim list\n\nThe scenarios and experiments, one line each.");
      return 0;
    }
    if (positionals.length > 0)
      throw new UsageError(`"swarm-sim list" accepts no arguments (got "${positionals[0]}")`);
    for (const s of SCENARIOS) console.log(`${s.name.padEnd(28)} ${s.claim}`);
    for (const [name, text] of EXPERIMENTS) console.log(`${name.padEnd(28)} ${text}`);
    return 0;
  },
  run: (argv) => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { seed: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
      console.log(
        "Usage: swarm-sim run NAME [--seed N] [--json]\n\nRuns one scenario; 'swarm-sim list' names them.",
      );
      return 0;
    }
    if (positionals.length !== 1)
      throw new UsageError(
        `"swarm-sim run" requires exactly 1 argument (a scenario name; see 'swarm-sim list')`,
      );
    const scenario = findScenario(positionals[0]);
    if (!scenario) throw new UsageError(`unknown scenario "${positionals[0]}"; 'swarm-sim list' names them`);
    const seed = parseIntFlag("seed", values.seed, scenario.defaultSeed);
    const r = scenario.run(seed);
    if (values.json) console.log(JSON.stringify(r));
    else {
      console.log(`${scenario.name} (seed ${seed}): ${r.verdict}`);
      console.log(`  claim:    ${scenario.claim}`);
      console.log(`  measured: ${r.summary}`);
      console.log(`  trace:    ${r.traceHash}`);
    }
    return r.verdict === "holds" ? 0 : 1;
  },
  walkthrough: () => runWalkthrough(process.stdout),
  experiment: (argv) => experiment(argv),
  lab: (argv) => lab(argv),
  dockercoins: (argv) => dockercoins(argv),
  replay: (argv) => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: HELP_OPTION });
    if (values.help) {
      console.log(
        "Usage: swarm-sim replay FILE\n\nRe-runs a failing case a property test or a sweep saved (.swarm-sim/failures/*.json).",
      );
      return 0;
    }
    if (positionals.length !== 1)
      throw new UsageError(`"swarm-sim replay" requires exactly 1 argument (a replay file)`);
    return replay(positionals[0]);
  },
};

/** Experiments listed by `swarm-sim list` (name, one line). */
const EXPERIMENTS: [string, string][] = [
  ["experiment quorum", "2N+1: writes, elections and running containers as managers fail (sweep over seeds)"],
  ["experiment managers", "write latency and leader stability against manager count and round-trip time"],
  ["dockercoins", "DockerCoins hashes/s, coins and rng/hasher latency per configuration"],
];

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(HELP);
    return command === undefined ? 2 : 0;
  }
  const handler = COMMANDS[command];
  if (!handler) {
    console.error(`swarm-sim: '${command}' is not a swarm-sim command.\nSee 'swarm-sim --help'.`);
    return 2;
  }
  try {
    return await handler(rest);
  } catch (e) {
    if (
      e instanceof UsageError ||
      (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))
    ) {
      console.error(`swarm-sim ${command}: ${usageText(e as Error)}\nSee 'swarm-sim ${command} --help'.`);
      return 2;
    }
    throw e;
  }
}

/** node:util's parseArgs messages in the words cobra (the Docker CLI) uses for the same mistakes. */
function usageText(e: Error): string {
  const code = "code" in e ? String(e.code) : "";
  const option = /'(-[^' ]*)/.exec(e.message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option)
    return option.startsWith("--")
      ? `unknown flag: ${option}`
      : `unknown shorthand flag: '${option.slice(1, 2)}' in ${option}`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option && /argument missing/.test(e.message))
    return `flag needs an argument: ${option}`;
  return e.message;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("main.ts")) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(`swarm-sim: internal error: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
