// A sweep worker thread's entry when the pool runs from the TypeScript sources (vitest, tsx in
// the workspace, before a build): loads the worker through tsx, since hooks registered in the
// main thread do not reach worker threads on Node 20, with our packages resolved to their
// sources (source-condition.mjs). Built, the pool starts dist/sweep-worker.js instead and
// nothing here runs.
import { register } from "node:module";
import { register as registerTsx } from "tsx/esm/api";

register("./source-condition.mjs", import.meta.url);
registerTsx();
await import("./worker.ts");
