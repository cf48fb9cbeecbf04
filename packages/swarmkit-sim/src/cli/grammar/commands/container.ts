// docker run, exec, ps, stop, start, restart, kill, pause, unpause, logs, stats, rm: the
// container commands, each both top level (docker ps) and under docker container (docker container ls).
// Generated from `docker <command> --help` of Docker 28.2.2 (unwrapped), then annotated by hand.
import { args, command, group, HEALTHCHECK_FLAGS, type HiddenFlagDef, unsupported } from "../define";
import type { CommandSpec } from "../types";

// docker stop/restart: the old name of --timeout, still accepted with a deprecation warning.
const TIME_FLAG: HiddenFlagDef = {
  name: "time",
  varname: "int",
  help: "Seconds to wait before killing the container (deprecated: use --timeout)",
  deprecated: "use --timeout instead",
};

/** The same command under another name (docker ps is docker container ls). */
function renamed(spec: CommandSpec, use: string, aliases: string[]): CommandSpec {
  return { ...spec, use, aliases };
}

export const containerRun: CommandSpec = command({
  id: "container run",
  use: "run [OPTIONS] IMAGE [COMMAND] [ARG...]",
  short: "Create and run a new container from an image",
  aliasesLine: "docker container run, docker run",
  args: args.min(1),
  // What a container would get from these (volumes, limits, devices, health checks, labels,
  // logging, DNS, fixed addresses...) is not modelled: refused rather than run without it.
  // Left out, as without visible effect here: --platform, --detach-keys, --disable-content-trust.
  unsupportedFlags: [
    ...HEALTHCHECK_FLAGS,
    "add-host",
    "annotation",
    "attach",
    "blkio-weight",
    "blkio-weight-device",
    "cap-add",
    "cap-drop",
    "cgroup-parent",
    "cgroupns",
    "cidfile",
    "cpu-count",
    "cpu-percent",
    "cpu-period",
    "cpu-quota",
    "cpu-rt-period",
    "cpu-rt-runtime",
    "cpu-shares",
    "cpus",
    "cpuset-cpus",
    "cpuset-mems",
    "device",
    "device-cgroup-rule",
    "device-read-bps",
    "device-read-iops",
    "device-write-bps",
    "device-write-iops",
    "dns",
    "dns-option",
    "dns-search",
    "domainname",
    "env-file",
    "expose",
    "gpus",
    "group-add",
    "io-maxbandwidth",
    "io-maxiops",
    "ip",
    "ip6",
    "ipc",
    "isolation",
    "kernel-memory",
    "label",
    "label-file",
    "link",
    "link-local-ip",
    "log-driver",
    "log-opt",
    "mac-address",
    "memory",
    "memory-reservation",
    "memory-swap",
    "memory-swappiness",
    "mount",
    "network-alias",
    "oom-kill-disable",
    "oom-score-adj",
    "pid",
    "pids-limit",
    "publish-all",
    "pull",
    "read-only",
    "runtime",
    "security-opt",
    "shm-size",
    "stop-signal",
    "storage-opt",
    "sysctl",
    "tmpfs",
    "ulimit",
    "use-api-socket",
    "user",
    "userns",
    "uts",
    "volume",
    "volume-driver",
    "volumes-from",
  ],
  // Flags after IMAGE belong to the container's command.
  interspersed: false,
  hiddenFlags: [
    { name: "dns-opt", varname: "list", help: "Set DNS options" },
    { name: "net", varname: "network", help: "Connect a container to a network" },
    { name: "net-alias", varname: "list", help: "Add network-scoped alias for the container" },
  ],
  flagOverrides: {
    // --memory-swap takes -1 for unlimited swap (opts.MemSwapBytes).
    "memory-swap": { minusOne: true },
    "cpu-count": { osType: "windows" },
    "cpu-percent": { osType: "windows" },
    "io-maxbandwidth": { osType: "windows" },
    "io-maxiops": { osType: "windows" },
  },
  options: `
      --add-host list                    Add a custom host-to-IP mapping (host:ip)
      --annotation map                   Add an annotation to the container (passed through to the OCI runtime) (default map[])
  -a, --attach list                      Attach to STDIN, STDOUT or STDERR
      --blkio-weight uint16              Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)
      --blkio-weight-device list         Block IO weight (relative device weight) (default [])
      --cap-add list                     Add Linux capabilities
      --cap-drop list                    Drop Linux capabilities
      --cgroup-parent string             Optional parent cgroup for the container
      --cgroupns string                  Cgroup namespace to use (host|private)
                                         'host':    Run the container in the Docker host's cgroup namespace
                                         'private': Run the container in its own private cgroup namespace
                                         '':        Use the cgroup namespace as configured by the
                                                    default-cgroupns-mode option on the daemon (default)
      --cidfile string                   Write the container ID to the file
      --cpu-count int                    CPU count (Windows only)
      --cpu-percent int                  CPU percent (Windows only)
      --cpu-period int                   Limit CPU CFS (Completely Fair Scheduler) period
      --cpu-quota int                    Limit CPU CFS (Completely Fair Scheduler) quota
      --cpu-rt-period int                Limit CPU real-time period in microseconds
      --cpu-rt-runtime int               Limit CPU real-time runtime in microseconds
  -c, --cpu-shares int                   CPU shares (relative weight)
      --cpus decimal                     Number of CPUs
      --cpuset-cpus string               CPUs in which to allow execution (0-3, 0,1)
      --cpuset-mems string               MEMs in which to allow execution (0-3, 0,1)
  -d, --detach                           Run container in background and print container ID
      --detach-keys string               Override the key sequence for detaching a container
      --device list                      Add a host device to the container
      --device-cgroup-rule list          Add a rule to the cgroup allowed devices list
      --device-read-bps list             Limit read rate (bytes per second) from a device (default [])
      --device-read-iops list            Limit read rate (IO per second) from a device (default [])
      --device-write-bps list            Limit write rate (bytes per second) to a device (default [])
      --device-write-iops list           Limit write rate (IO per second) to a device (default [])
      --disable-content-trust            Skip image verification (default true)
      --dns list                         Set custom DNS servers
      --dns-option list                  Set DNS options
      --dns-search list                  Set custom DNS search domains
      --domainname string                Container NIS domain name
      --entrypoint string                Overwrite the default ENTRYPOINT of the image
  -e, --env list                         Set environment variables
      --env-file list                    Read in a file of environment variables
      --expose list                      Expose a port or a range of ports
      --gpus gpu-request                 GPU devices to add to the container ('all' to pass all GPUs)
      --group-add list                   Add additional groups to join
      --health-cmd string                Command to run to check health
      --health-interval duration         Time between running the check (ms|s|m|h) (default 0s)
      --health-retries int               Consecutive failures needed to report unhealthy
      --health-start-interval duration   Time between running the check during the start period (ms|s|m|h) (default 0s)
      --health-start-period duration     Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)
      --health-timeout duration          Maximum time to allow one check to run (ms|s|m|h) (default 0s)
      --help                             Print usage
  -h, --hostname string                  Container host name
      --init                             Run an init inside the container that forwards signals and reaps processes
  -i, --interactive                      Keep STDIN open even if not attached
      --io-maxbandwidth bytes            Maximum IO bandwidth limit for the system drive (Windows only)
      --io-maxiops uint                  Maximum IOps limit for the system drive (Windows only)
      --ip string                        IPv4 address (e.g., 172.30.100.104)
      --ip6 string                       IPv6 address (e.g., 2001:db8::33)
      --ipc string                       IPC mode to use
      --isolation string                 Container isolation technology
      --kernel-memory bytes              Kernel memory limit
  -l, --label list                       Set meta data on a container
      --label-file list                  Read in a line delimited file of labels
      --link list                        Add link to another container
      --link-local-ip list               Container IPv4/IPv6 link-local addresses
      --log-driver string                Logging driver for the container
      --log-opt list                     Log driver options
      --mac-address string               Container MAC address (e.g., 92:d0:c6:0a:29:33)
  -m, --memory bytes                     Memory limit
      --memory-reservation bytes         Memory soft limit
      --memory-swap bytes                Swap limit equal to memory plus swap: '-1' to enable unlimited swap
      --memory-swappiness int            Tune container memory swappiness (0 to 100) (default -1)
      --mount mount                      Attach a filesystem mount to the container
      --name string                      Assign a name to the container
      --network network                  Connect a container to a network
      --network-alias list               Add network-scoped alias for the container
      --no-healthcheck                   Disable any container-specified HEALTHCHECK
      --oom-kill-disable                 Disable OOM Killer
      --oom-score-adj int                Tune host's OOM preferences (-1000 to 1000)
      --pid string                       PID namespace to use
      --pids-limit int                   Tune container pids limit (set -1 for unlimited)
      --platform string                  Set platform if server is multi-platform capable
      --privileged                       Give extended privileges to this container
  -p, --publish list                     Publish a container's port(s) to the host
  -P, --publish-all                      Publish all exposed ports to random ports
      --pull string                      Pull image before running ("always", "missing", "never") (default "missing")
  -q, --quiet                            Suppress the pull output
      --read-only                        Mount the container's root filesystem as read only
      --restart string                   Restart policy to apply when a container exits (default "no")
      --rm                               Automatically remove the container and its associated anonymous volumes when it exits
      --runtime string                   Runtime to use for this container
      --security-opt list                Security Options
      --shm-size bytes                   Size of /dev/shm
      --sig-proxy                        Proxy received signals to the process (default true)
      --stop-signal string               Signal to stop the container
      --stop-timeout int                 Timeout (in seconds) to stop a container
      --storage-opt list                 Storage driver options for the container
      --sysctl map                       Sysctl options (default map[])
      --tmpfs list                       Mount a tmpfs directory
  -t, --tty                              Allocate a pseudo-TTY
      --ulimit ulimit                    Ulimit options (default [])
      --use-api-socket                   Bind mount Docker API socket and required auth
  -u, --user string                      Username or UID (format: <name|uid>[:<group|gid>])
      --userns string                    User namespace to use
      --uts string                       UTS namespace to use
  -v, --volume list                      Bind mount a volume
      --volume-driver string             Optional volume driver for the container
      --volumes-from list                Mount volumes from the specified container(s)
  -w, --workdir string                   Working directory inside the container
`,
});

export const containerExec: CommandSpec = command({
  id: "container exec",
  use: "exec [OPTIONS] CONTAINER COMMAND [ARG...]",
  short: "Execute a command in a running container",
  aliasesLine: "docker container exec, docker exec",
  args: args.min(2),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: ["env-file", "user"],
  // Flags after CONTAINER belong to the command run in it.
  interspersed: false,
  options: `
  -d, --detach               Detached mode: run command in the background
      --detach-keys string   Override the key sequence for detaching a container
  -e, --env list             Set environment variables
      --env-file list        Read in a file of environment variables
  -i, --interactive          Keep STDIN open even if not attached
      --privileged           Give extended privileges to the command
  -t, --tty                  Allocate a pseudo-TTY
  -u, --user string          Username or UID (format: "<name|uid>[:<group|gid>]")
  -w, --workdir string       Working directory inside the container
`,
});

export const containerPs: CommandSpec = command({
  id: "container ls",
  use: "ps [OPTIONS]",
  short: "List containers",
  aliasesLine: "docker container ls, docker container list, docker container ps, docker ps",
  args: args.none(),
  options: `
  -a, --all             Show all containers (default shows just running)
  -f, --filter filter   Filter output based on conditions provided
      --format string   Format output using a custom template:
                        'table':            Print output in table format with column headers (default)
                        'table TEMPLATE':   Print output in table format using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given Go template.
                        Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates
  -n, --last int        Show n last created containers (includes all states) (default -1)
  -l, --latest          Show the latest created container (includes all states)
      --no-trunc        Don't truncate output
  -q, --quiet           Only display container IDs
  -s, --size            Display total file sizes
`,
});

export const containerStop: CommandSpec = command({
  id: "container stop",
  use: "stop [OPTIONS] CONTAINER [CONTAINER...]",
  short: "Stop one or more running containers",
  aliasesLine: "docker container stop, docker stop",
  args: args.min(1),
  hiddenFlags: [TIME_FLAG],
  options: `
  -s, --signal string   Signal to send to the container
  -t, --timeout int     Seconds to wait before killing the container
`,
});

export const containerStart: CommandSpec = command({
  id: "container start",
  use: "start [OPTIONS] CONTAINER [CONTAINER...]",
  short: "Start one or more stopped containers",
  aliasesLine: "docker container start, docker start",
  args: args.min(1),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: ["attach", "checkpoint", "checkpoint-dir"],
  flagOverrides: { checkpoint: { experimental: true }, "checkpoint-dir": { experimental: true } },
  options: `
  -a, --attach                  Attach STDOUT/STDERR and forward signals
      --checkpoint string       Restore from this checkpoint
      --checkpoint-dir string   Use a custom checkpoint storage directory
      --detach-keys string      Override the key sequence for detaching a container
  -i, --interactive             Attach container's STDIN
`,
});

export const containerRestart: CommandSpec = command({
  id: "container restart",
  use: "restart [OPTIONS] CONTAINER [CONTAINER...]",
  short: "Restart one or more containers",
  aliasesLine: "docker container restart, docker restart",
  args: args.min(1),
  hiddenFlags: [TIME_FLAG],
  options: `
  -s, --signal string   Signal to send to the container
  -t, --timeout int     Seconds to wait before killing the container
`,
});

export const containerKill: CommandSpec = command({
  id: "container kill",
  use: "kill [OPTIONS] CONTAINER [CONTAINER...]",
  short: "Kill one or more running containers",
  aliasesLine: "docker container kill, docker kill",
  args: args.min(1),
  options: `
  -s, --signal string   Signal to send to the container
`,
});

export const containerPort: CommandSpec = command({
  id: "container port",
  use: "port CONTAINER [PRIVATE_PORT[/PROTO]]",
  short: "List port mappings or a specific mapping for the container",
  aliasesLine: "docker container port, docker port",
  args: args.range(1, 2),
});

export const containerPause: CommandSpec = command({
  id: "container pause",
  use: "pause CONTAINER [CONTAINER...]",
  short: "Pause all processes within one or more containers",
  aliasesLine: "docker container pause, docker pause",
  args: args.min(1),
});

export const containerUnpause: CommandSpec = command({
  id: "container unpause",
  use: "unpause CONTAINER [CONTAINER...]",
  short: "Unpause all processes within one or more containers",
  aliasesLine: "docker container unpause, docker unpause",
  args: args.min(1),
});

export const containerLogs: CommandSpec = command({
  id: "container logs",
  use: "logs [OPTIONS] CONTAINER",
  short: "Fetch the logs of a container",
  aliasesLine: "docker container logs, docker logs",
  args: args.exact(1),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: ["details", "since", "until"],
  options: `
      --details        Show extra details provided to logs
  -f, --follow         Follow log output
      --since string   Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)
  -n, --tail string    Number of lines to show from the end of the logs (default "all")
  -t, --timestamps     Show timestamps
      --until string   Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)
`,
});

export const containerStats: CommandSpec = command({
  id: "container stats",
  use: "stats [OPTIONS] [CONTAINER...]",
  short: "Display a live stream of container(s) resource usage statistics",
  aliasesLine: "docker container stats, docker stats",
  args: args.min(0),
  options: `
  -a, --all             Show all containers (default shows just running)
      --format string   Format output using a custom template:
                        'table':            Print output in table format with column headers (default)
                        'table TEMPLATE':   Print output in table format using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given Go template.
                        Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates
      --no-stream       Disable streaming stats and only pull the first result
      --no-trunc        Do not truncate output
`,
});

export const containerRm: CommandSpec = command({
  id: "container rm",
  use: "rm [OPTIONS] CONTAINER [CONTAINER...]",
  short: "Remove one or more containers",
  aliasesLine: "docker container rm, docker container remove, docker rm",
  aliases: ["remove"],
  args: args.min(1),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: ["link"],
  options: `
  -f, --force     Force the removal of a running container (uses SIGKILL)
  -l, --link      Remove the specified link
  -v, --volumes   Remove anonymous volumes associated with the container
`,
});

/** docker container ls: the same command as docker ps. */
export const containerLs: CommandSpec = renamed(containerPs, "ls [OPTIONS]", ["ps", "list"]);

export const container: CommandSpec = group({
  use: "container",
  short: "Manage containers",
  section: "management",
  subcommands: [
    unsupported(
      "attach [OPTIONS] CONTAINER",
      "Attach local standard input, output, and error streams to a running container",
    ),
    unsupported(
      "commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
      "Create a new image from a container's changes",
    ),
    unsupported(
      "cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-",
      "Copy files/folders between a container and the local filesystem",
    ),
    unsupported("create [OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container"),
    unsupported("diff CONTAINER", "Inspect changes to files or directories on a container's filesystem"),
    containerExec,
    unsupported("export [OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive"),
    unsupported(
      "inspect [OPTIONS] CONTAINER [CONTAINER...]",
      "Display detailed information on one or more containers",
    ),
    containerKill,
    containerLogs,
    containerLs,
    containerPause,
    containerPort,
    unsupported("prune [OPTIONS]", "Remove all stopped containers"),
    unsupported("rename CONTAINER NEW_NAME", "Rename a container"),
    containerRestart,
    containerRm,
    containerRun,
    containerStart,
    containerStats,
    containerStop,
    unsupported("top CONTAINER [ps OPTIONS]", "Display the running processes of a container"),
    containerUnpause,
    unsupported(
      "update [OPTIONS] CONTAINER [CONTAINER...]",
      "Update configuration of one or more containers",
    ),
    unsupported(
      "wait CONTAINER [CONTAINER...]",
      "Block until one or more containers stop, then print their exit codes",
    ),
  ],
});
