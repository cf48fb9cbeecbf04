// A small DER (ASN.1 Distinguished Encoding Rules) encoder: just the types an X.509
// certificate needs. Every function returns the complete TLV (tag, length, value).

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** One TLV. Lengths use the short form below 128 and the minimal long form above. */
export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const len = content.length;
  let header: number[];
  if (len < 0x80) header = [tag, len];
  else if (len < 0x100) header = [tag, 0x81, len];
  else if (len < 0x10000) header = [tag, 0x82, len >> 8, len & 0xff];
  else if (len < 0x1000000) header = [tag, 0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
  else throw new Error("der: value too long");
  const out = new Uint8Array(header.length + len);
  out.set(header, 0);
  out.set(content, header.length);
  return out;
}

export function sequence(...parts: Uint8Array[]): Uint8Array {
  return tlv(TAG.SEQUENCE, concat(parts));
}

export function set(...parts: Uint8Array[]): Uint8Array {
  return tlv(TAG.SET, concat(parts));
}

/** [n] EXPLICIT: a constructed context tag wrapping complete TLVs. */
export function explicit(n: number, ...parts: Uint8Array[]): Uint8Array {
  return tlv(0xa0 | n, concat(parts));
}

/** [n] IMPLICIT on a primitive value (e.g. dNSName [2] in GeneralNames). */
export function implicitPrimitive(n: number, content: Uint8Array): Uint8Array {
  return tlv(0x80 | n, content);
}

/** A non-negative INTEGER from big-endian magnitude bytes, minimally encoded. */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  let body = magnitude.subarray(i);
  if (body.length === 0) body = new Uint8Array(1);
  if (body[0] & 0x80) {
    // A set top bit would read as negative: prefix a zero byte.
    const padded = new Uint8Array(body.length + 1);
    padded.set(body, 1);
    body = padded;
  }
  return tlv(TAG.INTEGER, body);
}

/** A small non-negative INTEGER (versions, path lengths). */
export function smallInteger(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new Error(`der: bad small integer ${n}`);
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  return unsignedInteger(Uint8Array.from(bytes));
}

export function boolean(v: boolean): Uint8Array {
  return tlv(TAG.BOOLEAN, Uint8Array.of(v ? 0xff : 0x00));
}

export function nullValue(): Uint8Array {
  return Uint8Array.of(TAG.NULL, 0);
}

const oidCache = new Map<string, Uint8Array>();

/** An OBJECT IDENTIFIER from dotted text ("2.5.4.3"). */
export function oid(dotted: string): Uint8Array {
  const hit = oidCache.get(dotted);
  if (hit) return hit;
  const arcs = dotted.split(".").map((s) => {
    const v = Number(s);
    if (!Number.isInteger(v) || v < 0) throw new Error(`der: bad OID ${dotted}`);
    return v;
  });
  if (arcs.length < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39))
    throw new Error(`der: bad OID ${dotted}`);
  const body: number[] = [];
  const pushArc = (v: number) => {
    const groups: number[] = [v & 0x7f];
    v = Math.floor(v / 128);
    while (v > 0) {
      groups.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    body.push(...groups);
  };
  pushArc(arcs[0] * 40 + arcs[1]);
  for (const a of arcs.slice(2)) pushArc(a);
  const out = tlv(TAG.OID, Uint8Array.from(body));
  oidCache.set(dotted, out);
  return out;
}

const encoder = new TextEncoder();

export function utf8String(s: string): Uint8Array {
  return tlv(TAG.UTF8_STRING, encoder.encode(s));
}

export function ia5String(s: string): Uint8Array {
  return tlv(TAG.IA5_STRING, encoder.encode(s));
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/**
 * A directory string the way Go's encoding/asn1 marshals a Go string: PrintableString when every
 * character allows it, UTF8String otherwise. Subjects then match what SwarmKit's certificates carry.
 */
export function directoryString(s: string): Uint8Array {
  return PRINTABLE.test(s) ? tlv(TAG.PRINTABLE_STRING, encoder.encode(s)) : utf8String(s);
}

export function octetString(bytes: Uint8Array): Uint8Array {
  return tlv(TAG.OCTET_STRING, bytes);
}

/** A BIT STRING of whole bytes, or with `unusedBits` padding bits in the last byte. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  const body = new Uint8Array(bytes.length + 1);
  body[0] = unusedBits;
  body.set(bytes, 1);
  return tlv(TAG.BIT_STRING, body);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * An X.509 Time at one-second resolution (fractions are dropped): UTCTime for the years
 * 1950-2049 and GeneralizedTime otherwise, as RFC 5280 §4.1.2.5 requires.
 */
export function x509Time(unixMs: number): Uint8Array {
  const d = new Date(Math.floor(unixMs / 1000) * 1000);
  const y = d.getUTCFullYear();
  const rest = `${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(TAG.UTC_TIME, encoder.encode(pad2(y % 100) + rest));
  if (y < 0 || y > 9999) throw new Error(`der: year ${y} out of range`);
  return tlv(TAG.GENERALIZED_TIME, encoder.encode(String(y).padStart(4, "0") + rest));
}

export { concat as concatBytes };
