// The contract between a node's agent and what runs tasks on the node's engine. The agent
// keeps the dispatcher session; the executor turns assigned tasks into containers and
// reports how they fare (SwarmKit agent/exec).
import type { TaskStatusReport } from "../api/dispatcher";
import type { Task } from "../api/types";

export interface TaskExecutor {
  /**
   * The full set of tasks assigned to this node (the dispatcher's Assignments stream sends the
   * whole set on every change). Start what should run, stop what should not (desired state
   * >= SHUTDOWN, or no longer assigned), moving each task forward only while its observed
   * state is below its desired state.
   */
  assign(tasks: readonly Task[]): void;
  /** Called by the executor owner so that status changes reach the dispatcher. */
  onStatus(report: (r: TaskStatusReport) => void): void;
  /**
   * Reports every assigned task's current status again. The agent calls it on each new session,
   * as SwarmKit's agent re-reports all task statuses when it re-establishes one (agent.go,
   * worker.Report): a report an old leader's dispatcher accepted but never wrote is not lost.
   */
  reportAll(): void;
  /** The node is leaving the swarm or its agent stops: stop reporting (containers keep running). */
  close(): void;
}
