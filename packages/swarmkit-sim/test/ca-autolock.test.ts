import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decryptRecord,
  encryptRecord,
  formatUnlockKey,
  generateDek,
  generateUnlockKey,
  INVALID_KEY_STRING,
  InvalidKekError,
  openDek,
  parseUnlockKey,
  rekeyDek,
  sealDek,
} from "../src/ca";
import { fcParams } from "../src/testing/fc-params";
import { seeded } from "./ca-helpers";

const rand = seeded("autolock");
const text = (s: string) => new TextEncoder().encode(s);

describe("unlock key text", () => {
  it("is SWMKEY-1- and 43 characters of unpadded base64 for 32 bytes", () => {
    const key = formatUnlockKey(generateUnlockKey(rand));
    expect(key).toMatch(/^SWMKEY-1-[A-Za-z0-9+/]{43}$/);
  });

  it("round-trips any key", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (bytes) => {
        expect(parseUnlockKey(formatUnlockKey(bytes))).toEqual(bytes);
      }),
      fcParams(200),
    );
  });

  it("refuses text Go's RawStdEncoding refuses, with `invalid key string`", () => {
    const good = formatUnlockKey(generateUnlockKey(rand));
    for (const bad of [
      "",
      good.slice(9), // no prefix
      `SWMKEY-2-${good.slice(9)}`,
      `${good}=`, // padding
      `${good.slice(0, -1)}-`, // URL alphabet
      `${good.slice(0, -1)}_`,
      `${good} `,
      `${good}AA`, // 45 characters: a length of 4n + 1 cannot be base64
    ]) {
      expect(() => parseUnlockKey(bad), bad).toThrow(new Error(INVALID_KEY_STRING));
    }
    // Go skips line breaks in base64 text.
    expect(parseUnlockKey(`${good.slice(0, 20)}\n${good.slice(20)}`)).toEqual(parseUnlockKey(good));
  });
});

describe("records under a DEK", () => {
  const dek = generateDek(rand);

  it("round-trip, with a fresh nonce each time", () => {
    const a = encryptRecord(dek, text("raft entry 1"), rand);
    const b = encryptRecord(dek, text("raft entry 1"), rand);
    expect(decryptRecord(dek, a)).toEqual(text("raft entry 1"));
    expect(a.nonce).not.toEqual(b.nonce);
    expect(a.data).not.toEqual(b.data);
  });

  it("fail to open with another key or after any change", () => {
    const rec = encryptRecord(dek, text("snapshot"), rand);
    expect(() => decryptRecord(generateDek(rand), rec)).toThrow(
      "no decryption key for record encrypted with CHACHA20_POLY1305",
    );
    fc.assert(
      fc.property(
        fc.nat(rec.data.length + rec.nonce.length - 1),
        fc.integer({ min: 1, max: 255 }),
        (at, xor) => {
          const data = Uint8Array.from(rec.data);
          const nonce = Uint8Array.from(rec.nonce);
          if (at < data.length) data[at] ^= xor;
          else nonce[at - data.length] ^= xor;
          expect(() => decryptRecord(dek, { ...rec, data, nonce })).toThrow();
        },
      ),
      fcParams(100),
    );
  });

  it("are byte-identical for the same seed", () => {
    const one = encryptRecord(new Uint8Array(32).fill(1), text("x"), seeded("n"));
    const two = encryptRecord(new Uint8Array(32).fill(1), text("x"), seeded("n"));
    expect(one).toEqual(two);
  });
});

describe("the stored DEK", () => {
  const dek = generateDek(rand);
  const kek = generateUnlockKey(rand);

  it("sits in plaintext without autolock", () => {
    const stored = sealDek(dek, null, rand);
    expect(stored).toEqual({ encrypted: false, dek });
    expect(openDek(stored, null)).toEqual(dek);
  });

  it("is sealed under the KEK with autolock and opens only with it", () => {
    const stored = sealDek(dek, kek, rand);
    expect(stored.encrypted).toBe(true);
    expect(openDek(stored, kek)).toEqual(dek);
    expect(() => openDek(stored, generateUnlockKey(rand))).toThrow(InvalidKekError);
    expect(() => openDek(stored, null)).toThrow(InvalidKekError);
    expect(() => openDek(stored, new Uint8Array(5))).toThrow(InvalidKekError);
    expect(() => openDek(stored, null)).toThrow("x509: decryption password incorrect");
  });

  it("a key parsed from its human-readable text opens it; a wrong one does not", () => {
    const stored = sealDek(dek, kek, rand);
    expect(openDek(stored, parseUnlockKey(formatUnlockKey(kek)))).toEqual(dek);
    const other = formatUnlockKey(generateUnlockKey(rand));
    expect(() => openDek(stored, parseUnlockKey(other))).toThrow(InvalidKekError);
  });

  it("moves to a new KEK, or back to plaintext", () => {
    const stored = sealDek(dek, kek, rand);
    const kek2 = generateUnlockKey(rand);
    const moved = rekeyDek(stored, kek, kek2, rand);
    expect(openDek(moved, kek2)).toEqual(dek);
    expect(() => openDek(moved, kek)).toThrow(InvalidKekError);
    expect(rekeyDek(moved, kek2, null, rand)).toEqual({ encrypted: false, dek });
    expect(() => rekeyDek(stored, kek2, null, rand)).toThrow(InvalidKekError);
  });
});
