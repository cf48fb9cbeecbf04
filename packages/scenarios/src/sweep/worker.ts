// A sweep worker thread's entry: drains the queue the pool shares with it (task-queue.ts),
// posting what starts and what finishes to the pool's thread, then ends.
import { parentPort, workerData } from "node:worker_threads";
import { drainQueue, type WorkerSetup } from "./task-queue";

if (parentPort) {
  const port = parentPort;
  drainQueue(workerData as WorkerSetup, (msg) => port.postMessage(msg));
}
