// A sweep worker thread: runs the tasks the pool posts, one at a time.
import { parentPort } from "node:worker_threads";
import { runSweepTask, type SweepTask } from "./tasks";

parentPort?.on("message", (msg: { index: number; task: SweepTask }) => {
  try {
    parentPort?.postMessage({ index: msg.index, result: runSweepTask(msg.task) });
  } catch (e) {
    parentPort?.postMessage({
      index: msg.index,
      error: e instanceof Error ? (e.stack ?? e.message) : String(e),
    });
  }
});
