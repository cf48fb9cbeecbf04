// docker node: ls, inspect, promote, demote, rm, update, ps.
// Generated from `docker <command> --help` of Docker 28.2.2 (unwrapped), then annotated by hand.
import { args, command, group } from "../define";
import type { CommandSpec } from "../types";

export const nodeLs: CommandSpec = command({
  use: "ls [OPTIONS]",
  short: "List nodes in the swarm",
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

export const nodeInspect: CommandSpec = command({
  use: "inspect [OPTIONS] self|NODE [NODE...]",
  short: "Display detailed information on one or more nodes",
  args: args.min(1),
  options: `
  -f, --format string   Format output using a custom template:
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given Go template.
                        Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates
      --pretty          Print the information in a human friendly format
`,
});

export const nodePromote: CommandSpec = command({
  use: "promote NODE [NODE...]",
  short: "Promote one or more nodes to manager in the swarm",
  args: args.min(1),
});

export const nodeDemote: CommandSpec = command({
  use: "demote NODE [NODE...]",
  short: "Demote one or more nodes from manager in the swarm",
  args: args.min(1),
});

export const nodeRm: CommandSpec = command({
  use: "rm [OPTIONS] NODE [NODE...]",
  short: "Remove one or more nodes from the swarm",
  aliases: ["remove"],
  args: args.min(1),
  options: `
  -f, --force   Force remove a node from the swarm
`,
});

export const nodeUpdate: CommandSpec = command({
  use: "update [OPTIONS] NODE",
  short: "Update a node",
  args: args.exact(1),
  options: `
      --availability string   Availability of the node ("active", "pause", "drain")
      --label-add list        Add or update a node label ("key=value")
      --label-rm list         Remove a node label if exists
      --role string           Role of the node ("worker", "manager")
`,
});

export const nodePs: CommandSpec = command({
  use: "ps [OPTIONS] [NODE...]",
  short: "List tasks running on one or more nodes, defaults to current node",
  args: args.min(0),
  options: `
  -f, --filter filter   Filter output based on conditions provided
      --format string   Pretty-print tasks using a Go template
      --no-resolve      Do not map IDs to Names
      --no-trunc        Do not truncate output
  -q, --quiet           Only display task IDs
`,
});

export const node: CommandSpec = group({
  use: "node",
  short: "Manage Swarm nodes",
  swarm: "manager",
  section: "swarm",
  subcommands: [nodeDemote, nodeInspect, nodeLs, nodePromote, nodeRm, nodeUpdate, nodePs],
});
