// Big-number text conversions, as Go's big.Int SetBytes/Text(36)/SetString(s, 36) do them.
// IDs and join tokens are base-36 renderings of random bytes and of a SHA-256 digest.

/** Lowercase hex of the bytes, two digits each. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** The bytes read as one big-endian unsigned integer. */
export function bigIntFromBytes(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${toHex(bytes)}`);
}

/**
 * Parses base-36 text (case-insensitive, like Go's SetString for bases up to 36). Returns
 * undefined for an empty string or any character outside [0-9a-zA-Z].
 */
export function parseBase36(text: string): bigint | undefined {
  if (text.length === 0) return undefined;
  let value = 0n;
  // Nine base-36 digits fit in a double exactly (36^9 < 2^53), so fold in chunks of nine.
  for (let i = 0; i < text.length; i += 9) {
    const chunk = text.slice(i, i + 9);
    let part = 0;
    for (let j = 0; j < chunk.length; j++) {
      const d = digitValue(chunk.charCodeAt(j));
      if (d < 0) return undefined;
      part = part * 36 + d;
    }
    value = value * 36n ** BigInt(chunk.length) + BigInt(part);
  }
  return value;
}

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 122) return c - 87; // a-z
  if (c >= 65 && c <= 90) return c - 55; // A-Z
  return -1;
}
