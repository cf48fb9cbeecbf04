// The `docker` root command: its global options and every top-level command of Docker 28.2.2,
// in the sections `docker --help` lists them in. Commands the simulator does not model are
// listed by name (unsupported), so help reads as Docker's and running them says they are not
// supported rather than "unknown command".
import { args, command, unsupported } from "../define";
import type { CommandSpec } from "../types";
import { compose } from "./compose";
import {
  container,
  containerExec,
  containerKill,
  containerLogs,
  containerPause,
  containerPort,
  containerPs,
  containerRestart,
  containerRm,
  containerRun,
  containerStart,
  containerStats,
  containerStop,
  containerUnpause,
} from "./container";
import { network } from "./network";
import { node } from "./node";
import { service } from "./service";
import { stack } from "./stack";
import { swarm } from "./swarm";
import { system, systemInfo, systemVersion } from "./system";

const top = (spec: CommandSpec, order: number): CommandSpec => ({
  ...spec,
  section: "common",
  topOrder: order,
});
const plain = (spec: CommandSpec): CommandSpec => ({ ...spec, section: "commands" });
const management = (use: string, short: string, extra: Partial<CommandSpec> = {}) =>
  unsupported(use, short, { section: "management", ...extra });
const swarmGroup = (use: string, short: string) =>
  unsupported(use, short, { section: "swarm", swarm: "manager" });
const other = (use: string, short: string) => unsupported(use, short, { section: "commands" });

export const docker: CommandSpec = command({
  use: "docker [OPTIONS] COMMAND [ARG...]",
  short: "A self-sufficient runtime for containers",
  args: args.any(),
  // Global options end at the first word that is not an option: that word is the command.
  interspersed: false,
  options: `
      --config string      Location of client config files (default "/root/.docker")
  -c, --context string     Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with "docker context use")
  -D, --debug              Enable debug mode
  -H, --host list          Daemon socket to connect to
  -l, --log-level string   Set the logging level ("debug", "info", "warn", "error", "fatal") (default "info")
      --tls                Use TLS; implied by --tlsverify
      --tlscacert string   Trust certs signed only by this CA (default "/root/.docker/ca.pem")
      --tlscert string     Path to TLS certificate file (default "/root/.docker/cert.pem")
      --tlskey string      Path to TLS key file (default "/root/.docker/key.pem")
      --tlsverify          Use TLS and verify the remote
  -v, --version            Print version information and quit
`,
  subcommands: [
    top(containerRun, 1),
    top(containerExec, 2),
    top(containerPs, 3),
    unsupported("build [OPTIONS] PATH | URL | -", "Build an image from a Dockerfile", {
      section: "common",
      topOrder: 4,
    }),
    unsupported("pull [OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry", {
      section: "common",
      topOrder: 5,
    }),
    unsupported("push [OPTIONS] NAME[:TAG]", "Upload an image to a registry", {
      section: "common",
      topOrder: 6,
    }),
    unsupported("images [OPTIONS] [REPOSITORY[:TAG]]", "List images", { section: "common", topOrder: 7 }),
    unsupported("login [OPTIONS] [SERVER]", "Authenticate to a registry", { section: "common", topOrder: 8 }),
    unsupported("logout [SERVER]", "Log out from a registry", { section: "common", topOrder: 9 }),
    unsupported("search [OPTIONS] TERM", "Search Docker Hub for images", { section: "common", topOrder: 10 }),
    top(systemVersion, 11),
    top(systemInfo, 12),

    management("builder", "Manage builds"),
    management("checkpoint", "Manage checkpoints", { experimental: true }),
    compose,
    container,
    management("context", "Manage contexts"),
    management("image", "Manage images"),
    management("manifest", "Manage Docker image manifests and manifest lists"),
    network,
    management("plugin", "Manage plugins"),
    system,
    management("trust", "Manage trust on Docker images"),
    management("volume", "Manage volumes"),

    swarmGroup("config", "Manage Swarm configs"),
    node,
    swarmGroup("secret", "Manage Swarm secrets"),
    service,
    stack,
    swarm,

    other(
      "attach [OPTIONS] CONTAINER",
      "Attach local standard input, output, and error streams to a running container",
    ),
    other("commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes"),
    other(
      "cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-",
      "Copy files/folders between a container and the local filesystem",
    ),
    other("create [OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container"),
    other("diff CONTAINER", "Inspect changes to files or directories on a container's filesystem"),
    other("events [OPTIONS]", "Get real time events from the server"),
    other("export [OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive"),
    other("history [OPTIONS] IMAGE", "Show the history of an image"),
    other(
      "import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
      "Import the contents from a tarball to create a filesystem image",
    ),
    other("inspect [OPTIONS] NAME|ID [NAME|ID...]", "Return low-level information on Docker objects"),
    plain(containerKill),
    other("load [OPTIONS]", "Load an image from a tar archive or STDIN"),
    plain(containerLogs),
    plain(containerPause),
    plain(containerPort),
    other("rename CONTAINER NEW_NAME", "Rename a container"),
    plain(containerRestart),
    plain(containerRm),
    other("rmi [OPTIONS] IMAGE [IMAGE...]", "Remove one or more images"),
    other(
      "save [OPTIONS] IMAGE [IMAGE...]",
      "Save one or more images to a tar archive (streamed to STDOUT by default)",
    ),
    plain(containerStart),
    plain(containerStats),
    plain(containerStop),
    other(
      "tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
      "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
    ),
    other("top CONTAINER [ps OPTIONS]", "Display the running processes of a container"),
    plain(containerUnpause),
    other("update [OPTIONS] CONTAINER [CONTAINER...]", "Update configuration of one or more containers"),
    other(
      "wait CONTAINER [CONTAINER...]",
      "Block until one or more containers stop, then print their exit codes",
    ),
  ],
});
