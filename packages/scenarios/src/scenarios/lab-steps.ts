// Running lecture commands in a lab from a scenario: each step keeps its output, so a scenario
// can measure what the user would see.
import { Lab, type LabOptions } from "@swarm-sim/swarmkit-sim";

export interface Step {
  line: string;
  stdout: string;
  stderr: string;
  exitCode: number;
}

export class LabSession {
  readonly lab: Lab;
  readonly steps: Step[] = [];

  constructor(opts: LabOptions) {
    this.lab = new Lab(opts);
  }

  run(line: string): Step {
    const r = this.lab.run(line);
    const step = { line, stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
    this.steps.push(step);
    return step;
  }

  /** Runs a line that must succeed; a failure is a broken scenario, not a verdict. */
  must(line: string): Step {
    const s = this.run(line);
    if (s.exitCode !== 0) throw new Error(`scenario step failed: ${line}\n${s.stderr || s.stdout}`);
    return s;
  }

  /** Creates a docker:dind node and joins it to the swarm led from node1. */
  addNode(name: string, role: "worker" | "manager"): Step {
    this.must(`docker run -d --privileged --name ${name} docker:dind`);
    const token = this.must(`docker swarm join-token -q ${role}`).stdout.trim();
    const addr = this.joinAddr();
    return this.must(`docker exec ${name} docker swarm join --token ${token} ${addr}`);
  }

  /** The manager address in the current node's join command. */
  joinAddr(): string {
    return joinAddress(this.must("docker swarm join-token worker").stdout);
  }

  traceHash(): string {
    this.lab.sim.trace.record("scenario.steps", {
      steps: this.steps.map((s) => [s.line, s.exitCode, s.stdout, s.stderr]),
    });
    return this.lab.sim.trace.hash();
  }
}

/** `docker node ls` rows as objects (the ID column ends with " *" for the node itself). */
export function parseNodeLs(out: string): {
  id: string;
  self: boolean;
  hostname: string;
  status: string;
  availability: string;
  managerStatus: string;
}[] {
  const lines = out.split("\n").filter((l) => l.trim() !== "");
  if (lines.length === 0) return [];
  const header = lines[0];
  const col = (name: string) => header.indexOf(name);
  const cut = (l: string, from: number, to: number) => l.slice(from, to < 0 ? undefined : to).trim();
  const [h, st, av, ms, ev] = [
    col("HOSTNAME"),
    col("STATUS"),
    col("AVAILABILITY"),
    col("MANAGER STATUS"),
    col("ENGINE VERSION"),
  ];
  return lines.slice(1).map((l) => {
    const idCol = cut(l, 0, h);
    return {
      id: idCol.replace(/\s*\*$/, ""),
      self: idCol.endsWith("*"),
      hostname: cut(l, h, st),
      status: cut(l, st, av),
      availability: cut(l, av, ms),
      managerStatus: cut(l, ms, ev),
    };
  });
}

/** The manager address (HOST:PORT) in the output of `docker swarm join-token worker|manager`. */
export function joinAddress(joinTokenOutput: string): string {
  const m = /--token \S+ (\S+)/.exec(joinTokenOutput);
  if (!m) throw new Error(`no join address in: ${joinTokenOutput}`);
  return m[1];
}
