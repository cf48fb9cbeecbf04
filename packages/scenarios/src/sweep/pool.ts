// Runs sweep tasks over seeds in worker threads on all cores (or inline with threads = 1).
// Results come back in task order whatever the thread count, so a sweep's output does not
// depend on how many threads ran it.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { runSweepTask, type SweepTask } from "./tasks";

export interface SweepOptions {
  /** Worker threads; 1 runs inline in this thread. Default: all cores. */
  threads?: number;
  /** Called after each finished task with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

export async function runSweep<R = unknown>(tasks: SweepTask[], opts: SweepOptions = {}): Promise<R[]> {
  const threads = Math.max(1, Math.min(opts.threads ?? defaultThreads(), tasks.length || 1));
  const results = new Array<R>(tasks.length);
  let done = 0;
  if (threads === 1) {
    tasks.forEach((t, i) => {
      results[i] = runSweepTask(t) as R;
      opts.onProgress?.(++done, tasks.length);
    });
    return results;
  }
  let next = 0;
  const workers: Promise<void>[] = [];
  for (let w = 0; w < threads; w++) {
    workers.push(
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(new URL("./worker-boot.mjs", import.meta.url));
        const feed = () => {
          if (next >= tasks.length) {
            void worker.terminate().then(() => resolve());
            return;
          }
          const index = next++;
          worker.postMessage({ index, task: tasks[index] });
        };
        worker.on("message", (msg: { index: number; result?: R; error?: string }) => {
          if (msg.error !== undefined) {
            void worker.terminate();
            reject(new Error(msg.error));
            return;
          }
          results[msg.index] = msg.result as R;
          opts.onProgress?.(++done, tasks.length);
          feed();
        });
        worker.on("error", reject);
        feed();
      }),
    );
  }
  await Promise.all(workers);
  return results;
}
