// docker compose (the Compose v2 plugin, 2.36) and the legacy docker-compose binary, which runs
// the same commands. Generated from Compose's reference docs, then annotated by hand.
import { args, command, group, unsupported } from "../define";
import type { CommandSpec } from "../types";

export const composeUp: CommandSpec = command({
  use: "up [OPTIONS] [SERVICE...]",
  short: "Create and start containers",
  family: "compose",
  args: args.any(),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: [
    "abort-on-container-exit",
    "abort-on-container-failure",
    "always-recreate-deps",
    "attach",
    "attach-dependencies",
    "exit-code-from",
    "force-recreate",
    "no-attach",
    "no-recreate",
    "no-start",
    "pull",
    "quiet-pull",
    "remove-orphans",
    "renew-anon-volumes",
    "wait",
    "wait-timeout",
    "watch",
  ],
  options: `
      --abort-on-container-exit      Stops all containers if any container was stopped. Incompatible with -d
      --abort-on-container-failure   Stops all containers if any container exited with failure. Incompatible with -d
      --always-recreate-deps         Recreate dependent containers. Incompatible with --no-recreate.
      --attach stringArray           Restrict attaching to the specified services. Incompatible with --attach-dependencies.
      --attach-dependencies          Automatically attach to log output of dependent services
      --build                        Build images before starting containers
  -d, --detach                       Detached mode: Run containers in the background
      --exit-code-from string        Return the exit code of the selected service container. Implies --abort-on-container-exit
      --force-recreate               Recreate containers even if their configuration and image haven't changed
      --menu                         Enable interactive shortcuts when running attached. Incompatible with --detach. Can also be enable/disable by setting COMPOSE_MENU environment var.
      --no-attach stringArray        Do not attach (stream logs) to the specified services
      --no-build                     Don't build an image, even if it's policy
      --no-color                     Produce monochrome output
      --no-deps                      Don't start linked services
      --no-log-prefix                Don't print prefix in logs
      --no-recreate                  If containers already exist, don't recreate them. Incompatible with --force-recreate.
      --no-start                     Don't start the services after creating them
      --pull string                  Pull image before running ("always"|"missing"|"never") (default "policy")
      --quiet-pull                   Pull without printing progress information
      --remove-orphans               Remove containers for services not defined in the Compose file
  -V, --renew-anon-volumes           Recreate anonymous volumes instead of retrieving data from the previous containers
      --scale scale                  Scale SERVICE to NUM instances. Overrides the scale setting in the Compose file if present.
  -t, --timeout int                  Use this timeout in seconds for container shutdown when attached or when containers are already running
      --timestamps                   Show timestamps
      --wait                         Wait for services to be running|healthy. Implies detached mode.
      --wait-timeout int             Maximum duration in seconds to wait for the project to be running|healthy
  -w, --watch                        Watch source code and rebuild/refresh containers when files are updated.
  -y, --yes                          Assume "yes" as answer to all prompts and run non-interactively
`,
});

export const composeDown: CommandSpec = command({
  use: "down [OPTIONS] [SERVICES]",
  short: "Stop and remove containers, networks",
  family: "compose",
  args: args.any(),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: ["rmi"],
  options: `
      --remove-orphans   Remove containers for services not defined in the Compose file
      --rmi string       Remove images used by services. "local" remove only images that don't have a custom tag ("local"|"all")
  -t, --timeout int      Specify a shutdown timeout in seconds
  -v, --volumes          Remove named volumes declared in the "volumes" section of the Compose file and anonymous volumes attached to containers
`,
});

export const composePort: CommandSpec = command({
  use: "port [OPTIONS] SERVICE PRIVATE_PORT",
  short: "Print the public port for a port binding",
  family: "compose",
  args: args.exact(2),
  options: `
      --index int         Index of the container if service has multiple replicas
      --protocol string   tcp or udp (default "tcp")`,
});

export const composePs: CommandSpec = command({
  use: "ps [OPTIONS] [SERVICE...]",
  short: "List containers",
  family: "compose",
  args: args.any(),
  options: `
  -a, --all                  Show all stopped containers (including those created by the run command)
      --filter string        Filter services by a property (supported filters: status)
      --format string        Format output using a custom template:
                             'table':            Print output in table format with column headers (default)
                             'table TEMPLATE':   Print output in table format using the given Go template
                             'json':             Print in JSON format
                             'TEMPLATE':         Print output using the given Go template.
                             Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates (default "table")
      --no-trunc             Don't truncate output
      --orphans              Include orphaned services (not declared by project) (default true)
  -q, --quiet                Only display IDs
      --services             Display services
      --status stringArray   Filter services by status. Values: [paused | restarting | removing | running | dead | created | exited]
`,
});

export const composeLogs: CommandSpec = command({
  use: "logs [OPTIONS] [SERVICE...]",
  short: "View output from containers",
  family: "compose",
  args: args.any(),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: ["since", "until"],
  options: `
  -f, --follow          Follow log output
      --index int       index of the container if service has multiple replicas
      --no-color        Produce monochrome output
      --no-log-prefix   Don't print prefix in logs
      --since string    Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)
  -n, --tail string     Number of lines to show from the end of the logs for each container (default "all")
  -t, --timestamps      Show timestamps
      --until string    Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)
`,
});

export const composeStop: CommandSpec = command({
  use: "stop [OPTIONS] [SERVICE...]",
  short: "Stop services",
  family: "compose",
  args: args.any(),
  options: `
  -t, --timeout int   Specify a shutdown timeout in seconds
`,
});

export const composeStart: CommandSpec = command({
  use: "start [SERVICE...]",
  short: "Start services",
  family: "compose",
  args: args.any(),
});

export const composeRestart: CommandSpec = command({
  use: "restart [OPTIONS] [SERVICE...]",
  short: "Restart service containers",
  family: "compose",
  args: args.any(),
  options: `
      --no-deps       Don't restart dependent services
  -t, --timeout int   Specify a shutdown timeout in seconds
`,
});

export const composeKill: CommandSpec = command({
  use: "kill [OPTIONS] [SERVICE...]",
  short: "Force stop service containers",
  family: "compose",
  args: args.any(),
  options: `
      --remove-orphans   Remove containers for services not defined in the Compose file
  -s, --signal string    SIGNAL to send to the container (default "SIGKILL")
`,
});

export const composeVersion: CommandSpec = command({
  use: "version [OPTIONS]",
  short: "Show the Docker Compose version information",
  family: "compose",
  args: args.none(),
  options: `
  -f, --format string   Format the output. Values: [pretty | json]. (Default: pretty)
      --short           Shows only Compose's version number
`,
});

export const composeScale: CommandSpec = command({
  use: "scale [SERVICE=REPLICAS...]",
  short: "Scale services",
  family: "compose",
  args: args.min(1),
  options: `
      --no-deps   Don't start linked services
`,
});

export const composePause: CommandSpec = command({
  use: "pause [SERVICE...]",
  short: "Pause services",
  family: "compose",
  args: args.any(),
});

export const composeUnpause: CommandSpec = command({
  use: "unpause [SERVICE...]",
  short: "Unpause services",
  family: "compose",
  args: args.any(),
});

export const composeRm: CommandSpec = command({
  use: "rm [OPTIONS] [SERVICE...]",
  short: "Removes stopped service containers",
  family: "compose",
  args: args.any(),
  hiddenFlags: [{ name: "all", short: "a", varname: "", help: "Deprecated - no effect" }],
  options: `
  -f, --force     Don't ask to confirm removal
  -s, --stop      Stop the containers, if required, before removing
  -v, --volumes   Remove any anonymous volumes attached to containers
`,
});

export const composeTop: CommandSpec = command({
  use: "top [SERVICES...]",
  short: "Display the running processes",
  family: "compose",
  args: args.any(),
});

export const compose: CommandSpec = group({
  use: "compose",
  short: "Docker Compose",
  long: "Define and run multi-container applications with Docker",
  family: "compose",
  plugin: true,
  section: "management",
  args: args.any(),
  options: `
      --all-resources              Include all resources, even those not used by services
      --ansi string                Control when to print ANSI control characters ("never"|"always"|"auto") (default "auto")
      --compatibility              Run compose in backward compatibility mode
      --dry-run                    Execute command in dry run mode
      --env-file stringArray       Specify an alternate environment file
  -f, --file stringArray           Compose configuration files
      --parallel int               Control max parallelism, -1 for unlimited (default -1)
      --profile stringArray        Specify a profile to enable
      --progress string            Set type of progress output (auto, tty, plain, json, quiet) (default "auto")
      --project-directory string   Specify an alternate working directory
                                   (default: the path of the, first specified, Compose file)
  -p, --project-name string        Project name
`,
  hiddenFlags: [
    { name: "no-ansi", varname: "", help: "Do not print ANSI control characters (DEPRECATED)" },
    { name: "verbose", varname: "", help: "Show more output" },
    { name: "version", short: "v", varname: "", help: "Show the Docker Compose version information" },
    {
      name: "workdir",
      varname: "string",
      help: "DEPRECATED! USE --project-directory INSTEAD.\nSpecify an alternate working directory\n(default: the path of the, first specified, Compose file)",
    },
  ],
  // --dry-run is the only persistent one: the others must come before the sub-command.
  flagOverrides: { "dry-run": { persistent: true } },
  subcommands: [
    unsupported(
      "attach [OPTIONS] SERVICE",
      "Attach local standard input, output, and error streams to a service's running container",
    ),
    unsupported("build [OPTIONS] [SERVICE...]", "Build or rebuild services"),
    unsupported(
      "commit [OPTIONS] SERVICE [REPOSITORY[:TAG]]",
      "Create a new image from a service container's changes",
    ),
    unsupported(
      "config [OPTIONS] [SERVICE...]",
      "Parse, resolve and render compose file in canonical format",
    ),
    unsupported(
      "cp [OPTIONS] SERVICE:SRC_PATH DEST_PATH|-",
      "Copy files/folders between a service container and the local filesystem",
    ),
    unsupported("create [OPTIONS] [SERVICE...]", "Creates containers for a service"),
    composeDown,
    unsupported("events [OPTIONS] [SERVICE...]", "Receive real time events from containers"),
    unsupported("exec [OPTIONS] SERVICE COMMAND [ARGS...]", "Execute a command in a running container"),
    unsupported("export [OPTIONS] SERVICE", "Export a service container's filesystem as a tar archive"),
    unsupported("images [OPTIONS] [SERVICE...]", "List images used by the created containers"),
    composeKill,
    composeLogs,
    unsupported("ls [OPTIONS]", "List running compose projects"),
    composePause,
    composePort,
    composePs,
    unsupported("publish [OPTIONS] REPOSITORY[:TAG]", "Publish compose application"),
    unsupported("pull [OPTIONS] [SERVICE...]", "Pull service images"),
    unsupported("push [OPTIONS] [SERVICE...]", "Push service images"),
    composeRestart,
    composeRm,
    unsupported("run [OPTIONS] SERVICE [COMMAND] [ARGS...]", "Run a one-off command on a service"),
    composeScale,
    composeStart,
    unsupported(
      "stats [OPTIONS] [SERVICE]",
      "Display a live stream of container(s) resource usage statistics",
    ),
    composeStop,
    composeTop,
    composeUnpause,
    composeUp,
    composeVersion,
    unsupported(
      "wait SERVICE [SERVICE...] [OPTIONS]",
      "Block until containers of all (or specified) services stop.",
    ),
    unsupported(
      "watch [SERVICE...]",
      "Watch build context for service and rebuild/refresh containers when files are updated",
    ),
  ],
});
