// A sweep worker thread's entry when the pool runs from the TypeScript sources (vitest, tsx in
// the workspace, before a build): loads the worker through tsx, since hooks registered in the
// main thread do not reach worker threads on Node 20. The pool starts it with
// --conditions=swarm-sim-source, so our packages resolve to their sources here too. Built,
// the pool starts dist/sweep-worker.js instead and nothing here runs.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
