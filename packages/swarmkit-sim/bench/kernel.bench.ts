// Kernel events per wall second against a bare binary-heap push/pop loop over the same
// number of events, in the same process. Target: the kernel reaches half the bare rate.
import type { BenchRow } from "../../../scripts/bench-types";
import { Sim } from "../src/kernel";

const EVENTS = 2_000_000;
const LIVE = 1000;

/** Deterministic delays shared by both loops. */
function delays(n: number): Float64Array {
  const out = new Float64Array(n);
  let x = 88172645463325252n;
  for (let i = 0; i < n; i++) {
    x ^= x << 13n;
    x ^= x >> 7n;
    x ^= x << 17n;
    x &= 0xffffffffffffffffn;
    out[i] = Number(x % 10_000n) / 10;
  }
  return out;
}

/** The kernel: LIVE timers in flight, each firing schedules the next. */
function kernelLoop(d: Float64Array): number {
  const sim = new Sim({ seed: 1 });
  let i = 0;
  let fired = 0;
  const fire = () => {
    fired++;
    if (i < d.length) sim.after(d[i++], fire);
  };
  for (let k = 0; k < LIVE; k++) sim.after(d[i++], fire);
  while (sim.step()) {}
  return fired;
}

interface Item {
  at: number;
  seq: number;
}

/** The baseline: the same push/pop pattern on a bare heap of (time, seq) items. */
function bareHeapLoop(d: Float64Array): number {
  const heap: Item[] = [];
  let seq = 0;
  let now = 0;
  const less = (a: Item, b: Item) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  const push = (at: number) => {
    const it = { at, seq: seq++ };
    let i = heap.length;
    heap.push(it);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(it, heap[p])) break;
      heap[i] = heap[p];
      i = p;
    }
    heap[i] = it;
  };
  const pop = (): Item | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && less(heap[r], heap[l]) ? r : l;
        if (!less(heap[c], last)) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = last;
    }
    return top;
  };
  let i = 0;
  let popped = 0;
  for (let k = 0; k < LIVE; k++) push(now + d[i++]);
  for (let it = pop(); it; it = pop()) {
    now = it.at;
    popped++;
    if (i < d.length) push(now + d[i++]);
  }
  return popped;
}

function rate(fn: () => number): number {
  const t0 = performance.now(); // wall-clock: benchmark
  const n = fn();
  return n / ((performance.now() - t0) / 1000); // wall-clock: benchmark
}

export function bench(): BenchRow[] {
  const d = delays(EVENTS);
  // Warm both paths up, then take the best of three to damp noise from the shared machine.
  kernelLoop(d.subarray(0, 100_000));
  bareHeapLoop(d.subarray(0, 100_000));
  let kernel = 0;
  let bare = 0;
  for (let r = 0; r < 3; r++) {
    bare = Math.max(
      bare,
      rate(() => bareHeapLoop(d)),
    );
    kernel = Math.max(
      kernel,
      rate(() => kernelLoop(d)),
    );
  }
  const ratio = kernel / bare;
  return [
    {
      name: "kernel events/s",
      value: kernel,
      unit: "events/s",
      baseline: { name: "bare heap push/pop", value: bare, unit: "events/s" },
      ratio,
      target: "ratio >= 0.5",
      ok: ratio >= 0.5,
    },
  ];
}
