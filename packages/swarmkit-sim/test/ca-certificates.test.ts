import { createPrivateKey, createPublicKey, sign, X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  CERT_BACKDATE_MS,
  certificateInfo,
  DEFAULT_EPOCH_MS,
  DEFAULT_NODE_CERT_EXPIRATION_MS,
  generateJoinToken,
  generateKeyPair,
  keyPairFromPem,
  keyPairFromSeed,
  MANAGER_ROLE,
  MIN_CERT_EXPIRY_ERROR,
  newId,
  parseCertificate,
  parseCertificateBundle,
  ROOT_CA_EXPIRATION_MS,
  RootCA,
  WORKER_ROLE,
} from "../src/ca";
import { HOUR, seeded, smallCluster } from "./ca-helpers";

const MINUTE = 60_000;
const roundToMinute = (ms: number) => Math.floor((ms + 30_000) / MINUTE) * MINUTE;

describe("root CA certificate", () => {
  const rand = seeded("root");
  const now = 90 * MINUTE + 12_345;
  const root = RootCA.create(rand, { now });
  const x = new X509Certificate(root.certPem);

  it("is a self-signed CA named swarm-ca that node's X509Certificate parses and verifies", () => {
    expect(x.subject).toBe("CN=swarm-ca");
    expect(x.issuer).toBe("CN=swarm-ca");
    expect(x.ca).toBe(true);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.publicKey.asymmetricKeyType).toBe("ed25519");
    expect(x.checkIssued(x)).toBe(true);
  });

  it("lives 20 years from 5 minutes before the current minute, as cfssl initca signs it", () => {
    const notBefore = roundToMinute(DEFAULT_EPOCH_MS + now) - 5 * MINUTE;
    expect(Date.parse(x.validFrom)).toBe(notBefore);
    expect(Date.parse(x.validTo)).toBe(notBefore + ROOT_CA_EXPIRATION_MS);
    expect(ROOT_CA_EXPIRATION_MS).toBe(630_720_000_000);
  });

  it("has a PEM laid out as Go writes it, and a digest over those exact bytes", () => {
    expect(root.certPem).toMatch(
      /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/,
    );
    expect(root.digest()).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("can be rebuilt from its material, and refuses a non-CA certificate or a mismatched key", () => {
    const again = new RootCA({ certPem: root.certPem, key: keyPairFromPem(root.key!.privateKeyPem) });
    expect(again.digest()).toBe(root.digest());
    expect(again.canSign).toBe(true);
    expect(new RootCA({ certPem: root.certPem }).canSign).toBe(false);
    const { manager } = smallCluster("x");
    expect(() => new RootCA({ certPem: manager.leafPem })).toThrow("not a CA");
    expect(() => new RootCA({ certPem: root.certPem, key: generateKeyPair(rand) })).toThrow(
      "certificate key mismatch",
    );
  });
});

describe("node certificates", () => {
  const now = 5 * HOUR + 29_999; // rounds down to the minute
  const c = smallCluster("nodes", now);
  const rootX = new X509Certificate(c.root.certPem);

  it("carry O=<cluster>, OU=<role>, CN=<node ID>, issuer swarm-ca, and verify under the root key", () => {
    for (const [issued, role, id] of [
      [c.manager, MANAGER_ROLE, c.managerId],
      [c.worker, WORKER_ROLE, c.workerId],
    ] as const) {
      const x = new X509Certificate(issued.leafPem);
      expect(x.subject).toBe(`O=${c.clusterId}\nOU=${role}\nCN=${id}`);
      expect(x.issuer).toBe("CN=swarm-ca");
      expect(x.ca).toBe(false);
      expect(x.verify(rootX.publicKey)).toBe(true);
      expect(x.checkIssued(rootX)).toBe(true);
      expect(x.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
    }
  });

  it("name the role and the node in their DNS SANs, and swarm-ca too for managers", () => {
    expect(new X509Certificate(c.manager.leafPem).subjectAltName).toBe(
      `DNS:swarm-manager, DNS:${c.managerId}, DNS:swarm-ca`,
    );
    expect(new X509Certificate(c.worker.leafPem).subjectAltName).toBe(`DNS:swarm-worker, DNS:${c.workerId}`);
  });

  it("hold the node's public key", () => {
    const x = new X509Certificate(c.worker.leafPem);
    expect(x.publicKey.export({ format: "pem", type: "spki" })).toBe(c.workerKey.publicKeyPem);
    expect(c.worker.info.publicKeyPem).toBe(c.workerKey.publicKeyPem);
  });

  it("are backdated 1 h and last the default 2160 h, from the current minute", () => {
    const x = new X509Certificate(c.worker.leafPem);
    const minute = roundToMinute(DEFAULT_EPOCH_MS + now);
    expect(Date.parse(x.validFrom)).toBe(minute - CERT_BACKDATE_MS);
    expect(Date.parse(x.validTo)).toBe(minute + DEFAULT_NODE_CERT_EXPIRATION_MS);
    expect(DEFAULT_NODE_CERT_EXPIRATION_MS).toBe(2160 * HOUR);
    // The parsed view speaks simulated time.
    expect(c.worker.info.notBefore).toBe(minute - DEFAULT_EPOCH_MS - HOUR);
    expect(c.worker.info.notAfter).toBe(minute - DEFAULT_EPOCH_MS + 2160 * HOUR);
  });

  it("take a requested expiry of at least 1 h, and silently the default below it", () => {
    const issue = (expiryMs: number | undefined) =>
      c.root.issueNodeCertificate({
        nodeId: newId(c.rand),
        role: WORKER_ROLE,
        clusterId: c.clusterId,
        publicKey: c.workerKey.publicRaw,
        now: 0,
        expiryMs,
        rand: c.rand,
      }).info;
    const life = (i: { notBefore: number; notAfter: number }) => i.notAfter - i.notBefore - CERT_BACKDATE_MS;
    expect(life(issue(48 * HOUR))).toBe(48 * HOUR);
    expect(life(issue(HOUR))).toBe(HOUR);
    expect(life(issue(HOUR - 1))).toBe(2160 * HOUR);
    expect(life(issue(30 * MINUTE))).toBe(2160 * HOUR);
    expect(life(issue(undefined))).toBe(2160 * HOUR);
    expect(MIN_CERT_EXPIRY_ERROR).toBe("minimum certificate expiry time is: 1h0m0s");
  });

  it("are written in times of one-second resolution that match the parsed view", () => {
    const r = seeded("times");
    const root = RootCA.create(r, { now: 0, epochMs: Date.UTC(2030, 5, 15, 12, 0, 0) });
    const issued = root.issueNodeCertificate({
      nodeId: newId(r),
      role: WORKER_ROLE,
      clusterId: newId(r),
      publicKey: generateKeyPair(r),
      now: 0,
      rand: r,
    });
    const x = new X509Certificate(issued.leafPem);
    expect(x.validFrom).toBe("Jun 15 11:00:00 2030 GMT");
    expect(issued.info.notBefore).toBe(-HOUR);
    // Parsing with another epoch only shifts the view.
    expect(certificateInfo(issued.leafPem, Date.UTC(2030, 5, 15, 11, 0, 0)).notBefore).toBe(0);
  });

  it("parse into the fields SwarmKit reads, once per PEM", () => {
    const info = certificateInfo(c.manager.certPem);
    expect(info).toMatchObject({
      nodeId: c.managerId,
      role: MANAGER_ROLE,
      clusterId: c.clusterId,
      issuer: "swarm-ca",
      isCA: false,
    });
    expect(info.fingerprint).toBe(
      new X509Certificate(c.manager.leafPem).fingerprint256.replace(/:/g, "").toLowerCase(),
    );
    expect(info.serialHex).toBe(new X509Certificate(c.manager.leafPem).serialNumber.toLowerCase());
    expect(certificateInfo(c.manager.certPem)).toBe(info);
    expect(parseCertificate(c.manager.certPem)).toBe(parseCertificate(c.manager.certPem));
  });

  it("have positive 20-byte serial numbers that differ", () => {
    const a = new X509Certificate(c.manager.leafPem).serialNumber;
    const b = new X509Certificate(c.worker.leafPem).serialNumber;
    expect(a).not.toBe(b);
    for (const s of [a, b]) {
      expect(s.length).toBeLessThanOrEqual(40);
      expect(Number.parseInt(s.slice(0, 1), 16)).toBeLessThan(8);
    }
  });

  it("cannot be issued by a CA without its key, or for a role that is not a node role", () => {
    const readOnly = new RootCA({ certPem: c.root.certPem });
    const req = {
      nodeId: "n",
      role: WORKER_ROLE,
      clusterId: "c",
      publicKey: c.workerKey,
      now: 0,
      rand: c.rand,
    } as const;
    expect(() => readOnly.issueNodeCertificate(req)).toThrow("no valid signer found");
    expect(() => c.root.issueNodeCertificate({ ...req, role: "swarm-ca" as never })).toThrow("invalid role");
  });
});

describe("parsing refuses what is not a certificate", () => {
  it("malformed DER throws x509: malformed certificate", () => {
    const { manager } = smallCluster("bad");
    const der = new X509Certificate(manager.leafPem).raw;
    const truncated = `-----BEGIN CERTIFICATE-----\n${der.subarray(0, der.length - 10).toString("base64")}\n-----END CERTIFICATE-----\n`;
    expect(() => parseCertificate(truncated)).toThrow("x509: malformed certificate");
    expect(() => parseCertificate("no pem here")).toThrow("x509: malformed certificate");
    const garbage = `-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n`;
    expect(() => parseCertificate(garbage)).toThrow("x509: malformed certificate");
    expect(parseCertificateBundle("")).toEqual([]);
  });
});

describe("keys", () => {
  it("from a seed equal the reference PKCS#8 import: same public key, same signatures", () => {
    const rand = seeded("keys");
    for (let i = 0; i < 20; i++) {
      const kp = generateKeyPair(rand);
      const reference = createPrivateKey({
        key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), kp.seed]),
        format: "der",
        type: "pkcs8",
      });
      expect(createPublicKey(reference).export({ format: "pem", type: "spki" })).toBe(kp.publicKeyPem);
      const msg = Buffer.from(`message ${i}`);
      expect(sign(null, msg, kp.privateKey).equals(sign(null, msg, reference))).toBe(true);
      expect(
        createPrivateKey(kp.privateKeyPem)
          .export({ format: "der", type: "pkcs8" })
          .equals(reference.export({ format: "der", type: "pkcs8" })),
      ).toBe(true);
    }
  });

  it("round-trip through their PEM and refuse other input", () => {
    const kp = keyPairFromSeed(new Uint8Array(32).fill(7));
    expect(keyPairFromPem(kp.privateKeyPem).publicKeyPem).toBe(kp.publicKeyPem);
    expect(() => keyPairFromSeed(new Uint8Array(31))).toThrow();
    expect(() => keyPairFromPem(kp.publicKeyPem)).toThrow("invalid PEM-encoded private key");
  });
});

describe("determinism", () => {
  const run = (seed: string) => {
    const c = smallCluster(seed, 12_345);
    return [
      c.root.certPem,
      c.root.key!.privateKeyPem,
      c.manager.certPem,
      c.worker.certPem,
      generateJoinToken(c.root, c.rand),
    ];
  };

  it("the same seed gives byte-identical keys, certificates and tokens", () => {
    expect(run("same")).toEqual(run("same"));
  });

  it("another seed gives different ones", () => {
    const a = run("one");
    const b = run("two");
    for (let i = 0; i < a.length; i++) expect(a[i]).not.toBe(b[i]);
  });
});
