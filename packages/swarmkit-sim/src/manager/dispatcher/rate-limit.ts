// The dispatcher's registration rate limit (SwarmKit dispatcher/nodes.go CheckRateLimit): a
// node that registers more than 3 times within 8 s of its last accepted registration is
// refused with Unavailable, and its agent backs off and retries like after any other error.
import { GrpcError } from "../../transport/grpc-error";

/** SWARMKIT.md §4.1: at most this many registrations inside the period. */
export const REGISTRATION_RATE_LIMIT_COUNT = 3;
export const REGISTRATION_RATE_LIMIT_PERIOD_MS = 8000;

/** A node's registration history, carried from one session of the node to the next. */
export interface RegistrationRate {
  /** Registrations counted in the current window. */
  attempts: number;
  /** Local time of the last accepted registration (-Infinity: none yet, e.g. an UNKNOWN node). */
  registeredAt: number;
}

/**
 * Counts one more registration of a node the dispatcher already tracks. As SwarmKit, the window
 * restarts only when the last *accepted* registration is more than the period old, and a refused
 * attempt neither moves that time nor resets the count; so a node hammering the dispatcher stays
 * refused until it pauses for the whole period. Mutates `rate`; returns the refusal, if any.
 */
export function checkRegistrationRate(nodeId: string, rate: RegistrationRate, now: number): GrpcError | null {
  if (now - rate.registeredAt > REGISTRATION_RATE_LIMIT_PERIOD_MS) rate.attempts = 0;
  rate.attempts++;
  if (rate.attempts > REGISTRATION_RATE_LIMIT_COUNT)
    return new GrpcError("Unavailable", `node ${nodeId} exceeded rate limit count of registrations`);
  rate.registeredAt = now;
  return null;
}
