// BusyBox's ping as the lab's nodes and the alpine and busybox images have it: its options
// (-c COUNT; anything else is refused with BusyBox's usage), its lines, and the statistics it
// prints when it ends (after COUNT replies, or on Ctrl-C). The round trips themselves are the
// engine's ICMP echo (engine/net/echo.ts).

export const BUSYBOX = "BusyBox v1.37.0 (2025-01-17 18:12:01 UTC) multi-call binary.";

export interface PingRequest {
  host: string;
  /** Echo requests to send; Infinity until interrupted. */
  count: number;
}

/** `ping [-c N] HOST`, or BusyBox's complaint (stderr) with exit status 1. */
export function parsePingArgs(argv: readonly string[]): PingRequest | { error: string } {
  let count = Number.POSITIVE_INFINITY;
  let host: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-c") {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) return { error: `ping: invalid number '${argv[i] ?? ""}'\n` };
      count = n;
    } else if (a.startsWith("-")) {
      return { error: `ping: unrecognized option '${a}'\n${BUSYBOX}\n\nUsage: ping [OPTIONS] HOST\n` };
    } else host = a;
  }
  if (host === undefined) return { error: `${BUSYBOX}\n\nUsage: ping [OPTIONS] HOST\n` };
  return { host, count };
}

export function pingHeader(host: string, address: string): string {
  return `PING ${host} (${address}): 56 data bytes\n`;
}

export function pingReply(address: string, seq: number, rttMs: number): string {
  return `64 bytes from ${address}: seq=${seq} ttl=64 time=${rttMs.toFixed(3)} ms\n`;
}

export function pingStatistics(host: string, sent: number, times: readonly number[]): string {
  const received = times.length;
  const loss = sent === 0 ? 0 : Math.round(((sent - received) * 100) / sent);
  let s = `\n--- ${host} ping statistics ---\n${sent} packets transmitted, ${received} packets received, ${loss}% packet loss\n`;
  if (received > 0) {
    const min = Math.min(...times);
    const max = Math.max(...times);
    const avg = times.reduce((a, b) => a + b, 0) / received;
    s += `round-trip min/avg/max = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)} ms\n`;
  }
  return s;
}
