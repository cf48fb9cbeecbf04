#!/usr/bin/env node
// The swarm-sim command line: list, run, lab, experiment, dockercoins, merge, replay,
// walkthrough. A command's code (and the simulator under it) is imported only when that
// command runs, so `swarm-sim --help` or a bad command answers at once. Bad flags or values
// print a clear message and exit with code 2; an internal error prints one line and exits 1.
import { parseArgs } from "node:util";
import { UsageError, parseIntFlag } from "./usage-error";

const HELP = `Usage: swarm-sim COMMAND [OPTIONS]

A deterministic simulator of Docker Swarm mode running the DockerCoins demo.

Commands:
  list                              the scenarios and experiments, one line each
  run NAME [--seed N] [--json]      run one scenario
  walkthrough [--threads N]         the lecture's claims, one by one (what npm start runs)
  lab [--seed N] [--script FILE] [--speed N] ...
                                    the interactive lab (docker commands on a simulated cluster;
                                    live on a terminal: the clock flows, ports open on 127.0.0.1)
  experiment quorum|managers|manager-size ...
                                    sweeps over seeds (see swarm-sim experiment --help)
  dockercoins [OPTIONS]             DockerCoins throughput and latency per configuration
  fuzz [--seeds N | --seed S] ...   the swarm VOPR: random clusters, workloads and faults, checked
  merge FILE... [--json]            the table of a sweep run in shards (--shard K/N --out FILE)
  replay FILE                       re-run a failing case saved by a property test or a sweep,
                                    or a live lab's session (to the same trace hash)

Run 'swarm-sim COMMAND --help' for more on a command.`;

type Handler = (argv: string[]) => Promise<number> | number;

const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;

const COMMANDS: Record<string, Handler> = {
  list: async (argv) => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: HELP_OPTION });
    if (values.help) {
      console.log("Usage: swarm-sim list\n\nThe scenarios and experiments, one line each.");
      return 0;
    }
    if (positionals.length > 0)
      throw new UsageError(`"swarm-sim list" accepts no arguments (got "${positionals[0]}")`);
    const { SCENARIOS } = await import("../registry");
    for (const s of SCENARIOS) console.log(`${s.name.padEnd(28)} ${s.claim}`);
    for (const [name, text] of EXPERIMENTS) console.log(`${name.padEnd(28)} ${text}`);
    return 0;
  },
  run: async (argv) => {
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
    const { findScenario } = await import("../registry");
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
  walkthrough: async (argv) => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { threads: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
      console.log(
        "Usage: swarm-sim walkthrough [--threads N]\n\nEvery claim of the lecture, in its order, measured on the simulator (on every core, or N threads).",
      );
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const { runWalkthrough } = await import("../walkthrough");
    const { defaultThreads } = await import("../sweep/pool");
    return runWalkthrough(process.stdout, {
      threads: parseIntFlag("threads", values.threads, defaultThreads(), 1),
    });
  },
  experiment: async (argv) => (await import("./experiment")).experiment(argv),
  lab: async (argv) => (await import("./lab")).lab(argv),
  dockercoins: async (argv) => (await import("./dockercoins")).dockercoins(argv),
  merge: async (argv) => (await import("./merge")).merge(argv),
  fuzz: async (argv) => (await import("./fuzz")).fuzz(argv),
  replay: async (argv) => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: HELP_OPTION });
    if (values.help) {
      console.log(
        "Usage: swarm-sim replay FILE\n\nRe-runs a failing case a property test or a sweep saved (.swarm-sim/failures/*.json),\nor a live lab's session file, to the same trace hash.",
      );
      return 0;
    }
    if (positionals.length !== 1)
      throw new UsageError(`"swarm-sim replay" requires exactly 1 argument (a replay file)`);
    return (await import("./replay")).replay(positionals[0]);
  },
};

/** Experiments listed by `swarm-sim list` (name, one line). */
const EXPERIMENTS: [string, string][] = [
  ["experiment quorum", "2N+1: writes, elections and running containers as managers fail (sweep over seeds)"],
  ["experiment managers", "write latency and leader stability against manager count and round-trip time"],
  [
    "experiment manager-size",
    "manager sizes: time to schedule 1k-100k tasks, CPU, memory, node count where heartbeats are missed",
  ],
  ["dockercoins", "DockerCoins hashes/s, coins and rng/hasher latency per configuration"],
  ["fuzz", "the swarm VOPR: random clusters, workloads and fault schedules, every checker watching"],
];

/** Runs the command line; resolves to the exit code. Never throws. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(HELP);
    return command === undefined ? 2 : 0;
  }
  const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
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
    console.error(`swarm-sim ${command}: internal error: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env.SWARM_SIM_DEBUG) console.error(e);
    return 1;
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
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
