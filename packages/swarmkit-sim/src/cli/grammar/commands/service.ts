// docker service: create, ls, ps, inspect, scale, update, rollback, rm, logs.
// Generated from `docker <command> --help` of Docker 28.2.2 (unwrapped), then annotated by hand.
import { args, command, group, HEALTHCHECK_FLAGS } from "../define";
import type { CommandSpec, ValidateContext } from "../types";

/** service create's mode checks (opts.go ToServiceMode), done before the daemon is asked. */
function validateServiceMode({ flags, changed }: ValidateContext): string | undefined {
  const mode = flags.mode as string;
  const replicas = changed.has("replicas");
  const maxPerNode = (flags["replicas-max-per-node"] as number) > 0;
  const maxConcurrent = changed.has("max-concurrent");
  const noReplicas = "replicas can only be used with replicated or replicated-job mode";
  const noMaxPerNode = "replicas-max-per-node can only be used with replicated or replicated-job mode";
  const noConcurrent = "max-concurrent can only be used with replicated-job mode";
  switch (mode) {
    case "global":
      return replicas ? noReplicas : maxPerNode ? noMaxPerNode : maxConcurrent ? noConcurrent : undefined;
    case "replicated":
      return maxConcurrent ? noConcurrent : undefined;
    case "replicated-job":
      return undefined;
    case "global-job":
      return maxPerNode ? noMaxPerNode : maxConcurrent ? noConcurrent : replicas ? noReplicas : undefined;
    default:
      return `Unknown mode: ${mode}, only replicated and global supported`;
  }
}

/** service scale's argument check: every argument must be SERVICE=REPLICAS (scale.go). */
function validateScaleArgs(ctx: ValidateContext): string | undefined {
  for (const arg of ctx.args) {
    const eq = arg.indexOf("=");
    if (eq <= 0 || eq === arg.length - 1) {
      return `invalid scale specifier '${arg}'.\nSee '${ctx.commandPath} --help'.\n\nUsage:  ${ctx.useLine}\n\n${ctx.short}`;
    }
  }
  return undefined;
}

/**
 * What a task's container would get from these flags (mounts, secrets, health checks, the
 * user, logging...) is not modelled: `service create` and `update` refuse them rather than
 * create a service without them.
 */
const UNMODELLED_TASK_FLAGS = [
  ...HEALTHCHECK_FLAGS,
  "cap-add",
  "cap-drop",
  "credential-spec",
  "entrypoint",
  "generic-resource",
  "init",
  "isolation",
  "limit-pids",
  "log-driver",
  "log-opt",
  "oom-score-adj",
  "read-only",
  "stop-signal",
  "tty",
  "user",
  "workdir",
];

export const serviceCreate: CommandSpec = command({
  use: "create [OPTIONS] IMAGE [COMMAND] [ARG...]",
  short: "Create a new service",
  unsupportedFlags: [
    ...UNMODELLED_TASK_FLAGS,
    "config",
    "dns",
    "dns-option",
    "dns-search",
    "env-file",
    "group",
    "host",
    "mount",
    "secret",
    "sysctl",
    "ulimit",
  ],
  args: args.min(1),
  validate: validateServiceMode,
  // Flags after IMAGE belong to the container's command.
  interspersed: false,
  options: `
      --cap-add list                       Add Linux capabilities
      --cap-drop list                      Drop Linux capabilities
      --config config                      Specify configurations to expose to the service
      --constraint list                    Placement constraints
      --container-label list               Container labels
      --credential-spec credential-spec    Credential spec for managed service account (Windows only)
  -d, --detach                             Exit immediately instead of waiting for the service to converge
      --dns list                           Set custom DNS servers
      --dns-option list                    Set DNS options
      --dns-search list                    Set custom DNS search domains
      --endpoint-mode string               Endpoint mode (vip or dnsrr) (default "vip")
      --entrypoint command                 Overwrite the default ENTRYPOINT of the image
  -e, --env list                           Set environment variables
      --env-file list                      Read in a file of environment variables
      --generic-resource list              User defined resources
      --group list                         Set one or more supplementary user groups for the container
      --health-cmd string                  Command to run to check health
      --health-interval duration           Time between running the check (ms|s|m|h)
      --health-retries int                 Consecutive failures needed to report unhealthy
      --health-start-interval duration     Time between running the check during the start period (ms|s|m|h)
      --health-start-period duration       Start period for the container to initialize before counting retries towards unstable (ms|s|m|h)
      --health-timeout duration            Maximum time to allow one check to run (ms|s|m|h)
      --host list                          Set one or more custom host-to-IP mappings (host:ip)
      --hostname string                    Container hostname
      --init                               Use an init inside each service container to forward signals and reap processes
      --isolation string                   Service container isolation mode
  -l, --label list                         Service labels
      --limit-cpu decimal                  Limit CPUs
      --limit-memory bytes                 Limit Memory
      --limit-pids int                     Limit maximum number of processes (default 0 = unlimited)
      --log-driver string                  Logging driver for service
      --log-opt list                       Logging driver options
      --max-concurrent uint                Number of job tasks to run concurrently (default equal to --replicas)
      --mode string                        Service mode ("replicated", "global", "replicated-job", "global-job") (default "replicated")
      --mount mount                        Attach a filesystem mount to the service
      --name string                        Service name
      --network network                    Network attachments
      --no-healthcheck                     Disable any container-specified HEALTHCHECK
      --no-resolve-image                   Do not query the registry to resolve image digest and supported platforms
      --oom-score-adj int                  Tune host's OOM preferences (-1000 to 1000) 
      --placement-pref pref                Add a placement preference
  -p, --publish port                       Publish a port as a node port
  -q, --quiet                              Suppress progress output
      --read-only                          Mount the container's root filesystem as read only
      --replicas uint                      Number of tasks
      --replicas-max-per-node uint         Maximum number of tasks per node (default 0 = unlimited)
      --reserve-cpu decimal                Reserve CPUs
      --reserve-memory bytes               Reserve Memory
      --restart-condition string           Restart when condition is met ("none", "on-failure", "any") (default "any")
      --restart-delay duration             Delay between restart attempts (ns|us|ms|s|m|h) (default 5s)
      --restart-max-attempts uint          Maximum number of restarts before giving up
      --restart-window duration            Window used to evaluate the restart policy (ns|us|ms|s|m|h)
      --rollback-delay duration            Delay between task rollbacks (ns|us|ms|s|m|h) (default 0s)
      --rollback-failure-action string     Action on rollback failure ("pause", "continue") (default "pause")
      --rollback-max-failure-ratio float   Failure rate to tolerate during a rollback (default 0)
      --rollback-monitor duration          Duration after each task rollback to monitor for failure (ns|us|ms|s|m|h) (default 5s)
      --rollback-order string              Rollback order ("start-first", "stop-first") (default "stop-first")
      --rollback-parallelism uint          Maximum number of tasks rolled back simultaneously (0 to roll back all at once) (default 1)
      --secret secret                      Specify secrets to expose to the service
      --stop-grace-period duration         Time to wait before force killing a container (ns|us|ms|s|m|h) (default 10s)
      --stop-signal string                 Signal to stop the container
      --sysctl list                        Sysctl options
  -t, --tty                                Allocate a pseudo-TTY
      --ulimit ulimit                      Ulimit options (default [])
      --update-delay duration              Delay between updates (ns|us|ms|s|m|h) (default 0s)
      --update-failure-action string       Action on update failure ("pause", "continue", "rollback") (default "pause")
      --update-max-failure-ratio float     Failure rate to tolerate during an update (default 0)
      --update-monitor duration            Duration after each task update to monitor for failure (ns|us|ms|s|m|h) (default 5s)
      --update-order string                Update order ("start-first", "stop-first") (default "stop-first")
      --update-parallelism uint            Maximum number of tasks updated simultaneously (0 to update all at once) (default 1)
  -u, --user string                        Username or UID (format: <name|uid>[:<group|gid>])
      --with-registry-auth                 Send registry authentication details to swarm agents
  -w, --workdir string                     Working directory inside the container
`,
});

export const serviceLs: CommandSpec = command({
  use: "ls [OPTIONS]",
  short: "List services",
  aliases: ["list"],
  args: args.none(),
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

export const servicePs: CommandSpec = command({
  use: "ps [OPTIONS] SERVICE [SERVICE...]",
  short: "List the tasks of one or more services",
  args: args.min(1),
  options: `
  -f, --filter filter   Filter output based on conditions provided
      --format string   Pretty-print tasks using a Go template
      --no-resolve      Do not map IDs to Names
      --no-trunc        Do not truncate output
  -q, --quiet           Only display task IDs
`,
});

export const serviceInspect: CommandSpec = command({
  use: "inspect [OPTIONS] SERVICE [SERVICE...]",
  short: "Display detailed information on one or more services",
  args: args.min(1),
  options: `
  -f, --format string   Format output using a custom template:
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given Go template.
                        Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates
      --pretty          Print the information in a human friendly format
`,
});

export const serviceScale: CommandSpec = command({
  use: "scale SERVICE=REPLICAS [SERVICE=REPLICAS...]",
  short: "Scale one or multiple replicated services",
  args: args.min(1),
  validate: validateScaleArgs,
  options: `
  -d, --detach   Exit immediately instead of waiting for the service to converge
`,
});

export const serviceUpdate: CommandSpec = command({
  use: "update [OPTIONS] SERVICE",
  short: "Update a service",
  unsupportedFlags: [
    ...UNMODELLED_TASK_FLAGS,
    "config-add",
    "config-rm",
    "container-label-add",
    "container-label-rm",
    "dns-add",
    "dns-option-add",
    "dns-option-rm",
    "dns-rm",
    "dns-search-add",
    "dns-search-rm",
    "generic-resource-add",
    "generic-resource-rm",
    "group-add",
    "group-rm",
    "host-add",
    "host-rm",
    "mount-add",
    "mount-rm",
    "secret-add",
    "secret-rm",
    "sysctl-add",
    "sysctl-rm",
    "ulimit-add",
    "ulimit-rm",
  ],
  args: args.exact(1),
  options: `
      --args command                       Service command args
      --cap-add list                       Add Linux capabilities
      --cap-drop list                      Drop Linux capabilities
      --config-add config                  Add or update a config file on a service
      --config-rm list                     Remove a configuration file
      --constraint-add list                Add or update a placement constraint
      --constraint-rm list                 Remove a constraint
      --container-label-add list           Add or update a container label
      --container-label-rm list            Remove a container label by its key
      --credential-spec credential-spec    Credential spec for managed service account (Windows only)
  -d, --detach                             Exit immediately instead of waiting for the service to converge
      --dns-add list                       Add or update a custom DNS server
      --dns-option-add list                Add or update a DNS option
      --dns-option-rm list                 Remove a DNS option
      --dns-rm list                        Remove a custom DNS server
      --dns-search-add list                Add or update a custom DNS search domain
      --dns-search-rm list                 Remove a DNS search domain
      --endpoint-mode string               Endpoint mode (vip or dnsrr)
      --entrypoint command                 Overwrite the default ENTRYPOINT of the image
      --env-add list                       Add or update an environment variable
      --env-rm list                        Remove an environment variable
      --force                              Force update even if no changes require it
      --generic-resource-add list          Add a Generic resource
      --generic-resource-rm list           Remove a Generic resource
      --group-add list                     Add an additional supplementary user group to the container
      --group-rm list                      Remove a previously added supplementary user group from the container
      --health-cmd string                  Command to run to check health
      --health-interval duration           Time between running the check (ms|s|m|h)
      --health-retries int                 Consecutive failures needed to report unhealthy
      --health-start-interval duration     Time between running the check during the start period (ms|s|m|h)
      --health-start-period duration       Start period for the container to initialize before counting retries towards unstable (ms|s|m|h)
      --health-timeout duration            Maximum time to allow one check to run (ms|s|m|h)
      --host-add list                      Add a custom host-to-IP mapping ("host:ip")
      --host-rm list                       Remove a custom host-to-IP mapping ("host:ip")
      --hostname string                    Container hostname
      --image string                       Service image tag
      --init                               Use an init inside each service container to forward signals and reap processes
      --isolation string                   Service container isolation mode
      --label-add list                     Add or update a service label
      --label-rm list                      Remove a label by its key
      --limit-cpu decimal                  Limit CPUs
      --limit-memory bytes                 Limit Memory
      --limit-pids int                     Limit maximum number of processes (default 0 = unlimited)
      --log-driver string                  Logging driver for service
      --log-opt list                       Logging driver options
      --max-concurrent uint                Number of job tasks to run concurrently (default equal to --replicas)
      --mount-add mount                    Add or update a mount on a service
      --mount-rm list                      Remove a mount by its target path
      --network-add network                Add a network
      --network-rm list                    Remove a network
      --no-healthcheck                     Disable any container-specified HEALTHCHECK
      --no-resolve-image                   Do not query the registry to resolve image digest and supported platforms
      --oom-score-adj int                  Tune host's OOM preferences (-1000 to 1000) 
      --placement-pref-add pref            Add a placement preference
      --placement-pref-rm pref             Remove a placement preference
      --publish-add port                   Add or update a published port
      --publish-rm port                    Remove a published port by its target port
  -q, --quiet                              Suppress progress output
      --read-only                          Mount the container's root filesystem as read only
      --replicas uint                      Number of tasks
      --replicas-max-per-node uint         Maximum number of tasks per node (default 0 = unlimited)
      --reserve-cpu decimal                Reserve CPUs
      --reserve-memory bytes               Reserve Memory
      --restart-condition string           Restart when condition is met ("none", "on-failure", "any")
      --restart-delay duration             Delay between restart attempts (ns|us|ms|s|m|h)
      --restart-max-attempts uint          Maximum number of restarts before giving up
      --restart-window duration            Window used to evaluate the restart policy (ns|us|ms|s|m|h)
      --rollback                           Rollback to previous specification
      --rollback-delay duration            Delay between task rollbacks (ns|us|ms|s|m|h)
      --rollback-failure-action string     Action on rollback failure ("pause", "continue")
      --rollback-max-failure-ratio float   Failure rate to tolerate during a rollback
      --rollback-monitor duration          Duration after each task rollback to monitor for failure (ns|us|ms|s|m|h)
      --rollback-order string              Rollback order ("start-first", "stop-first")
      --rollback-parallelism uint          Maximum number of tasks rolled back simultaneously (0 to roll back all at once)
      --secret-add secret                  Add or update a secret on a service
      --secret-rm list                     Remove a secret
      --stop-grace-period duration         Time to wait before force killing a container (ns|us|ms|s|m|h)
      --stop-signal string                 Signal to stop the container
      --sysctl-add list                    Add or update a Sysctl option
      --sysctl-rm list                     Remove a Sysctl option
  -t, --tty                                Allocate a pseudo-TTY
      --ulimit-add ulimit                  Add or update a ulimit option (default [])
      --ulimit-rm list                     Remove a ulimit option
      --update-delay duration              Delay between updates (ns|us|ms|s|m|h)
      --update-failure-action string       Action on update failure ("pause", "continue", "rollback")
      --update-max-failure-ratio float     Failure rate to tolerate during an update
      --update-monitor duration            Duration after each task update to monitor for failure (ns|us|ms|s|m|h)
      --update-order string                Update order ("start-first", "stop-first")
      --update-parallelism uint            Maximum number of tasks updated simultaneously (0 to update all at once)
  -u, --user string                        Username or UID (format: <name|uid>[:<group|gid>])
      --with-registry-auth                 Send registry authentication details to swarm agents
  -w, --workdir string                     Working directory inside the container
`,
});

export const serviceRollback: CommandSpec = command({
  use: "rollback [OPTIONS] SERVICE",
  short: "Revert changes to a service's configuration",
  args: args.exact(1),
  options: `
  -d, --detach   Exit immediately instead of waiting for the service to converge
  -q, --quiet    Suppress progress output
`,
});

export const serviceRm: CommandSpec = command({
  use: "rm SERVICE [SERVICE...]",
  short: "Remove one or more services",
  aliases: ["remove"],
  args: args.min(1),
});

export const serviceLogs: CommandSpec = command({
  use: "logs [OPTIONS] SERVICE|TASK",
  short: "Fetch the logs of a service or task",
  args: args.exact(1),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: ["details", "since"],
  options: `
      --details        Show extra details provided to logs
  -f, --follow         Follow log output
      --no-resolve     Do not map IDs to Names in output
      --no-task-ids    Do not include task IDs in output
      --no-trunc       Do not truncate output
      --raw            Do not neatly format logs
      --since string   Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)
  -n, --tail string    Number of lines to show from the end of the logs (default "all")
  -t, --timestamps     Show timestamps
`,
});

export const service: CommandSpec = group({
  use: "service",
  short: "Manage Swarm services",
  swarm: "manager",
  section: "swarm",
  subcommands: [
    serviceCreate,
    serviceInspect,
    serviceLogs,
    serviceLs,
    servicePs,
    serviceRm,
    serviceRollback,
    serviceScale,
    serviceUpdate,
  ],
});
