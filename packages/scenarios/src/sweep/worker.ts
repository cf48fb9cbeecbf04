// A sweep worker thread: runs the tasks the pool posts, one at a time, and posts each result
// back as JSON text (see runSweepTaskJson).
import { parentPort } from "node:worker_threads";
import { runSweepTaskJson, type SweepTask } from "./tasks";

export interface TaskMessage {
  index: number;
  task: SweepTask;
}

export type ResultMessage = { index: number; json: string } | { index: number; error: string };

parentPort?.on("message", (msg: TaskMessage) => {
  let reply: ResultMessage;
  try {
    reply = { index: msg.index, json: runSweepTaskJson(msg.task) };
  } catch (e) {
    reply = { index: msg.index, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  parentPort?.postMessage(reply);
});
