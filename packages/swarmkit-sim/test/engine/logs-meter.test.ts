import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fcParams, goHumanDuration, rfc3339Nano } from "../../src/index";
import { ContainerLog } from "../../src/engine/logs";
import { HostCpu, ResourceMeter } from "../../src/engine/meter";

describe("engine: logs and resource meters", () => {
  it("property: the ring keeps the newest lines; tail N gives the last N of them, in order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.constantFrom<"stdout" | "stderr">("stdout", "stderr")), {
          maxLength: 300,
        }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 150 }),
        (writes, cap, tail) => {
          const log = new ContainerLog(cap);
          const all: string[] = [];
          writes.forEach(([lazy, stream], i) => {
            const text = `line ${i}`;
            all.push(text);
            if (lazy) log.writeLazy(1000 + i, stream, (t, n: number) => `line ${n} @${t - 1000}`, i);
            else log.write(1000 + i, stream, text);
          });
          const kept = all.slice(Math.max(0, all.length - cap));
          const got = log.lines().map((l) => l.text.replace(/ @\d+$/, ""));
          expect(got).toEqual(kept);
          expect(log.lines({ tail }).map((l) => l.text.replace(/ @\d+$/, ""))).toEqual(
            kept.slice(Math.max(0, kept.length - tail)),
          );
          // A lazy line renders with its own timestamp.
          for (const l of log.lines())
            if (l.text.includes("@")) expect(l.text).toBe(`line ${l.epochMs - 1000} @${l.epochMs - 1000}`);
          expect(log.written).toBe(writes.length);
        },
      ),
      fcParams(60),
    );
  });

  it("followers get each line as it is written; multi-line writes split", () => {
    const log = new ContainerLog();
    const seen: string[] = [];
    const stop = log.follow((l) => seen.push(`${l.stream}:${l.text}`));
    log.write(1, "stdout", "a\nb\n");
    log.writeLazy(2, "stderr", () => "c", 0);
    stop();
    log.write(3, "stdout", "d");
    expect(seen).toEqual(["stdout:a", "stdout:b", "stderr:c"]);
    expect(log.lines({ streams: ["stderr"] }).map((l) => l.text)).toEqual(["c"]);
  });

  it("CPU % is the last full second's CPU, plus the steady background share", () => {
    let now = 0;
    const host = new HostCpu(
      () => now,
      () => 2,
    );
    const m = new ResourceMeter(() => now, host);
    m.idleCpu = 0.001;
    now = 100;
    m.chargeCpu(0.05);
    now = 900;
    m.chargeCpu(0.05);
    expect(m.cpuPercent()).toBeCloseTo(0.1, 9); // the current second is not complete yet
    now = 1500;
    expect(m.cpuPercent()).toBeCloseTo(10.1, 9);
    now = 2500;
    expect(m.cpuPercent()).toBeCloseTo(0.1, 9);
    expect(m.cpuSeconds).toBeCloseTo(0.1, 12);
  });

  it("load averages follow a steady load the way Linux's damped averages do", () => {
    let now = 0;
    const host = new HostCpu(
      () => now,
      () => 2,
    );
    // One CPU fully busy for 15 minutes: the 1-minute average approaches 1.
    for (now = 0; now < 900_000; now += 100) host.charge(0.1);
    const [l1, l5, l15] = host.loadAverages();
    expect(l1).toBeGreaterThan(0.99);
    expect(l5).toBeGreaterThan(0.94);
    expect(l15).toBeGreaterThan(0.6);
    expect(l15).toBeLessThan(l5);
    expect(host.utilization()).toBeCloseTo(0.5, 6);
  });

  it("times print as Docker prints them", () => {
    expect(goHumanDuration(0)).toBe("Less than a second");
    expect(goHumanDuration(1000)).toBe("1 second");
    expect(goHumanDuration(59_000)).toBe("59 seconds");
    expect(goHumanDuration(60_000)).toBe("About a minute");
    expect(goHumanDuration(45 * 60_000)).toBe("45 minutes");
    expect(goHumanDuration(90 * 60_000)).toBe("2 hours");
    expect(goHumanDuration(60 * 60_000)).toBe("About an hour");
    expect(goHumanDuration(3 * 86_400_000)).toBe("3 days");
    expect(rfc3339Nano(Date.UTC(2026, 0, 1) + 1250.5)).toBe("2026-01-01T00:00:01.250500000Z");
  });
});
