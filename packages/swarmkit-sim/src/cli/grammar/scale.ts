// `docker service scale web=5 rng=x`: each SERVICE=REPLICAS in turn. The CLI scales the valid
// ones and reports each bad value as "<service>: invalid replicas value <v>: <parse error>"
// (scale.go), so the handler needs them one by one rather than as a usage error.
import { parseGoUint } from "./go-values";

export type ScaleSpec = { service: string; replicas: number } | { service: string; error: string };

/** Splits the (already syntax-checked) arguments of `docker service scale`. */
export function parseScaleArgs(args: readonly string[]): ScaleSpec[] {
  return args.map((arg) => {
    const eq = arg.indexOf("=");
    const service = arg.slice(0, eq);
    const text = arg.slice(eq + 1);
    const r = parseGoUint(text, 10, 64);
    return r.ok
      ? { service, replicas: Number(r.value) }
      : { service, error: `${service}: invalid replicas value ${text}: ${r.error}` };
  });
}
