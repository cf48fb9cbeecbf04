// The pieces of the CLI's progress display that services and jobs share
// (cli/command/service/progress/progress.go): the numbered task states, the 50-wide bar the
// jsonmessage renderer draws, the padded state column and the one-line error.

/** The CLI's numbered states: a running task fills a service's bar, a completed one a job's. */
export const NUMBERED: Record<string, number> = {
  new: 1,
  allocated: 2,
  pending: 3,
  assigned: 4,
  accepted: 5,
  preparing: 6,
  ready: 7,
  starting: 8,
  running: 9,
  complete: 10,
  shutdown: 11,
  failed: 12,
  rejected: 13,
};
/** The longest state name a bar shows (every state up to running, and complete). */
export const LONGEST_STATE = "preparing".length;
const BAR = 50;
/** Past this many tasks the CLI draws no bars, only the overall line (maxProgressBars). */
export const MAX_PROGRESS_BARS = 20;

/** jsonmessage's bar for current/total: `[====>    ]`, 50 wide. */
export function progressBar(current: number, total: number): string {
  const filled = Math.min(BAR, Math.floor(((current / total) * 100) / 2));
  return `[${"=".repeat(filled)}>${" ".repeat(BAR - filled)}]`;
}

/** The CLI's stateToProgress: while rolling back, the bar empties as the task comes up. */
function bar(state: string, rollback: boolean): string {
  const n = rollback ? NUMBERED.running - (NUMBERED[state] ?? 0) : (NUMBERED[state] ?? 0);
  return progressBar(n, NUMBERED.running);
}

/** A service task's row: its ID, its state padded, its bar. */
export function line(id: string, state: string, rollback: boolean): string {
  return `${id}: ${state.padEnd(LONGEST_STATE)} ${bar(state, rollback)}`;
}

/** The CLI's truncError: one line of at most 75 characters. */
export function truncError(err: string): string {
  const one = err.replaceAll("\n", " ");
  return one.length > 75 ? `${one.slice(0, 74)}…` : one;
}
