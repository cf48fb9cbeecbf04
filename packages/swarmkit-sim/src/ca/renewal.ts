// When a node renews its certificate (SK ca/config.go calculateRandomExpiry, ca/renewer.go).
import type { RandomSource } from "./random";

/** Renewal happens between 50 % and 80 % of the validity period (`CertLowerRotationRange`, `CertUpperRotationRange`). */
export const CERT_LOWER_ROTATION_RANGE = 0.5;
export const CERT_UPPER_ROTATION_RANGE = 0.8;

/** `RenewTLSExponentialBackoff`: base 5 s, factor 5 s, max 1 h. */
export const RENEW_BACKOFF = Object.freeze({ baseMs: 5_000, factorMs: 5_000, maxMs: 3_600_000 });
/** The renewer's default wait when it cannot read its certificate's validity. */
export const RENEW_DEFAULT_RETRY_MS = 5 * 60_000;
/** A forced renewal (role change, CA rotation) first waits this long for the CA to reconcile. */
export const FORCED_RENEWAL_DELAY_MS = 500;

const MINUTE = 60_000;

/**
 * The moment to renew a certificate valid over [notBefore, notAfter] (any consistent ms unit,
 * e.g. simulated ms from CertificateInfo): notBefore plus a whole number of minutes drawn
 * uniformly from [50 %, 80 %) of the period, in minutes rounded down (as Go's int() truncates).
 * The renewer waits max(0, result − now).
 */
export function calculateRandomExpiry(notBefore: number, notAfter: number, rand: RandomSource): number {
  const minutes = (notAfter - notBefore) / MINUTE;
  const lo = Math.trunc(minutes * CERT_LOWER_ROTATION_RANGE);
  const hi = Math.trunc(minutes * CERT_UPPER_ROTATION_RANGE);
  const pick = hi - lo < 1 ? lo : lo + rand.int(hi - lo);
  return notBefore + pick * MINUTE;
}

/** How long the renewer sleeps before its next attempt, given the certificate and the time. */
export function renewalDelay(notBefore: number, notAfter: number, now: number, rand: RandomSource): number {
  return Math.max(0, calculateRandomExpiry(notBefore, notAfter, rand) - now);
}

/**
 * go-events ExponentialBackoff with RENEW_BACKOFF: no wait before the first failure, then a
 * uniform draw from [0, min(base + factor · 2^(failures−1), max)).
 */
export function renewalBackoff(failures: number, rand: RandomSource): number {
  if (failures <= 0) return 0;
  const { baseMs, factorMs, maxMs } = RENEW_BACKOFF;
  const bound = Math.min(baseMs + factorMs * 2 ** (failures - 1), maxMs);
  return rand.next() * bound;
}
