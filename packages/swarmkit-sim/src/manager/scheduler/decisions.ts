// What the scheduler decided, and why ("why this node"): for each pass over a group of tasks,
// each node's verdict from the filter pipeline (the filter it failed at and what that filter saw,
// on the node as it was then), and for each task the node it got and how that node ranked (its
// tasks of the service, its tasks in total, its recent failures, the spread branch it sat in,
// the runner-up). Bounded: the last MAX_TASKS task decisions and the last MAX_PASSES passes are
// kept (an older task's record stays, without its candidates). The records are plain data;
// explain.ts turns one into the explanation the lab and the studio show.
import type { Node, Task } from "../../api/types";
import type { FilterDetail } from "./filters";

export const MAX_TASKS = 1000;
export const MAX_PASSES = 32;

/** One pass of the filter pipeline over the nodes, for one group of identical tasks. */
export interface PassRecord {
  readonly id: number;
  readonly at: number;
  /** The enabled filters, in order (SwarmKit's names). */
  readonly filters: readonly string[];
  /** The nodes as the scheduler saw them (store objects are immutable). */
  readonly nodes: readonly Node[];
  /** Per node: the index in `filters` it failed at, -1 when it passed all. */
  readonly failedAt: Int8Array;
  /** Per failing node: what the filter saw. */
  readonly details: ReadonlyMap<number, FilterDetail>;
  /** Spread preferences of the group (`node.labels.zone`...). */
  readonly spread: readonly string[];
}

/** How the chosen node ranked (SwarmKit nodeLess, and the spread tree). */
export interface RankRecord {
  /** Tasks of the service on the node before this one. */
  serviceTasks: number;
  /** Active tasks on the node in total. */
  activeTasks: number;
  /** Failures of this service version on the node in the last 5 minutes. */
  recentFailures: number;
  /** The branch of each spread level the task went down ("" for nodes without the label). */
  branch: readonly string[];
  /** The next best node of the same branch at that moment, if any. */
  runnerUp?: { nodeId: string; serviceTasks: number; activeTasks: number; recentFailures: number };
  /** Eligible nodes after the static filters. */
  candidates: number;
}

export type Outcome = "assigned" | "preassigned" | "unschedulable";

export interface TaskDecision {
  readonly taskId: string;
  readonly at: number;
  readonly outcome: Outcome;
  /** The node it got (assigned, preassigned) or was checked against (preassigned and refused). */
  readonly nodeId: string;
  /** The task's status message or Status.Err as the scheduler wrote it. */
  readonly message: string;
  readonly passId: number;
  readonly rank?: RankRecord;
}

export class DecisionLog {
  private readonly tasks = new Map<string, TaskDecision>();
  private readonly passes = new Map<number, PassRecord>();
  /** The task specs passes were made for (their constraints word the details), by pass. */
  private readonly passTasks = new Map<number, Task>();
  private nextPass = 1;

  /** Starts a pass record over `nodes` for a group whose first task is `task`. */
  beginPass(at: number, task: Task, filters: readonly string[], nodes: readonly Node[]): PassBuilder {
    const id = this.nextPass++;
    const rec: PassRecord = {
      id,
      at,
      filters,
      nodes,
      failedAt: new Int8Array(nodes.length).fill(-1),
      details: new Map(),
      spread: task.spec.placement.preferences.map((p) => p.spreadDescriptor),
    };
    this.passes.set(id, rec);
    this.passTasks.set(id, task);
    while (this.passes.size > MAX_PASSES) {
      const oldest = this.passes.keys().next().value!;
      this.passes.delete(oldest);
      this.passTasks.delete(oldest);
    }
    return new PassBuilder(rec);
  }

  record(d: TaskDecision): void {
    this.tasks.delete(d.taskId);
    this.tasks.set(d.taskId, d);
    while (this.tasks.size > MAX_TASKS) this.tasks.delete(this.tasks.keys().next().value!);
  }

  decision(taskId: string): TaskDecision | undefined {
    return this.tasks.get(taskId);
  }

  pass(id: number): PassRecord | undefined {
    return this.passes.get(id);
  }

  /** The task the pass was made for (its spec, for wording constraint details). */
  passTask(id: number): Task | undefined {
    return this.passTasks.get(id);
  }

  /** Decisions kept (for tests of the bound). */
  get size(): { tasks: number; passes: number } {
    return { tasks: this.tasks.size, passes: this.passes.size };
  }
}

/** Fills a pass record as the pipeline runs over the nodes. */
export class PassBuilder {
  constructor(readonly record: PassRecord) {}

  get id(): number {
    return this.record.id;
  }

  /** Node `i` failed filter `filterIndex`, which saw `detail`. */
  failed(i: number, filterIndex: number, detail: FilterDetail): void {
    (this.record.failedAt as Int8Array)[i] = filterIndex;
    (this.record.details as Map<number, FilterDetail>).set(i, detail);
  }
}
