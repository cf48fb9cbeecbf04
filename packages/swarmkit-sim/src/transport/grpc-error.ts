// Errors in gRPC's shape. Docker shows them as `rpc error: code = <Code> desc = <msg>` and maps
// the code to an HTTP status (SWARMKIT.md §6.4), so the code travels with the message.

export type GrpcCode =
  | "Canceled"
  | "Unknown"
  | "InvalidArgument"
  | "DeadlineExceeded"
  | "NotFound"
  | "AlreadyExists"
  | "PermissionDenied"
  | "ResourceExhausted"
  | "FailedPrecondition"
  | "Aborted"
  | "OutOfRange"
  | "Unimplemented"
  | "Internal"
  | "Unavailable"
  | "Unauthenticated";

export class GrpcError extends Error {
  constructor(
    readonly code: GrpcCode,
    readonly desc: string,
  ) {
    super(`rpc error: code = ${code} desc = ${desc}`);
  }
}

/** Plain data for the wire (errors travel inside messages, not as class instances). */
export interface WireError {
  code: GrpcCode;
  desc: string;
}

export function toWire(e: unknown): WireError {
  if (e instanceof GrpcError) return { code: e.code, desc: e.desc };
  return { code: "Unknown", desc: e instanceof Error ? e.message : String(e) };
}

export function fromWire(w: WireError): GrpcError {
  return new GrpcError(w.code, w.desc);
}

export const deadlineExceeded = (): GrpcError =>
  new GrpcError("DeadlineExceeded", "context deadline exceeded");
