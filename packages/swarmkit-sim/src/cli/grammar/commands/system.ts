// docker info and docker version.
// Generated from `docker <command> --help` of Docker 28.2.2 (unwrapped), then annotated by hand.
import { args, command, group, unsupported } from "../define";
import type { CommandSpec } from "../types";

export const systemInfo: CommandSpec = command({
  id: "system info",
  use: "info [OPTIONS]",
  short: "Display system-wide information",
  aliasesLine: "docker system info, docker info",
  args: args.none(),
  options: `
  -f, --format string   Format output using a custom template:
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given Go template.
                        Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates
`,
});

export const systemVersion: CommandSpec = command({
  use: "version [OPTIONS]",
  short: "Show the Docker version information",
  args: args.none(),
  options: `
  -f, --format string   Format output using a custom template:
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given Go template.
                        Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates
`,
});

export const system: CommandSpec = group({
  use: "system",
  short: "Manage Docker",
  section: "management",
  subcommands: [
    unsupported("df [OPTIONS]", "Show docker disk usage"),
    unsupported(
      "dial-stdio",
      "Proxy the stdio stream to the daemon connection. Should not be invoked manually.",
      { hidden: true },
    ),
    unsupported("events [OPTIONS]", "Get real time events from the server"),
    systemInfo,
    unsupported("prune [OPTIONS]", "Remove unused data"),
  ],
});
