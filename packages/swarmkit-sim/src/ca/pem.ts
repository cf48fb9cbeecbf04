// PEM armour as Go's encoding/pem writes it: a BEGIN line, base64 in 64-character lines, an END
// line, each ending in "\n". The exact bytes matter: the join token digest is a SHA-256 over the
// CA certificate's PEM text.

export interface PemBlock {
  type: string;
  der: Uint8Array;
  /** The block's base64 body with line breaks removed: a cheap, exact cache key for the DER. */
  body: string;
}

export function encodePem(type: string, der: Uint8Array): string {
  return wrapPem(type, Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString("base64"));
}

/** PEM text around an already base64-encoded body. */
export function wrapPem(type: string, b64: string): string {
  let out = `-----BEGIN ${type}-----\n`;
  for (let i = 0; i < b64.length; i += 64) out += `${b64.slice(i, i + 64)}\n`;
  return `${out}-----END ${type}-----\n`;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Every PEM block in the text, in order. Text between blocks is ignored (as Go's pem.Decode
 * skips it); a block whose body is not base64 throws.
 */
export function decodePemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const body = m[2].replace(/\s+/g, "");
    if (!BASE64_BODY.test(body) || body.length % 4 !== 0) throw new Error(`invalid PEM ${m[1]} block`);
    const der = Buffer.from(body, "base64");
    out.push({ type: m[1], der, body });
  }
  return out;
}
