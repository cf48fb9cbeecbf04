// What the studio offers to do to a machine, as the lab command that does it: the page types
// the command into the active terminal (the student sees, and learns, the command), it never
// acts behind the terminal's back. A docker:dind node is a container on node1, so Docker's own
// commands apply (docker stop|kill|start|pause|unpause, docker network disconnect|connect);
// node1 is the user's own machine, whose engine stops and starts with systemctl; partitions
// and their healing are the lab's own commands (partition, heal).

export interface MachineAction {
  /** The button's word: stop, kill, start, pause, unpause, disconnect, connect, partition, heal. */
  label: string;
  /** The lab command, as typed at node1's prompt. */
  command: string;
  /** fault: breaks something; repair: undoes a fault. */
  kind: "fault" | "repair";
}

export interface MachineFacts {
  name: string;
  kind: "host" | "dind";
  engine: "running" | "stopped" | "paused" | "disconnected";
  /** Whether some machine cannot reach it, or it cannot reach some (a partition, a block). */
  partitioned: boolean;
}

/** The actions that make sense for a machine in its state, faults first. */
export function machineActions(m: MachineFacts): MachineAction[] {
  const out: MachineAction[] = [];
  const fault = (label: string, command: string) => out.push({ label, command, kind: "fault" });
  const repair = (label: string, command: string) => out.push({ label, command, kind: "repair" });
  if (m.kind === "host") {
    if (m.engine === "running") {
      fault("stop", "sudo systemctl stop docker");
      if (!m.partitioned) fault("partition", `partition ${m.name}`);
    } else repair("start", "sudo systemctl start docker");
  } else {
    switch (m.engine) {
      case "running":
        fault("stop", `docker stop ${m.name}`);
        fault("kill", `docker kill ${m.name}`);
        fault("pause", `docker pause ${m.name}`);
        fault("disconnect", `docker network disconnect bridge ${m.name}`);
        if (!m.partitioned) fault("partition", `partition ${m.name}`);
        break;
      case "stopped":
        repair("start", `docker start ${m.name}`);
        break;
      case "paused":
        repair("unpause", `docker unpause ${m.name}`);
        fault("kill", `docker kill ${m.name}`);
        break;
      case "disconnected":
        repair("connect", `docker network connect bridge ${m.name}`);
        fault("kill", `docker kill ${m.name}`);
        break;
    }
  }
  if (m.partitioned && m.engine !== "disconnected") repair("heal", "heal");
  return out;
}
