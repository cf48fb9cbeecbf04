// A sweep worker thread's entry: loads the TypeScript worker through tsx (hooks registered in
// the main thread do not reach worker threads on Node 20).
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
