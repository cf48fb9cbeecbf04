// Reads DER back: just enough to take apart the certificates (ours or anyone's X.509 v3) that
// the CA needs to inspect. Any structural problem throws MalformedDerError.
import { TAG } from "./der";

export class MalformedDerError extends Error {
  constructor(what: string) {
    super(`der: ${what}`);
    this.name = "MalformedDerError";
  }
}

/** One element: `start` is where its tag is, [contentStart, end) is its value. */
export interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

/** Reads the element at `pos`, which must end at or before `limit`. */
export function readTlv(buf: Uint8Array, pos: number, limit = buf.length): Tlv {
  if (pos + 2 > limit) throw new MalformedDerError("truncated header");
  const tag = buf[pos];
  if ((tag & 0x1f) === 0x1f) throw new MalformedDerError("multi-byte tags are not supported");
  let len = buf[pos + 1];
  let contentStart = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3) throw new MalformedDerError("unsupported length");
    if (contentStart + n > limit) throw new MalformedDerError("truncated length");
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | buf[contentStart + i];
    if (len < 0x80 || (n > 1 && buf[contentStart] === 0)) throw new MalformedDerError("non-minimal length");
    contentStart += n;
  }
  const end = contentStart + len;
  if (end > limit) throw new MalformedDerError("truncated value");
  return { tag, start: pos, contentStart, end };
}

/** Reads an element and checks its tag. */
export function expectTlv(buf: Uint8Array, pos: number, tag: number, limit = buf.length): Tlv {
  const t = readTlv(buf, pos, limit);
  if (t.tag !== tag)
    throw new MalformedDerError(`expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`);
  return t;
}

/** The elements inside a constructed element, in order. */
export function childrenOf(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let pos = parent.contentStart;
  while (pos < parent.end) {
    const t = readTlv(buf, pos, parent.end);
    out.push(t);
    pos = t.end;
  }
  return out;
}

export function contentOf(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.contentStart, t.end);
}

export function rawOf(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.start, t.end);
}

const oidText = new Map<string, string>();

/** Dotted text of an OBJECT IDENTIFIER element (memoized: certificates repeat a dozen OIDs). */
export function readOid(buf: Uint8Array, t: Tlv): string {
  if (t.tag !== TAG.OID || t.end === t.contentStart) throw new MalformedDerError("bad OID");
  const key = latin1(buf, t.contentStart, t.end);
  let text = oidText.get(key);
  if (text === undefined) {
    text = decodeOid(buf, t);
    if (oidText.size < 1000) oidText.set(key, text);
  }
  return text;
}

function decodeOid(buf: Uint8Array, t: Tlv): string {
  const arcs: number[] = [];
  let v = 0;
  for (let i = t.contentStart; i < t.end; i++) {
    v = v * 128 + (buf[i] & 0x7f);
    if (!(buf[i] & 0x80)) {
      arcs.push(v);
      v = 0;
    }
  }
  if (buf[t.end - 1] & 0x80) throw new MalformedDerError("bad OID");
  const first = arcs[0];
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join(".");
}

function view(buf: Uint8Array): Buffer {
  return Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
}

function latin1(buf: Uint8Array, start: number, end: number): string {
  return view(buf).toString("latin1", start, end);
}

/** Text of a string element (UTF8String, PrintableString, IA5String, ...). */
export function readString(buf: Uint8Array, t: Tlv): string {
  return view(buf).toString("utf8", t.contentStart, t.end);
}

/** Lowercase hex of an element's value, or of the whole element with `whole`. */
export function readHex(buf: Uint8Array, t: Tlv, whole = false): string {
  return view(buf).toString("hex", whole ? t.start : t.contentStart, t.end);
}

/** Milliseconds since the Unix epoch of a UTCTime or GeneralizedTime element ("...Z" forms). */
export function readTime(buf: Uint8Array, t: Tlv): number {
  const n = t.end - t.contentStart;
  const yearDigits = t.tag === TAG.UTC_TIME ? 2 : t.tag === TAG.GENERALIZED_TIME ? 4 : 0;
  if (yearDigits === 0 || n !== yearDigits + 11 || buf[t.end - 1] !== 0x5a /* Z */) {
    throw new MalformedDerError(`bad time ${JSON.stringify(readString(buf, t))}`);
  }
  let pos = t.contentStart;
  const digits = (count: number) => {
    let v = 0;
    for (let i = 0; i < count; i++, pos++) {
      const d = buf[pos] - 48;
      if (d < 0 || d > 9) throw new MalformedDerError("bad time digit");
      v = v * 10 + d;
    }
    return v;
  };
  let year = digits(yearDigits);
  if (yearDigits === 2) year += year < 50 ? 2000 : 1900; // RFC 5280 §4.1.2.5.1
  const month = digits(2);
  const day = digits(2);
  const hour = digits(2);
  const minute = digits(2);
  const second = digits(2);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0-99 to 1900-1999; set the year explicitly for GeneralizedTime.
  if (year < 100) {
    const d = new Date(ms);
    d.setUTCFullYear(year);
    return d.getTime();
  }
  return ms;
}
