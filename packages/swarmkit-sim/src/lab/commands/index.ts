// The lab's own commands, as a plugin on the same host interface every other plugin uses:
// time (sleep, advance, date), network faults (partition, block, latency, loss, heal, faults),
// nodes (nodes, ip, top, explain), attacks (rogue) and the node's shell (cd, pwd, ls, cat, git, hostname, exit, help).
import type { LabPlugin } from "../plugin";
import type { LabWorld } from "../world";
import { explainCommand } from "./explain";
import { faultCommands } from "./faults";
import { hostToolCommands } from "./host-tools";
import { ipCommand, nodeCommands, topCommand } from "./nodes";
import { rogueCommand } from "./rogue";
import { exitCommand, fileCommands, helpCommand } from "./shell";
import { advance, date, sleep } from "./time";

export const LAB_COMMANDS_PLUGIN = "lab";

export function labCommandsPlugin(world: LabWorld): LabPlugin {
  return {
    name: LAB_COMMANDS_PLUGIN,
    install(host) {
      // In the order `help` lists them within each group.
      const commands = [
        sleep,
        advance(world),
        ...faultCommands(world),
        ...nodeCommands(world),
        rogueCommand(world),
        helpCommand(host),
        ...fileCommands(world),
        date(world),
        ipCommand(world),
        exitCommand(),
        topCommand(),
        ...hostToolCommands(world),
        explainCommand(world),
      ];
      for (const c of commands) host.registerShellCommand(c);
    },
  };
}

export { formatDate } from "./time";
export { helpText } from "./shell";
export { simClock } from "./usage";
