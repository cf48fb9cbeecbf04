// docker network: create, ls, rm, inspect, connect, disconnect, prune.
// Generated from `docker <command> --help` of Docker 28.2.2 (unwrapped), then annotated by hand.
import { args, command, group } from "../define";
import type { CommandSpec } from "../types";

export const networkCreate: CommandSpec = command({
  use: "create [OPTIONS] NETWORK",
  short: "Create a network",
  args: args.exact(1),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: [
    "aux-address",
    "config-from",
    "config-only",
    "gateway",
    "ingress",
    "internal",
    "ip-range",
    "ipam-driver",
    "ipam-opt",
    "ipv4",
    "ipv6",
    "opt",
    "scope",
  ],
  options: `
      --attachable           Enable manual container attachment
      --aux-address map      Auxiliary IPv4 or IPv6 addresses used by Network driver (default map[])
      --config-from string   The network from which to copy the configuration
      --config-only          Create a configuration only network
  -d, --driver string        Driver to manage the Network (default "bridge")
      --gateway strings      IPv4 or IPv6 Gateway for the master subnet
      --ingress              Create swarm routing-mesh network
      --internal             Restrict external access to the network
      --ip-range strings     Allocate container ip from a sub-range
      --ipam-driver string   IP Address Management Driver (default "default")
      --ipam-opt map         Set IPAM driver specific options (default map[])
      --ipv4                 Enable or disable IPv4 address assignment (default true)
      --ipv6                 Enable or disable IPv6 address assignment
      --label list           Set metadata on a network
  -o, --opt map              Set driver specific options (default map[])
      --scope string         Control the network's scope
      --subnet strings       Subnet in CIDR format that represents a network segment
`,
});

export const networkLs: CommandSpec = command({
  use: "ls [OPTIONS]",
  short: "List networks",
  aliases: ["list"],
  args: args.none(),
  options: `
  -f, --filter filter   Provide filter values (e.g. "driver=bridge")
      --format string   Format output using a custom template:
                        'table':            Print output in table format with column headers (default)
                        'table TEMPLATE':   Print output in table format using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given Go template.
                        Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates
      --no-trunc        Do not truncate the output
  -q, --quiet           Only display network IDs
`,
});

export const networkRm: CommandSpec = command({
  use: "rm NETWORK [NETWORK...]",
  short: "Remove one or more networks",
  aliases: ["remove"],
  args: args.min(1),
  options: `
  -f, --force   Do not error if the network does not exist
`,
});

export const networkInspect: CommandSpec = command({
  use: "inspect [OPTIONS] NETWORK [NETWORK...]",
  short: "Display detailed information on one or more networks",
  args: args.min(1),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: ["verbose"],
  options: `
  -f, --format string   Format output using a custom template:
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given Go template.
                        Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates
  -v, --verbose         Verbose output for diagnostics
`,
});

export const networkConnect: CommandSpec = command({
  use: "connect [OPTIONS] NETWORK CONTAINER",
  short: "Connect a container to a network",
  args: args.exact(2),
  // Not modelled: refused rather than ignored (see CommandSpec.unsupportedFlags).
  unsupportedFlags: ["alias", "driver-opt", "gw-priority", "ip", "ip6", "link", "link-local-ip"],
  options: `
      --alias strings           Add network-scoped alias for the container
      --driver-opt strings      driver options for the network
      --gw-priority int         Highest gw-priority provides the default gateway. Accepts positive and negative values.
      --ip string               IPv4 address (e.g., "172.30.100.104")
      --ip6 string              IPv6 address (e.g., "2001:db8::33")
      --link list               Add link to another container
      --link-local-ip strings   Add a link-local address for the container
`,
});

export const networkDisconnect: CommandSpec = command({
  use: "disconnect [OPTIONS] NETWORK CONTAINER",
  short: "Disconnect a container from a network",
  args: args.exact(2),
  options: `
  -f, --force   Force the container to disconnect from a network
`,
});

export const networkPrune: CommandSpec = command({
  use: "prune [OPTIONS]",
  short: "Remove all unused networks",
  args: args.none(),
  options: `
      --filter filter   Provide filter values (e.g. "until=<timestamp>")
  -f, --force           Do not prompt for confirmation
`,
});

export const network: CommandSpec = group({
  use: "network",
  short: "Manage networks",
  section: "management",
  subcommands: [
    networkConnect,
    networkCreate,
    networkDisconnect,
    networkInspect,
    networkLs,
    networkPrune,
    networkRm,
  ],
});
