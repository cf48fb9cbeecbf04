// The workload: each op runs as the docker CLI would run it on a manager (a command line
// through the real grammar and handlers, as a job on the simulation's clock), so it takes the
// same client path as a user's command whatever transport lies underneath. Ops run
// concurrently (each its own client); the label ops make the history that is checked for
// linearizability (a register per label; a timeout or any error but a refusal is an unknown
// outcome), and acknowledged service creations are remembered for the lost-write check.
import {
  type DockerIO,
  parseCommandVector,
  RunningJob,
  type Sim,
  type SwarmCommandContext,
  type SwarmHandler,
  type SwarmNode,
  serviceCommandHandlers,
  swarmCommandHandlers,
} from "@swarm-sim/swarmkit-sim";
import type { KvOperation } from "@swarm-sim/raft";
import type { Coverage } from "./coverage";
import { LABEL_KEYS, type TimedOp } from "./case";

const HANDLERS = new Map<string, SwarmHandler>(
  [...swarmCommandHandlers, ...serviceCommandHandlers].map(([p, h]) => [p.join(" "), h]),
);

/** A docker command line's result. */
export interface CommandResult {
  code: number;
  out: string;
  err: string;
}

/** Starts `docker ...argv` on a node; `then` gets its result when the job ends. */
export function startDocker(
  sim: Sim,
  on: SwarmNode,
  argv: readonly string[],
  then: (r: CommandResult) => void,
  stdin?: string,
): RunningJob<number> | null {
  const parsed = parseCommandVector(["docker", ...argv]);
  if (parsed.kind !== "command") {
    then({ code: parsed.exitCode, out: parsed.stdout, err: parsed.stderr });
    return null;
  }
  const handler = HANDLERS.get(parsed.command.path.join(" "));
  if (!handler) throw new Error(`fuzz: no handler for docker ${parsed.command.path.join(" ")}`);
  let out = "";
  let err = "";
  const io: DockerIO = {
    out: (t: string) => {
      out += t;
    },
    err: (t: string) => {
      err += t;
    },
    stdin,
  };
  const ctx: SwarmCommandContext = { sim, machine: on.machine, swarm: on };
  const job = new RunningJob(sim, handler(parsed.command, io, ctx));
  pending.set(job, { settled: (code: number) => then({ code, out, err }) });
  return job;
}

const pending = new WeakMap<RunningJob<number>, { settled(code: number): void }>();

/** Hands a finished job's result on (once). */
export function settleJob(job: RunningJob<number>): void {
  const p = pending.get(job);
  if (!p || !job.isDone) return;
  pending.delete(job);
  const end = job.outcome;
  p.settled(end.kind === "returned" ? end.value : 130);
}

export const LABEL_TARGET = "manager1";
/** The image a failing update deploys (its program exits a second after it starts). */
export const BROKEN_IMAGE = "busybox:broken";

/** What the workload learned, for the checks. */
export interface WorkloadRecord {
  history: KvOperation[];
  /** Services whose creation was acknowledged, by name, with the ID the create printed. */
  createdServices: Map<string, string>;
  /** The references some `docker service rm` was given (acknowledged or not). */
  removeTried: Set<string>;
}

/**
 * Whether some `docker service rm` may have removed this service. dockerd resolves a reference
 * as a full ID, then an exact name, then a unique ID prefix (getService): `service rm s0` removes
 * service s3 when no service is named s0 and s3's ID starts with "s0" (IDs are random
 * lowercase letters and digits, so about one ID in 1,300 does), as it would on a real swarm.
 */
export function removalTried(record: WorkloadRecord, name: string): boolean {
  if (record.removeTried.has(name)) return true;
  const id = record.createdServices.get(name) ?? "";
  for (const ref of record.removeTried) if (ref !== "" && id.startsWith(ref)) return true;
  return false;
}

export interface WorkloadEnv {
  sim: Sim;
  machines: string[];
  node(name: string): SwarmNode;
  coverage: Coverage;
  /** Whether a network fault (partition, cut, isolation) is in effect now. */
  networkFaulty(): boolean;
  /** A worker's certificate presented straight to a manager (see probe.ts); resolves denied or not. */
  probe(worker: SwarmNode, manager: SwarmNode, done: (denied: boolean) => void): void;
}

/** The docker command line for an op (null: not a CLI op). */
export function commandFor(op: TimedOp, index: number, machines: readonly string[]): string[] | null {
  const svc = (i: number) => `s${i}`;
  const node = (i: number) => machines[i % machines.length];
  switch (op.kind) {
    case "service-create":
      return [
        "service",
        "create",
        "--detach",
        "--name",
        svc(op.service),
        ...(op.global ? ["--mode", "global"] : ["--replicas", String(op.replicas)]),
        ...(op.startFirst ? ["--update-order", "start-first"] : []),
        "--update-failure-action",
        "rollback",
        "--update-monitor",
        "2s",
        "busybox",
        "sleep",
        "infinity",
      ];
    case "service-update":
      return op.failing
        ? ["service", "update", "--detach", "--image", BROKEN_IMAGE, svc(op.service)]
        : ["service", "update", "--detach", "--env-add", `V=${index}`, svc(op.service)];
    case "service-rollback":
      return ["service", "rollback", "--detach", svc(op.service)];
    case "service-scale":
      return ["service", "scale", "--detach", `${svc(op.service)}=${op.replicas}`];
    case "service-rm":
      return ["service", "rm", svc(op.service)];
    case "node-promote":
      return ["node", "promote", node(op.node)];
    case "node-demote":
      return ["node", "demote", node(op.node)];
    case "node-drain":
      return ["node", "update", "--availability", "drain", node(op.node)];
    case "node-activate":
      return ["node", "update", "--availability", "active", node(op.node)];
    case "node-rm":
      return ["node", "rm", ...(op.force ? ["--force"] : []), node(op.node)];
    case "token-rotate":
      return ["swarm", "join-token", "--rotate", "-q", op.role];
    case "ca-rotate":
      return ["swarm", "ca", "--rotate", "--detach"];
    case "label-write":
      return ["node", "update", "--label-add", `${op.key}=v${index}`, LABEL_TARGET];
    case "label-read":
      return ["node", "inspect", LABEL_TARGET, "--format", "{{json .Spec.Labels}}"];
    case "worker-probe":
      return null;
  }
}

/** Runs the ops as their times come; `tick` is called by the run loop every slice. */
export class Workload {
  readonly record: WorkloadRecord = { history: [], createdServices: new Map(), removeTried: new Set() };
  private readonly jobs: RunningJob<number>[] = [];
  private next = 0;
  private outstandingProbes = 0;

  constructor(
    private readonly env: WorkloadEnv,
    private readonly ops: readonly TimedOp[],
    private readonly t0: number,
    private readonly managers: readonly string[],
  ) {}

  /** Jobs still running (the run loop advances them with the clock). */
  running(): RunningJob<number>[] {
    return this.jobs;
  }

  get idle(): boolean {
    return this.jobs.length === 0 && this.outstandingProbes === 0;
  }

  /** Starts the ops whose time has come (until `limit`: none after the horizon). */
  startDue(): void {
    const now = this.env.sim.now();
    while (this.next < this.ops.length && this.t0 + this.ops[this.next].at <= now) {
      this.start(this.ops[this.next], this.next);
      this.next++;
    }
  }

  /** Hands on the results of jobs that ended. */
  collect(): void {
    for (let i = this.jobs.length - 1; i >= 0; i--) {
      const j = this.jobs[i];
      if (!j.isDone) continue;
      this.jobs.splice(i, 1);
      settleJob(j);
    }
  }

  /** A final read of the labels through `via` (after the heal), added to the history. */
  finalRead(via: SwarmNode, clientId: number): void {
    this.read(via, clientId);
  }

  private start(op: TimedOp, index: number): void {
    const { env } = this;
    const via = env.node(this.managers[op.via % this.managers.length]);
    if (!via.machine.isUp()) return;
    if (op.kind === "worker-probe") {
      const target = env.node(env.machines[op.node % env.machines.length]);
      if (target.role !== "worker" || !target.machine.isUp() || !target.certificate) return;
      this.outstandingProbes++;
      env.probe(target, via, (denied) => {
        this.outstandingProbes--;
        if (denied) env.coverage.hit("workerDeniedManagerMethod");
      });
      return;
    }
    if (op.kind === "label-read") {
      this.read(via, index);
      return;
    }
    const argv = commandFor(op, index, env.machines)!;
    if (op.kind === "label-write") {
      const value = `v${index}`;
      const rec: KvOperation = {
        clientId: index,
        input: { op: "put", key: op.key, value },
        call: env.sim.now(),
      };
      env.coverage.hit("writeOutcomeUnknown");
      this.record.history.push(rec);
      this.run(via, argv, (r) => {
        if (r.code === 0) {
          rec.return = env.sim.now();
          rec.output = null;
          env.coverage.hit("writeAcknowledged");
          env.coverage.hit("writeOutcomeUnknown", -1);
        } else if (r.err.includes("out of sequence")) {
          // Refused on the version it read: it changed nothing.
          this.record.history.splice(this.record.history.indexOf(rec), 1);
          env.coverage.hit("writeOutcomeUnknown", -1);
        }
        // Any other error: the outcome is unknown (settled later from what was applied).
      });
      return;
    }
    const faultyAtStart = env.networkFaulty();
    const name = `s${"service" in op ? op.service : ""}`;
    if (op.kind === "service-rm") this.record.removeTried.add(name);
    this.run(via, argv, (r) => {
      if (r.code !== 0) return;
      const underPartition = faultyAtStart || env.networkFaulty();
      switch (op.kind) {
        case "service-create":
          this.record.createdServices.set(name, r.out.trim());
          env.coverage.hit("serviceCreated");
          break;
        case "node-promote":
          env.coverage.hit("nodePromoted");
          if (underPartition) env.coverage.hit("membershipChangeUnderPartition");
          break;
        case "node-demote":
          env.coverage.hit("nodeDemoted");
          if (underPartition) env.coverage.hit("membershipChangeUnderPartition");
          break;
        case "node-rm":
          env.coverage.hit("nodeRemoved");
          if (underPartition) env.coverage.hit("membershipChangeUnderPartition");
          break;
        case "node-drain":
          env.coverage.hit("nodeDrained");
          break;
        case "token-rotate":
          env.coverage.hit("tokenRotated");
          break;
        case "ca-rotate":
          env.coverage.hit("caRotated");
          break;
      }
    });
  }

  private read(via: SwarmNode, clientId: number): void {
    const { env } = this;
    const call = env.sim.now();
    this.run(via, commandFor({ at: 0, via: 0, kind: "label-read" }, 0, env.machines)!, (r) => {
      if (r.code !== 0) return;
      let labels: Record<string, string>;
      try {
        labels = JSON.parse(r.out) ?? {};
      } catch {
        throw new Error(`fuzz: docker node inspect printed ${JSON.stringify(r.out)}`);
      }
      env.coverage.hit("readAnswered");
      for (const key of LABEL_KEYS)
        this.record.history.push({
          clientId,
          input: { op: "get", key },
          call,
          return: env.sim.now(),
          output: labels[key] ?? null,
        });
    });
  }

  private run(
    via: SwarmNode,
    argv: string[],
    then: (r: { code: number; out: string; err: string }) => void,
  ): void {
    const job = startDocker(this.env.sim, via, argv, then);
    if (job) {
      if (job.isDone) settleJob(job);
      else this.jobs.push(job);
    }
  }
}
