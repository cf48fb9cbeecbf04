// The queue a sweep's worker threads share: the tasks, the order to take them in, and a
// counter in shared memory. Each worker takes the next task itself, runs it, posts the result
// back as JSON text (see runSweepTaskJson), and goes on until the queue is empty. Workers take
// tasks themselves, rather than wait for the pool's thread to hand out each one, so a worker
// never sits idle between tasks while that thread is busy or not scheduled (both cores running
// workers), and no worker holds a task another could already run.
import { runSweepTaskJson, type SweepTask } from "./tasks";

/** What the pool gives each worker when it starts it. */
export interface WorkerSetup {
  tasks: readonly SweepTask[];
  /** The order in which tasks are taken: queue position -> task index. */
  order: readonly number[];
  /** One Int32: the next queue position to take, shared by every worker of the sweep. */
  next: SharedArrayBuffer;
}

export type WorkerMessage =
  | { kind: "started"; index: number }
  | { kind: "result"; index: number; json: string }
  | { kind: "error"; index: number; error: string };

/** Takes tasks from the shared queue until it is empty; each one started, then its result. */
export function drainQueue(setup: WorkerSetup, post: (msg: WorkerMessage) => void): void {
  const next = new Int32Array(setup.next);
  for (;;) {
    const position = Atomics.add(next, 0, 1);
    if (position >= setup.order.length) return;
    const index = setup.order[position];
    post({ kind: "started", index });
    try {
      post({ kind: "result", index, json: runSweepTaskJson(setup.tasks[index]) });
    } catch (e) {
      post({ kind: "error", index, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      return;
    }
  }
}
