// fast-check parameters shared by the project's property tests, so that every one of them
// replays the same way: FC_SEED=<seed> FC_PATH=<path> re-runs a printed failure, and FUZZ=1
// multiplies the number of runs for long fuzzing sessions (`npm run fuzz`).
import type fc from "fast-check";

export function fcParams<T>(numRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  const env = process.env;
  const params: fc.Parameters<T> = { numRuns: env.FUZZ ? numRuns * 20 : numRuns, ...extra };
  if (env.FC_SEED) {
    params.seed = Number(env.FC_SEED);
    if (env.FC_PATH) params.path = env.FC_PATH;
  }
  return params;
}
