import { X509Certificate } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  certificateSignedBy,
  finishRootRotation,
  generateKeyPair,
  newId,
  type RootCAState,
  RootCA,
  rootCAFromState,
  startRootRotation,
  verifyChain,
  WORKER_ROLE,
} from "../src/ca";
import { fcParams } from "../src/testing/fc-params";
import { HOUR, seeded, smallCluster } from "./ca-helpers";

const HINT = `x509: certificate signed by unknown authority (possibly because of "x509: ECDSA verification failure" while trying to verify candidate authority certificate "swarm-ca")`;

describe("verifyChain", () => {
  const c = smallCluster("verify", 2 * HOUR);

  it("accepts a certificate issued by the trusted root, inside its validity window", () => {
    const v = verifyChain(c.worker.certPem, c.root.certPem, 10 * HOUR);
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.info.nodeId).toBe(c.workerId);
      expect(v.chain.map((x) => x.subject.commonName)).toEqual([c.workerId, "swarm-ca"]);
    }
  });

  it("refuses a certificate from another CA with Go's unknown-authority text", () => {
    const other = RootCA.create(seeded("other"), { now: 0 });
    expect(verifyChain(c.worker.certPem, other.certPem, HOUR)).toEqual({ ok: false, error: HINT });
  });

  it("refuses an expired or not-yet-valid certificate, naming the instants in RFC 3339", () => {
    const { notBefore, notAfter } = c.worker.info;
    expect(verifyChain(c.worker.certPem, c.root.certPem, notAfter).ok).toBe(true);
    expect(verifyChain(c.worker.certPem, c.root.certPem, notBefore).ok).toBe(true);
    expect(verifyChain(c.worker.certPem, c.root.certPem, notAfter + 1000)).toEqual({
      ok: false,
      error:
        "x509: certificate has expired or is not yet valid: current time 2026-04-01T02:00:01Z is after 2026-04-01T02:00:00Z",
    });
    expect(verifyChain(c.worker.certPem, c.root.certPem, notBefore - 1000)).toEqual({
      ok: false,
      error:
        "x509: certificate has expired or is not yet valid: current time 2026-01-01T00:59:59Z is before 2026-01-01T01:00:00Z",
    });
  });

  it("is valid exactly where the leaf's and the root's windows overlap", () => {
    // A leaf issued at time 0 is backdated 1 h, the root only 5 minutes: in between, the
    // chain fails on the root (as in SwarmKit, for a clock skewed far back).
    const early = smallCluster("verify-early", 0);
    const leaf = early.worker.info;
    const root = early.root.root;
    const rootFrom = root.notBeforeUnixMs - early.root.epochMs;
    const edges = [leaf.notBefore, leaf.notAfter, rootFrom].flatMap((t) => [
      t - 1000,
      t - 1,
      t,
      t + 1,
      t + 1000,
    ]);
    const time = fc.oneof(
      fc.constantFrom(...edges),
      fc.integer({ min: leaf.notBefore - 10 * HOUR, max: leaf.notAfter + 10 * HOUR }),
    );
    fc.assert(
      fc.property(time, (t) => {
        const expected = t >= Math.max(leaf.notBefore, rootFrom) && t <= leaf.notAfter;
        expect(verifyChain(early.worker.certPem, early.root.certPem, t).ok).toBe(expected);
      }),
      fcParams(300),
    );
  });

  it("checks the server name against the DNS SANs when asked", () => {
    expect(verifyChain(c.manager.certPem, c.root.certPem, HOUR, { serverName: "swarm-manager" }).ok).toBe(
      true,
    );
    expect(verifyChain(c.manager.certPem, c.root.certPem, HOUR, { serverName: "swarm-ca" }).ok).toBe(true);
    expect(verifyChain(c.worker.certPem, c.root.certPem, HOUR, { serverName: "swarm-manager" })).toEqual({
      ok: false,
      error: `x509: certificate is valid for swarm-worker, ${c.workerId}, not swarm-manager`,
    });
  });

  it("refuses a certificate signed with a node's key: a node certificate is not a CA", () => {
    const rogue = new RootCA({
      certPem: c.root.certPem,
      key: c.workerKey,
      signingCertPem: c.worker.leafPem,
      intermediatesPem: c.worker.leafPem,
    });
    const leaf = rogue.issueNodeCertificate({
      nodeId: "x",
      role: WORKER_ROLE,
      clusterId: c.clusterId,
      publicKey: generateKeyPair(c.rand),
      now: 2 * HOUR,
      rand: c.rand,
    });
    expect(verifyChain(leaf.certPem, c.root.certPem, 3 * HOUR)).toEqual({
      ok: false,
      error: `x509: certificate signed by unknown authority (possibly because of "x509: invalid signature: parent certificate cannot sign this kind of certificate" while trying to verify candidate authority certificate "${c.workerId}")`,
    });
  });

  it("refuses any single-byte change to a certificate", () => {
    const der = new X509Certificate(c.worker.leafPem).raw;
    fc.assert(
      fc.property(fc.nat(der.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bad = Buffer.from(der);
        bad[at] ^= xor;
        const pem = `-----BEGIN CERTIFICATE-----\n${bad.toString("base64")}\n-----END CERTIFICATE-----\n`;
        expect(verifyChain(pem, c.root.certPem, HOUR).ok).toBe(false);
      }),
      fcParams(300),
    );
  });

  it("refuses a chain through an expired root, naming the root's expiry", () => {
    const rootEnd = c.root.root.notAfterUnixMs - c.root.epochMs;
    const late = c.root.issueNodeCertificate({
      nodeId: "late",
      role: WORKER_ROLE,
      clusterId: c.clusterId,
      publicKey: c.workerKey,
      now: rootEnd - HOUR,
      rand: c.rand,
    });
    expect(verifyChain(late.certPem, c.root.certPem, rootEnd).ok).toBe(true);
    expect(verifyChain(late.certPem, c.root.certPem, rootEnd + 1000)).toEqual({
      ok: false,
      error:
        "x509: certificate has expired or is not yet valid: current time 2045-12-26T23:55:01Z is after 2045-12-26T23:55:00Z",
    });
  });
});

describe("root CA rotation", () => {
  const rand = seeded("rotation");
  const oldRoot = RootCA.create(rand, { now: 0 });
  const clusterId = newId(rand);
  const issue = (ca: RootCA, now: number) =>
    ca.issueNodeCertificate({
      nodeId: newId(rand),
      role: WORKER_ROLE,
      clusterId,
      publicKey: generateKeyPair(rand),
      now,
      rand,
    });
  const before = issue(oldRoot, 0);
  const rotation = startRootRotation(oldRoot, rand, HOUR);
  let state: RootCAState = { caCertPem: oldRoot.certPem, caKey: oldRoot.key, rotation };
  const during = rootCAFromState(state);
  const reissued = issue(during, 2 * HOUR);

  it("cross-signs the new root with the old key, keeping its subject, key and validity", () => {
    const cross = new X509Certificate(rotation.crossSignedCaCertPem);
    const next = new X509Certificate(rotation.caCertPem);
    const old = new X509Certificate(oldRoot.certPem);
    expect(cross.verify(old.publicKey)).toBe(true);
    expect(cross.verify(next.publicKey)).toBe(false);
    expect(cross.publicKey.export({ format: "pem", type: "spki" })).toBe(
      next.publicKey.export({ format: "pem", type: "spki" }),
    );
    expect([cross.subject, cross.validFrom, cross.validTo, cross.serialNumber, cross.ca]).toEqual([
      next.subject,
      next.validFrom,
      next.validTo,
      next.serialNumber,
      true,
    ]);
  });

  it("keeps trusting the old root while signing with the new key and appending the cross-signed certificate", () => {
    expect(during.certPem).toBe(oldRoot.certPem);
    expect(during.digest()).toBe(oldRoot.digest());
    expect(reissued.certPem).toBe(reissued.leafPem + rotation.crossSignedCaCertPem);
    expect(certificateSignedBy(reissued.leafPem, rotation.caCertPem)).toBe(true);
    expect(certificateSignedBy(reissued.leafPem, oldRoot.certPem)).toBe(false);
    expect(
      new X509Certificate(reissued.leafPem).verify(new X509Certificate(rotation.caCertPem).publicKey),
    ).toBe(true);
  });

  it("new certificates verify against the old root through the intermediate, and against the new root", () => {
    expect(verifyChain(reissued.certPem, oldRoot.certPem, 3 * HOUR).ok).toBe(true);
    expect(verifyChain(reissued.certPem, rotation.caCertPem, 3 * HOUR).ok).toBe(true);
    // Without the intermediate the old root cannot vouch for them.
    expect(verifyChain(reissued.leafPem, oldRoot.certPem, 3 * HOUR)).toEqual({ ok: false, error: HINT });
  });

  it("old certificates keep verifying against the old root during the rotation", () => {
    expect(verifyChain(before.certPem, oldRoot.certPem, 3 * HOUR).ok).toBe(true);
    expect(verifyChain(before.certPem, rotation.caCertPem, 3 * HOUR).ok).toBe(false);
  });

  it("after finishing, the new root signs alone: no intermediate, and the old root no longer vouches", () => {
    state = finishRootRotation(state);
    expect(state).toEqual({ caCertPem: rotation.caCertPem, caKey: rotation.caKey, rotation: null });
    const after = rootCAFromState(state);
    expect(after.digest()).not.toBe(oldRoot.digest());
    const fresh = issue(after, 4 * HOUR);
    expect(fresh.certPem).toBe(fresh.leafPem);
    expect(verifyChain(fresh.certPem, rotation.caCertPem, 5 * HOUR).ok).toBe(true);
    expect(verifyChain(fresh.certPem, oldRoot.certPem, 5 * HOUR).ok).toBe(false);
    // Certificates issued during the rotation stay valid under the new root.
    expect(verifyChain(reissued.certPem, rotation.caCertPem, 5 * HOUR).ok).toBe(true);
    expect(() => finishRootRotation(state)).toThrow("no root rotation in progress");
  });

  it("refuses to cross-sign a certificate that is not a CA", () => {
    expect(() => oldRoot.crossSign(before.leafPem)).toThrow("certificate not a CA");
    expect(() => oldRoot.crossSign("junk")).toThrow("could not parse new CA certificate");
  });
});
