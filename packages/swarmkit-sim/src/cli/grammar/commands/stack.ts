// docker stack: deploy, ls, ps, services, rm, config.
// Generated from `docker <command> --help` of Docker 28.2.2 (unwrapped), then annotated by hand.
import { args, command, group } from "../define";
import type { CommandSpec, ValidateContext } from "../types";

/** The compose file must be named before anything is read (stack loader). */
function needsComposeFile({ flags }: ValidateContext): string | undefined {
  return (flags["compose-file"] as string[]).length === 0
    ? "Specify a Compose file (with --compose-file)"
    : undefined;
}

export const stackDeploy: CommandSpec = command({
  use: "deploy [OPTIONS] STACK",
  short: "Deploy a new stack or update an existing stack",
  aliases: ["up"],
  args: args.exact(1),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: ["prune"],
  validate: needsComposeFile,
  options: `
  -c, --compose-file strings   Path to a Compose file, or "-" to read from stdin
  -d, --detach                 Exit immediately instead of waiting for the stack services to converge (default true)
      --prune                  Prune services that are no longer referenced
  -q, --quiet                  Suppress progress output
      --resolve-image string   Query the registry to resolve image digest and supported platforms ("always", "changed", "never") (default "always")
      --with-registry-auth     Send registry authentication details to Swarm agents
`,
});

export const stackLs: CommandSpec = command({
  use: "ls [OPTIONS]",
  short: "List stacks",
  aliases: ["list"],
  args: args.none(),
  options: `
      --format string   Format output using a custom template:
                        'table':            Print output in table format with column headers (default)
                        'table TEMPLATE':   Print output in table format using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given Go template.
                        Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates
`,
});

export const stackPs: CommandSpec = command({
  use: "ps [OPTIONS] STACK",
  short: "List the tasks in the stack",
  args: args.exact(1),
  options: `
  -f, --filter filter   Filter output based on conditions provided
      --format string   Format output using a custom template:
                        'table':            Print output in table format with column headers (default)
                        'table TEMPLATE':   Print output in table format using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given Go template.
                        Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates
      --no-resolve      Do not map IDs to Names
      --no-trunc        Do not truncate output
  -q, --quiet           Only display task IDs
`,
});

export const stackServices: CommandSpec = command({
  use: "services [OPTIONS] STACK",
  short: "List the services in the stack",
  args: args.exact(1),
  options: `
  -f, --filter filter   Filter output based on conditions provided
      --format string   Format output using a custom template:
                        'table':            Print output in table format with column headers (default)
                        'table TEMPLATE':   Print output in table format using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given Go template.
                        Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates
  -q, --quiet           Only display IDs
`,
});

export const stackRm: CommandSpec = command({
  use: "rm [OPTIONS] STACK [STACK...]",
  short: "Remove one or more stacks",
  aliases: ["remove", "down"],
  args: args.min(1),
  options: `
  -d, --detach   Do not wait for stack removal (default true)
`,
});

export const stackConfig: CommandSpec = command({
  use: "config [OPTIONS]",
  short: "Outputs the final config file, after doing merges and interpolations",
  args: args.none(),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: ["skip-interpolation"],
  validate: needsComposeFile,
  options: `
  -c, --compose-file strings   Path to a Compose file, or "-" to read from stdin
      --skip-interpolation     Skip interpolation and output only merged config
`,
});

export const stack: CommandSpec = group({
  use: "stack [OPTIONS]",
  short: "Manage Swarm stacks",
  swarm: "manager",
  section: "swarm",
  hiddenFlags: [
    // Deprecated and hidden, but still accepted by every stack sub-command.
    {
      name: "orchestrator",
      varname: "string",
      help: "Orchestrator to use (swarm|all)",
      deprecated: "option will be ignored",
      persistent: true,
    },
  ],
  subcommands: [stackConfig, stackDeploy, stackLs, stackPs, stackRm, stackServices],
});
