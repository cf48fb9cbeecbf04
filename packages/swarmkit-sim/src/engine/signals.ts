// Signals as the engine delivers them. A container's main process is PID 1: the kernel does
// not apply a signal's default action to PID 1, so a signal the program installs no handler
// for is ignored (SIGKILL excepted). Under `--init` (tini as PID 1) the program is a child
// and gets the default action, which for these signals is to terminate.

export type Signal = "SIGHUP" | "SIGINT" | "SIGQUIT" | "SIGKILL" | "SIGUSR1" | "SIGUSR2" | "SIGTERM";

const NUMBERS: Record<Signal, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGTERM: 15,
};

export function signalNumber(sig: Signal): number {
  return NUMBERS[sig];
}

/** The exit status a shell (and Docker) reports for a process killed by `sig`: 128 + n. */
export function exitCodeForSignal(sig: Signal): number {
  return 128 + NUMBERS[sig];
}

/** Parses "TERM", "SIGTERM", "sigterm" or "15" as `docker kill --signal` accepts them. */
export function parseSignal(text: string): Signal {
  const t = text.trim().toUpperCase();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    for (const [name, num] of Object.entries(NUMBERS)) if (num === n) return name as Signal;
  } else {
    const name = (t.startsWith("SIG") ? t : `SIG${t}`) as Signal;
    if (name in NUMBERS) return name;
  }
  throw new Error(`Invalid signal: ${text}`);
}
