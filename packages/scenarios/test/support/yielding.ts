// Runs a sliced simulation (a generator that yields between slices) and gives the event loop a
// turn at each yield. A test that runs simulated months in one go blocks its vitest worker
// for seconds, and on a busy machine long enough for the worker's calls to the main process
// to time out ("Timeout calling onTaskUpdate") although every test passed.
export async function runYielding<T>(slices: Generator<void, T, void>): Promise<T> {
  for (;;) {
    const step = slices.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
