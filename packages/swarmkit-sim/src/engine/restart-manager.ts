// dockerd's restart manager for one container: whether a container that exited on its own is
// started again under its --restart policy, and after how long. The delay starts at 100 ms and
// doubles on every restart up to one minute; a run of 10 s or more resets it. `docker stop`, or
// `docker kill` with SIGKILL or the stop signal, cancels the manager until the user starts the
// container again; `docker start` also resets the count. (moby's restartmanager and the
// daemon's exit handler, as documented: "a restart policy only takes effect after a container
// starts successfully ... if you manually stop a container, its restart policy is ignored until
// the Docker daemon restarts or the container is manually restarted".)

/** --restart: what dockerd does when the container exits, and when dockerd itself starts. */
export interface RestartPolicy {
  name: "no" | "always" | "unless-stopped" | "on-failure";
  /** on-failure:N; 0 means no limit. */
  maximumRetryCount: number;
}

const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 60_000;
/** A run at least this long resets the delay. */
const STEADY_RUN_MS = 10_000;

/** Cancelled: the user stopped or killed the container; nothing restarts it until they start it. */
type RestartManagerState = "armed" | "cancelled";

export class RestartManager {
  private state: RestartManagerState = "armed";
  private delayMs = 0;
  /** Restarts done by the policy since the user last started the container (RestartCount). */
  count = 0;

  constructor(private readonly policy: RestartPolicy) {}

  /** docker stop / docker kill: the next exit is final. */
  cancel(): void {
    this.state = "cancelled";
  }

  /** The user started the container: the policy applies again, counted from zero. */
  reset(): void {
    this.state = "armed";
    this.delayMs = 0;
    this.count = 0;
  }

  /** dockerd starting finds the container exited: does its policy start it (restore)? */
  restartsWhenDaemonStarts(exitCode: number, manuallyStopped: boolean): boolean {
    return policyRestarts(this.policy, exitCode, manuallyStopped, this.count);
  }

  /**
   * The container's process exited with `exitCode` after running `ranMs`: the delay before
   * dockerd starts it again, or undefined if it stays exited. `manuallyStopped` is the
   * daemon's HasBeenManuallyStopped (any `docker kill`), which only unless-stopped heeds.
   */
  afterExit(exitCode: number, manuallyStopped: boolean, ranMs: number): number | undefined {
    if (this.policy.name === "no" || this.state === "cancelled") return undefined;
    if (ranMs >= STEADY_RUN_MS) this.delayMs = 0;
    this.delayMs = Math.min(this.delayMs === 0 ? FIRST_DELAY_MS : this.delayMs * 2, MAX_DELAY_MS);
    if (!policyRestarts(this.policy, exitCode, manuallyStopped, this.count)) return undefined;
    this.count++;
    return this.delayMs;
  }
}

/** restartmanager.ShouldRestart's decision, also what dockerd applies to its containers when it boots. */
export function policyRestarts(
  policy: RestartPolicy,
  exitCode: number,
  manuallyStopped: boolean,
  restartsSoFar: number,
): boolean {
  switch (policy.name) {
    case "always":
      return true;
    case "unless-stopped":
      return !manuallyStopped;
    case "on-failure":
      return exitCode !== 0 && (policy.maximumRetryCount === 0 || restartsSoFar < policy.maximumRetryCount);
    default:
      return false;
  }
}
