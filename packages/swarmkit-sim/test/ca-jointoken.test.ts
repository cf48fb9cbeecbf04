import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  caDigest,
  checkRemoteCA,
  constantTimeEqual,
  generateJoinToken,
  INVALID_JOIN_TOKEN,
  matchJoinToken,
  parseJoinToken,
  RootCA,
} from "../src/ca";
import { fcParams } from "../src/testing/fc-params";
import { seeded } from "./ca-helpers";

// The example in SwarmKit's README.
const README_TOKEN = "SWMTKN-1-3vi7ajem0jed8guusgvyl98nfg18ibg4pclify6wzac6ucrhg3-0117z3s2ytr6egmmnlr6gd37n";

const rand = seeded("tokens");
const root = RootCA.create(rand, { now: 0 });

describe("generateJoinToken", () => {
  it("is SWMTKN-1-<50 base-36 digest>-<25 base-36 secret>", () => {
    const token = generateJoinToken(root, rand);
    expect(token).toMatch(/^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/);
    expect(token).toHaveLength(9 + 50 + 1 + 25);
  });

  it("carries the CA digest, which parses back to the SHA-256 of the exact CA PEM bytes", () => {
    const parsed = parseJoinToken(generateJoinToken(root, rand));
    expect(parsed.digestHex).toBe(root.digest());
    expect(root.digest()).toBe(caDigest(root.certPem));
    expect(parsed.version).toBe(1);
    expect(parsed.fips).toBe(false);
  });

  it("worker and manager tokens share the digest and differ in the secret", () => {
    const worker = generateJoinToken(root, rand);
    const manager = generateJoinToken(root, rand);
    expect(worker.slice(0, 60)).toBe(manager.slice(0, 60));
    expect(worker).not.toBe(manager);
  });

  it("pads small numbers with zeros (a digest string works too) and writes v2 for FIPS", () => {
    const zeros = { bytes: (n: number) => new Uint8Array(n), next: () => 0, int: () => 0 };
    const token = generateJoinToken(`sha256:${"0".repeat(63)}1`, zeros);
    expect(token).toBe(`SWMTKN-1-${"0".repeat(49)}1-${"0".repeat(25)}`);
    const fips = generateJoinToken(root, rand, { fips: true });
    expect(fips).toMatch(/^SWMTKN-2-1-[0-9a-z]{50}-[0-9a-z]{25}$/);
    expect(parseJoinToken(fips)).toMatchObject({ version: 2, fips: true, digestHex: root.digest() });
  });

  it("replays from the seed and changes with it", () => {
    const make = (seed: string) => {
      const r = seeded(seed);
      const ca = RootCA.create(r, { now: 0 });
      return [generateJoinToken(ca, r), generateJoinToken(ca, r)];
    };
    expect(make("a")).toEqual(make("a"));
    expect(make("a")[0]).not.toBe(make("b")[0]);
  });
});

describe("parseJoinToken", () => {
  it("parses the README example", () => {
    const p = parseJoinToken(README_TOKEN);
    expect(p.version).toBe(1);
    expect(p.secret).toBe("0117z3s2ytr6egmmnlr6gd37n");
    expect(p.digestHex).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The digest re-encodes to the same 50 characters.
    const hex = p.digestHex.slice(7);
    expect(BigInt(`0x${hex}`).toString(36).padStart(50, "0")).toBe(
      "3vi7ajem0jed8guusgvyl98nfg18ibg4pclify6wzac6ucrhg3",
    );
  });

  it("accepts the v2 forms SWMTKN-2-0 and SWMTKN-2-1", () => {
    const [, , digest, secret] = README_TOKEN.split("-");
    expect(parseJoinToken(`SWMTKN-2-0-${digest}-${secret}`)).toMatchObject({ version: 2, fips: false });
    expect(parseJoinToken(`SWMTKN-2-1-${digest}-${secret}`)).toMatchObject({ version: 2, fips: true });
  });

  it("rejects each rule's violation with `invalid join token`", () => {
    const [, , digest, secret] = README_TOKEN.split("-");
    const bad = [
      "",
      "SWMTKN",
      "SWMTKN-1",
      `SWMTKN-1-${digest}`,
      `swmtkn-1-${digest}-${secret}`,
      `SWMTKN-3-${digest}-${secret}`,
      `SWMTKN-1-0-${digest}-${secret}`, // v1 with 5 parts
      `SWMTKN-2-${digest}-${secret}`, // v2 with 4 parts
      `SWMTKN-2-2-${digest}-${secret}`, // FIPS flag not 0/1
      `SWMTKN-1-${digest}x-${secret}`,
      `SWMTKN-1-${digest.slice(1)}-${secret}`,
      `SWMTKN-1-${digest}-${secret}0`,
      `SWMTKN-1-${digest}-${secret.slice(1)}`,
      `SWMTKN-1-${digest.slice(0, 49)}_-${secret}`, // not base 36
      `SWMTKN-1-${digest}-${secret}-`,
      ` ${README_TOKEN}`,
      `SWMTKN-1-${digest}-${secret.slice(1)}é`, // 25 characters but 26 bytes, as Go counts
    ];
    for (const t of bad) expect(() => parseJoinToken(t), t).toThrow(new Error(INVALID_JOIN_TOKEN));
  });

  it("reads the digest case-insensitively, as Go's SetString does, and refuses one above 2^256", () => {
    const [, , digest, secret] = README_TOKEN.split("-");
    expect(parseJoinToken(`SWMTKN-1-${digest.toUpperCase()}-${secret}`).digestHex).toBe(
      parseJoinToken(README_TOKEN).digestHex,
    );
    expect(() => parseJoinToken(`SWMTKN-1-${"z".repeat(50)}-${secret}`)).toThrow(
      "invalid checksum digest length",
    );
  });

  it("a single-character mutation is rejected unless it swaps a digest digit or a secret character", () => {
    const token = generateJoinToken(root, rand);
    const secretStart = token.length - 25;
    // Mostly characters that could pass for token characters, plus anything at all.
    const char = fc.oneof(
      fc.constantFrom(..."0123456789abcdefghijklmnopqrstuvwxyzABCDEFXYZ-_ .=+/"),
      fc.string({ minLength: 1, maxLength: 1, unit: "binary" }),
    );
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("delete" as const), at: fc.nat(token.length - 1), ch: fc.constant("") }),
      fc.record({ kind: fc.constant("insert" as const), at: fc.nat(token.length), ch: char }),
      fc.record({ kind: fc.constant("replace" as const), at: fc.nat(token.length - 1), ch: char }),
    );
    fc.assert(
      fc.property(mutation, ({ kind, at, ch }) => {
        const mutated =
          kind === "delete"
            ? token.slice(0, at) + token.slice(at + 1)
            : kind === "insert"
              ? token.slice(0, at) + ch + token.slice(at)
              : token.slice(0, at) + ch + token.slice(at + 1);
        if (mutated === token) return;
        let result: ReturnType<typeof parseJoinToken> | Error;
        try {
          result = parseJoinToken(mutated);
        } catch (e) {
          result = e as Error;
        }
        // What Go's parser lets through: any non-dash character in place of a secret character
        // of one UTF-8 byte (the server compares whole tokens; the secret is not validated; Go
        // measures lengths in bytes), and any base-36
        // character in place of a digest character, which pins another digest (the same one
        // when only the case changed) unless the number no longer fits in 256 bits.
        const inSecret = kind === "replace" && at >= secretStart && ch !== "-" && Buffer.byteLength(ch) === 1;
        const inDigest = kind === "replace" && at >= 9 && at < 59 && /^[0-9a-zA-Z]$/.test(ch);
        if (inSecret) {
          expect(result).not.toBeInstanceOf(Error);
          expect((result as { digestHex: string }).digestHex).toBe(root.digest());
        } else if (inDigest) {
          if (result instanceof Error) {
            expect(result.message).toBe("invalid checksum digest length");
          } else {
            const sameDigest = ch.toLowerCase() === token[at];
            expect(result.digestHex === root.digest()).toBe(sameDigest);
          }
        } else {
          expect(result).toBeInstanceOf(Error);
          expect((result as Error).message).toBe(INVALID_JOIN_TOKEN);
        }
      }),
      fcParams(500),
    );
  });

  it("never throws anything but its own errors on arbitrary text, and accepts only the token shapes", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 100 }), fc.stringMatching(/^SWMTKN-[12]-[0-9a-z-]{0,90}$/)),
        (s) => {
          try {
            const p = parseJoinToken(s);
            expect(s).toMatch(/^SWMTKN-(1|2-[01])-[0-9a-zA-Z]{50}-[^-]+$/);
            expect(Buffer.byteLength(p.secret)).toBe(25);
            expect(p.digestHex).toMatch(/^sha256:[0-9a-f]{64}$/);
          } catch (e) {
            expect(["invalid join token", "invalid checksum digest length"]).toContain((e as Error).message);
          }
        },
      ),
      fcParams(500),
    );
  });
});

describe("checkRemoteCA", () => {
  it("accepts the CA the token pins", () => {
    const { digestHex } = parseJoinToken(generateJoinToken(root, rand));
    expect(() => checkRemoteCA(digestHex, root.certPem)).not.toThrow();
  });

  it("refuses another CA, or the same CA with a single byte changed, with SwarmKit's text", () => {
    const { digestHex } = parseJoinToken(generateJoinToken(root, rand));
    const other = RootCA.create(seeded("elsewhere"), { now: 0 });
    const expected = `remote CA does not match fingerprint. Expected: ${digestHex.slice(7)}`;
    expect(() => checkRemoteCA(digestHex, other.certPem)).toThrow(new Error(expected));
    expect(() => checkRemoteCA(digestHex, root.certPem.trimEnd())).toThrow(new Error(expected));
    expect(() => checkRemoteCA(digestHex, `${root.certPem}${root.certPem}`)).toThrow(new Error(expected));
  });
});

describe("matchJoinToken", () => {
  const tokens = { manager: generateJoinToken(root, rand), worker: generateJoinToken(root, rand) };

  it("grants the manager role for the manager token and the worker role for the worker token", () => {
    expect(matchJoinToken(tokens.manager, tokens)).toBe("manager");
    expect(matchJoinToken(tokens.worker, tokens)).toBe("worker");
  });

  it("checks the manager token first when both are the same", () => {
    expect(matchJoinToken(tokens.worker, { manager: tokens.worker, worker: tokens.worker })).toBe("manager");
  });

  it("grants nothing for a rotated-away, truncated, longer or empty token", () => {
    const rotated = generateJoinToken(root, rand);
    for (const t of [rotated, tokens.worker.slice(0, -1), `${tokens.worker}x`, ""]) {
      expect(matchJoinToken(t, tokens)).toBeNull();
    }
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abc")).toBe(true);
  });
});
