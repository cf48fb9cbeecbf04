// docker swarm: init, join, join-token, leave, update, ca, unlock, unlock-key.
// Generated from `docker <command> --help` of Docker 28.2.2 (unwrapped), then annotated by hand.
import { args, command, group } from "../define";
import type { CommandSpec } from "../types";

export const swarmInit: CommandSpec = command({
  use: "init [OPTIONS]",
  short: "Initialize a swarm",
  args: args.none(),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: [
    "data-path-addr",
    "data-path-port",
    "default-addr-pool",
    "default-addr-pool-mask-length",
    "external-ca",
    "max-snapshots",
    "snapshot-interval",
  ],
  swarm: "",
  options: `
      --advertise-addr string                  Advertised address (format: "<ip|interface>[:port]")
      --autolock                               Enable manager autolocking (requiring an unlock key to start a stopped manager)
      --availability string                    Availability of the node ("active", "pause", "drain") (default "active")
      --cert-expiry duration                   Validity period for node certificates (ns|us|ms|s|m|h) (default 2160h0m0s)
      --data-path-addr string                  Address or interface to use for data path traffic (format: "<ip|interface>")
      --data-path-port uint32                  Port number to use for data path traffic (1024 - 49151). If no value is set or is set to 0, the default port (4789) is used.
      --default-addr-pool ipNetSlice           default address pool in CIDR format (default [])
      --default-addr-pool-mask-length uint32   default address pool subnet mask length (default 24)
      --dispatcher-heartbeat duration          Dispatcher heartbeat period (ns|us|ms|s|m|h) (default 5s)
      --external-ca external-ca                Specifications of one or more certificate signing endpoints
      --force-new-cluster                      Force create a new cluster from current state
      --listen-addr node-addr                  Listen address (format: "<ip|interface>[:port]") (default 0.0.0.0:2377)
      --max-snapshots uint                     Number of additional Raft snapshots to retain
      --snapshot-interval uint                 Number of log entries between Raft snapshots (default 10000)
      --task-history-limit int                 Task history retention limit (default 5)
`,
});

export const swarmJoin: CommandSpec = command({
  use: "join [OPTIONS] HOST:PORT",
  short: "Join a swarm as a node and/or manager",
  args: args.exact(1),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: ["data-path-addr"],
  swarm: "",
  options: `
      --advertise-addr string   Advertised address (format: "<ip|interface>[:port]")
      --availability string     Availability of the node ("active", "pause", "drain") (default "active")
      --data-path-addr string   Address or interface to use for data path traffic (format: "<ip|interface>")
      --listen-addr node-addr   Listen address (format: "<ip|interface>[:port]") (default 0.0.0.0:2377)
      --token string            Token for entry into the swarm
`,
});

export const swarmJoinToken: CommandSpec = command({
  use: "join-token [OPTIONS] (worker|manager)",
  short: "Manage join tokens",
  args: args.exact(1),
  swarm: "manager",
  // join_token.go checks the role before asking the daemon.
  validate: ({ args }) =>
    args[0] === "worker" || args[0] === "manager" ? undefined : `unknown role ${args[0]}`,
  options: `
  -q, --quiet    Only display token
      --rotate   Rotate join token
`,
});

export const swarmLeave: CommandSpec = command({
  use: "leave [OPTIONS]",
  short: "Leave the swarm",
  args: args.none(),
  swarm: "active",
  options: `
  -f, --force   Force this node to leave the swarm, ignoring warnings
`,
});

export const swarmUpdate: CommandSpec = command({
  use: "update [OPTIONS]",
  short: "Update the swarm",
  args: args.none(),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: ["external-ca", "max-snapshots", "snapshot-interval"],
  swarm: "manager",
  // With no flag at all the CLI prints this help (PreRunE returns pflag.ErrHelp).
  helpIfNoFlags: true,
  options: `
      --autolock                        Change manager autolocking setting (true|false)
      --cert-expiry duration            Validity period for node certificates (ns|us|ms|s|m|h) (default 2160h0m0s)
      --dispatcher-heartbeat duration   Dispatcher heartbeat period (ns|us|ms|s|m|h) (default 5s)
      --external-ca external-ca         Specifications of one or more certificate signing endpoints
      --max-snapshots uint              Number of additional Raft snapshots to retain
      --snapshot-interval uint          Number of log entries between Raft snapshots (default 10000)
      --task-history-limit int          Task history retention limit (default 5)
`,
});

export const swarmCa: CommandSpec = command({
  use: "ca [OPTIONS]",
  short: "Display and rotate the root CA",
  args: args.none(),
  swarm: "manager",
  options: `
      --ca-cert pem-file          Path to the PEM-formatted root CA certificate to use for the new cluster
      --ca-key pem-file           Path to the PEM-formatted root CA key to use for the new cluster
      --cert-expiry duration      Validity period for node certificates (ns|us|ms|s|m|h) (default 2160h0m0s)
  -d, --detach                    Exit immediately instead of waiting for the root rotation to converge
      --external-ca external-ca   Specifications of one or more certificate signing endpoints
  -q, --quiet                     Suppress progress output
      --rotate                    Rotate the swarm CA - if no certificate or key are provided, new ones will be generated
`,
});

export const swarmUnlock: CommandSpec = command({
  use: "unlock",
  short: "Unlock swarm",
  args: args.none(),
  swarm: "manager",
});

export const swarmUnlockKey: CommandSpec = command({
  use: "unlock-key [OPTIONS]",
  short: "Manage the unlock key",
  args: args.none(),
  swarm: "manager",
  options: `
  -q, --quiet    Only display token
      --rotate   Rotate unlock key
`,
});

export const swarm: CommandSpec = group({
  use: "swarm",
  short: "Manage Swarm",
  swarm: "",
  section: "swarm",
  subcommands: [
    swarmInit,
    swarmJoin,
    swarmJoinToken,
    swarmUnlockKey,
    swarmUpdate,
    swarmLeave,
    swarmUnlock,
    swarmCa,
  ],
});
