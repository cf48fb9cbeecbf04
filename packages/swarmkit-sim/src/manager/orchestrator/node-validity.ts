// Which nodes the orchestrators treat as gone (SwarmKit orchestrator.InvalidNode): missing,
// DOWN, or drained. Their tasks are replaced elsewhere.
import type { Node } from "../../api/types";

export function isInvalidNode(n: Node | undefined): boolean {
  return !n || n.status.state === "down" || n.spec.availability === "drain";
}
