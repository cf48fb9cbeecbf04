// dockerd resolves a node, service or network reference itself before it calls the control
// API (moby daemon/cluster/helpers.go getNode, getService, getNetwork): full ID, then exact
// name, then ID prefix. When nothing or several match, the error is dockerd's own (a
// LookupError), not a gRPC status, so the CLI prints `Error response from daemon: node node9
// not found` where a control API refusal reads `... rpc error: code = FailedPrecondition desc =
// ...`. The matching itself lives with the control API (../manager/controlapi), which the
// leader also uses for the IDs dockerd hands it; this file gives its failures dockerd's shape.
import type { Network, Node, Service } from "../api/types";
import { resolveNode } from "../manager/controlapi/nodes";
import { resolveNetwork, resolveService } from "../manager/controlapi/services";
import type { MemoryStore } from "../manager/store/memory-store";
import { GrpcError } from "../transport/grpc-error";
import { LookupError } from "./errors";

/**
 * A lookup's failure as dockerd reports it: NotFound and InvalidArgument (an ambiguous
 * reference) become a LookupError with the same text; any other error is returned as it is.
 * The simulator's Control.GetNode resolves a node reference on the leader, in one call where
 * dockerd makes up to three, so its answer comes back through here.
 */
export function asLookupError(err: Error): Error {
  if (err instanceof GrpcError && (err.code === "NotFound" || err.code === "InvalidArgument"))
    return new LookupError(err.desc, err.code === "NotFound");
  return err;
}

function lookup<T>(find: () => T): T {
  try {
    return find();
  } catch (e) {
    throw e instanceof Error ? asLookupError(e) : e;
  }
}

/** dockerd's getService on this manager's replica; throws a LookupError. */
export function lookupService(store: MemoryStore, ref: string): Service {
  return lookup(() => resolveService(store, ref));
}

/** dockerd's getNetwork on this manager's replica; throws a LookupError. */
export function lookupNetwork(store: MemoryStore, ref: string): Network {
  return lookup(() => resolveNetwork(store, ref));
}

/** dockerd's getNode over a list of nodes; throws a LookupError. */
export function lookupNode(nodes: readonly Node[], ref: string): Node {
  return lookup(() => resolveNode(nodes, ref));
}
