// A module resolution hook for the sweep workers started from the TypeScript sources (see
// worker-boot.mjs): our packages resolve to their sources, through the "swarm-sim-source"
// condition their package.json exports name, as they do in the thread that started the worker.
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, "swarm-sim-source"] });
}
