// Runs sweep tasks in worker threads on all cores (or in this thread with threads = 1). Each
// task is one seed; results stream back as they finish and are handed on in task order, so
// what a sweep prints does not depend on how many threads ran it or in which order they
// finished.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { ReorderBuffer } from "./reorder";
import { runSweepTaskJson, type SweepTask } from "./tasks";
import type { WorkerMessage, WorkerSetup } from "./task-queue";

export interface SweepProgress {
  done: number;
  total: number;
  /** Indexes of the tasks running now, oldest first. */
  running: readonly number[];
}

export interface SweepOptions<R = unknown> {
  /** Worker threads; 1 runs the tasks in this thread. Default: all cores. */
  threads?: number;
  /** Every result, in task order, as soon as it and every result before it are in. */
  onResult?: (index: number, result: R) => void;
  /** Every result as it arrives, in any order, as JSON text (e.g. to append it to a file). */
  onArrival?: (index: number, json: string) => void;
  /** Called when a task starts or ends. */
  onProgress?: (progress: SweepProgress) => void;
  /**
   * The order in which tasks start (a permutation of the indexes; default: task order). Long
   * tasks started first finish sooner overall; results are still handed on in task order.
   */
  startOrder?: readonly number[];
}

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/** Runs the tasks; resolves to their results in task order. */
export async function runSweep<R = unknown>(
  tasks: readonly SweepTask[],
  opts: SweepOptions<R> = {},
): Promise<R[]> {
  const order = opts.startOrder ?? tasks.map((_, i) => i);
  if (
    order.length !== tasks.length ||
    new Set(order).size !== tasks.length ||
    order.some((i) => !(i in tasks))
  )
    throw new Error("runSweep: startOrder must be a permutation of the task indexes");
  const results = new Array<R>(tasks.length);
  const reorder = new ReorderBuffer<R>((i, r) => opts.onResult?.(i, r));
  const running: number[] = [];
  let done = 0;
  const report = () => opts.onProgress?.({ done, total: tasks.length, running: [...running] });
  const started = (index: number) => {
    if (running.includes(index) || index in results) throw new Error(`sweep task ${index} started twice`);
    running.push(index);
    report();
  };
  const finished = (index: number, json: string) => {
    const at = running.indexOf(index);
    if (at < 0) throw new Error(`sweep task ${index} finished twice, or without starting`);
    running.splice(at, 1);
    done++;
    opts.onArrival?.(index, json);
    const result = JSON.parse(json) as R;
    results[index] = result;
    report();
    reorder.put(index, result);
  };

  const threads = Math.max(1, Math.min(opts.threads ?? defaultThreads(), tasks.length || 1));
  if (threads === 1) {
    for (const index of order) {
      started(index);
      // Give the event loop a turn first, so a progress line can be drawn between tasks.
      await new Promise<void>((resolve) => setImmediate(resolve)); // wall-clock: lets the progress line draw; changes no result
      finished(index, runSweepTaskJson(tasks[index]));
    }
    return results;
  }

  // The workers share one queue (the start order and a counter in shared memory) and take
  // tasks from it themselves; this thread only hears what starts and what finishes.
  const setup: WorkerSetup = { tasks, order, next: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT) };
  const entry = workerEntry();
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let exited = 0;
      for (let w = 0; w < threads; w++) {
        const worker = new Worker(entry, { workerData: setup });
        workers.push(worker);
        worker.on("message", (msg: WorkerMessage) => {
          try {
            if (msg.kind === "started") started(msg.index);
            else if (msg.kind === "result") finished(msg.index, msg.json);
            else
              reject(
                new Error(
                  `sweep task ${msg.index} (${JSON.stringify(tasks[msg.index])}) failed: ${msg.error}`,
                ),
              );
          } catch (e) {
            reject(e);
          }
        });
        worker.on("error", reject);
        // A worker ends when the queue is empty, and its messages all come before its exit. The
        // sweep is done when every worker has ended (not at the last result): a task run twice,
        // or one lost, is then always seen.
        worker.on("exit", (code) => {
          if (code !== 0) reject(new Error(`sweep worker exited with code ${code}`));
          else if (++exited < threads) return;
          else if (done < tasks.length)
            reject(new Error(`sweep workers stopped after ${done} of ${tasks.length} tasks`));
          else resolve();
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

/**
 * The worker thread's entry. Built (dist/, where this code is bundled), it is the compiled
 * worker beside it. From the TypeScript sources (vitest, tsx), it is a small boot file that
 * loads the worker through tsx, with our packages resolved to their sources as well. Either
 * way the worker inherits this thread's Node options.
 */
function workerEntry(): URL {
  return import.meta.url.endsWith(".ts")
    ? new URL("./worker-boot.mjs", import.meta.url)
    : new URL("./sweep-worker.js", import.meta.url);
}
