import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  authenticateRequest,
  authorizeRoles,
  type CertRole,
  generateKeyPair,
  grpcErrorText,
  MANAGER_ROLE,
  METHOD_AUTHORIZATION,
  methodAuthorization,
  rootCAFromState,
  startRootRotation,
  tlsHandshake,
  WORKER_ROLE,
} from "../src/ca";
import { fcParams } from "../src/testing/fc-params";
import { HOUR, seeded, smallCluster } from "./ca-helpers";

const c = smallCluster("auth");
const base = { trustRoots: c.root.certPem, now: HOUR, clusterId: c.clusterId, blacklist: new Set<string>() };
const peerDenied = (reason: string) =>
  `Permission denied: unauthorized peer role: rpc error: code = PermissionDenied desc = ${reason}`;

describe("the TLS handshake (VerifyClientCertIfGiven)", () => {
  it("lets a client without a certificate in, anonymous", () => {
    expect(tlsHandshake({ chainPem: null, trustRoots: c.root.certPem, now: HOUR })).toEqual({
      ok: true,
      peer: null,
    });
  });

  it("identifies a client by its verified certificate", () => {
    const hs = tlsHandshake({ chainPem: c.worker.certPem, trustRoots: c.root.certPem, now: HOUR });
    expect(hs.ok && hs.peer).toMatchObject({
      nodeId: c.workerId,
      roles: [WORKER_ROLE],
      organization: c.clusterId,
    });
  });

  it("fails the connection for a certificate from another CA, even for the insecure CA methods", () => {
    const other = smallCluster("other-cluster");
    const r = authenticateRequest({
      ...base,
      method: "NodeCA.IssueNodeCertificate",
      chainPem: other.worker.certPem,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("Unavailable");
      expect(r.reason).toMatch(/^x509: certificate signed by unknown authority/);
      expect(r.error.message).toBe(
        `connection error: desc = "transport: authentication handshake failed: ${r.reason}"`,
      );
    }
  });

  it("fails the connection for an expired certificate", () => {
    const r = authenticateRequest({
      ...base,
      method: "Dispatcher.Session",
      chainPem: c.worker.certPem,
      now: 2161 * HOUR,
    });
    expect(!r.ok && r.reason).toMatch(
      /^x509: certificate has expired or is not yet valid: current time .* is after /,
    );
  });
});

describe("per-method authorization", () => {
  it("lets a manager call the control API and returns its node ID", () => {
    expect(
      authenticateRequest({ ...base, method: "Control.ListNodes", chainPem: c.manager.certPem }),
    ).toMatchObject({
      ok: true,
      nodeId: c.managerId,
    });
  });

  it("refuses a worker certificate on a managers-only method with SwarmKit's text", () => {
    for (const method of [
      "Control.ListNodes",
      "Raft.ProcessRaftMessage",
      "CA.GetUnlockKey",
      "Health.Check",
    ]) {
      const r = authenticateRequest({ ...base, method, chainPem: c.worker.certPem });
      expect(r).toEqual({
        ok: false,
        error: {
          code: "PermissionDenied",
          message: peerDenied("Permission denied: remote certificate not part of OUs: [swarm-manager]"),
        },
        reason: "Permission denied: remote certificate not part of OUs: [swarm-manager]",
      });
      if (!r.ok) {
        expect(grpcErrorText(r.error)).toBe(
          "rpc error: code = PermissionDenied desc = Permission denied: unauthorized peer role: rpc error: code = PermissionDenied desc = Permission denied: remote certificate not part of OUs: [swarm-manager]",
        );
      }
    }
  });

  it("lets workers and managers use the dispatcher", () => {
    for (const cert of [c.worker, c.manager]) {
      expect(
        authenticateRequest({ ...base, method: "Dispatcher.Heartbeat", chainPem: cert.certPem }).ok,
      ).toBe(true);
    }
  });

  it("refuses an anonymous caller on a secured method, and serves it on an insecure one", () => {
    const r = authenticateRequest({ ...base, method: "Dispatcher.Session" });
    expect(!r.ok && r.error.message).toBe(peerDenied("no client certificates in request"));
    expect(authenticateRequest({ ...base, method: "CA.GetRootCACertificate" })).toEqual({
      ok: true,
      peer: null,
      nodeId: null,
    });
  });

  it("refuses a removed (blacklisted) node, whatever the blacklist's shape", () => {
    const reason = `Permission denied: node ${c.workerId} was removed from swarm`;
    for (const blacklist of [
      new Set([c.workerId]),
      new Map([[c.workerId, { expiry: 0 }]]),
      { [c.workerId]: {} },
    ]) {
      const r = authenticateRequest({
        ...base,
        blacklist,
        method: "Dispatcher.Session",
        chainPem: c.worker.certPem,
      });
      expect(r).toMatchObject({
        ok: false,
        reason,
        error: { code: "PermissionDenied", message: peerDenied(reason) },
      });
    }
    // Others are unaffected.
    const other = authenticateRequest({
      ...base,
      blacklist: new Set([c.workerId]),
      method: "Dispatcher.Session",
      chainPem: c.manager.certPem,
    });
    expect(other.ok).toBe(true);
  });

  it("refuses a certificate of another cluster signed by the same CA", () => {
    const foreign = c.root.issueNodeCertificate({
      nodeId: "intruder00000000000000000",
      role: MANAGER_ROLE,
      clusterId: "othercluster0000000000000",
      publicKey: generateKeyPair(c.rand),
      now: 0,
      rand: c.rand,
    });
    const r = authenticateRequest({ ...base, method: "Control.ListNodes", chainPem: foreign.certPem });
    const reason = `Permission denied: remote certificate not part of organization: ${c.clusterId}`;
    expect(r).toMatchObject({ ok: false, reason, error: { message: peerDenied(reason) } });
  });

  it("checks OU, then blacklist, then organization (the first failing check is reported)", () => {
    const peer = { nodeId: "n", roles: [WORKER_ROLE], organization: "elsewhere", certificate: c.worker.info };
    const r = authorizeRoles({
      peer,
      roles: [MANAGER_ROLE],
      clusterId: c.clusterId,
      blacklist: new Set(["n"]),
    });
    expect(!r.ok && r.reason).toBe("Permission denied: remote certificate not part of OUs: [swarm-manager]");
    const r2 = authorizeRoles({
      peer,
      roles: [WORKER_ROLE],
      clusterId: c.clusterId,
      blacklist: new Set(["n"]),
    });
    expect(!r2.ok && r2.reason).toBe("Permission denied: node n was removed from swarm");
  });

  it("is granted exactly when the role is allowed, the node not removed and the organization ours", () => {
    const arb = fc.record({
      role: fc.constantFrom<CertRole>(MANAGER_ROLE, WORKER_ROLE),
      allowed: fc.subarray<CertRole>([WORKER_ROLE, MANAGER_ROLE], { minLength: 1 }),
      ourOrg: fc.boolean(),
      removed: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ role, allowed, ourOrg, removed }) => {
        const peer = {
          nodeId: "node1",
          roles: [role],
          organization: ourOrg ? "cluster" : "other",
          certificate: c.worker.info,
        };
        const r = authorizeRoles({
          peer,
          roles: allowed,
          clusterId: "cluster",
          blacklist: removed ? { node1: true } : {},
        });
        expect(r.ok).toBe(allowed.includes(role) && ourOrg && !removed);
        if (!r.ok) expect(r.error.code).toBe("PermissionDenied");
      }),
      fcParams(100),
    );
  });
});

describe("forwarded requests", () => {
  const managerPeer = (() => {
    const hs = tlsHandshake({ chainPem: c.manager.certPem, trustRoots: c.root.certPem, now: HOUR });
    if (!hs.ok || !hs.peer) throw new Error("handshake");
    return hs.peer;
  })();
  const workerPeer = { ...managerPeer, nodeId: c.workerId, roles: [WORKER_ROLE] };
  const forwardedWorker = { nodeId: c.workerId, organization: c.clusterId, roles: [WORKER_ROLE] };

  it("a manager may forward a worker's dispatcher call; the worker is the caller", () => {
    const r = authorizeRoles({
      peer: managerPeer,
      roles: [WORKER_ROLE, MANAGER_ROLE],
      clusterId: c.clusterId,
      forwarded: forwardedWorker,
    });
    expect(r).toEqual({ ok: true, nodeId: c.workerId, forwardedBy: c.managerId });
  });

  it("a worker may not forward", () => {
    const r = authorizeRoles({
      peer: workerPeer,
      roles: [WORKER_ROLE, MANAGER_ROLE],
      clusterId: c.clusterId,
      forwarded: forwardedWorker,
    });
    expect(!r.ok && r.error.message).toBe(
      "Permission denied: unauthorized forwarder role: rpc error: code = PermissionDenied desc = Permission denied: remote certificate not part of OUs: [swarm-manager]",
    );
  });

  it("the forwarded identity must hold an allowed role, be complete and be of this cluster", () => {
    const run = (forwarded: { nodeId: string; organization: string; roles: string[] }) => {
      const r = authorizeRoles({
        peer: managerPeer,
        roles: [MANAGER_ROLE],
        clusterId: c.clusterId,
        forwarded,
      });
      return r.ok ? "ok" : r.error.message;
    };
    expect(run(forwardedWorker)).toBe(
      "Permission denied: unauthorized forwarded role, expecting: [swarm-manager]",
    );
    expect(run({ ...forwardedWorker, roles: [MANAGER_ROLE], organization: "x" })).toBe(
      `Permission denied: organization mismatch, expecting: ${c.clusterId}`,
    );
    expect(run({ ...forwardedWorker, nodeId: "" })).toBe(
      "Permission denied: missing information in forwarded request",
    );
  });
});

describe("the method table", () => {
  it("follows SwarmKit's protos for the three classes of methods", () => {
    expect(methodAuthorization("CA.GetRootCACertificate")).toEqual({ insecure: true });
    expect(methodAuthorization("NodeCA.IssueNodeCertificate")).toEqual({ insecure: true });
    expect(methodAuthorization("NodeCA.NodeCertificateStatus")).toEqual({ insecure: true });
    expect(methodAuthorization("Dispatcher.Session")).toEqual({
      insecure: false,
      roles: [WORKER_ROLE, MANAGER_ROLE],
    });
    expect(methodAuthorization("LogBroker.PublishLogs")).toEqual({
      insecure: false,
      roles: [WORKER_ROLE, MANAGER_ROLE],
    });
    expect(methodAuthorization("RaftMembership.Join")).toEqual({ insecure: false, roles: [MANAGER_ROLE] });
    expect(methodAuthorization("Watch.Watch")).toEqual({ insecure: false, roles: [MANAGER_ROLE] });
    const control = Object.keys(METHOD_AUTHORIZATION).filter((m) => m.startsWith("Control."));
    expect(control.length).toBe(43);
    for (const m of control)
      expect(METHOD_AUTHORIZATION[m]).toEqual({ insecure: false, roles: [MANAGER_ROLE] });
    expect(() => methodAuthorization("Control.Nope")).toThrow("unknown method: Control.Nope");
  });

  it("prints both roles in proto order when a CA-less peer calls the dispatcher", () => {
    const peer = { nodeId: "x", roles: ["swarm-ca"], organization: c.clusterId, certificate: c.worker.info };
    const r = authorizeRoles({ peer, roles: [WORKER_ROLE, MANAGER_ROLE], clusterId: c.clusterId });
    expect(!r.ok && r.reason).toBe(
      "Permission denied: remote certificate not part of OUs: [swarm-worker swarm-manager]",
    );
  });
});

describe("a rotated cluster", () => {
  it("accepts both old-root and cross-signed chains while trusting the old root", () => {
    const rotation = startRootRotation(c.root, seeded("rot"), HOUR);
    const signer = rootCAFromState({ caCertPem: c.root.certPem, caKey: c.root.key, rotation });
    const renewed = signer.issueNodeCertificate({
      nodeId: c.workerId,
      role: WORKER_ROLE,
      clusterId: c.clusterId,
      publicKey: c.workerKey,
      now: HOUR,
      rand: c.rand,
    });
    for (const chainPem of [c.worker.certPem, renewed.certPem]) {
      expect(authenticateRequest({ ...base, now: 2 * HOUR, method: "Dispatcher.Session", chainPem }).ok).toBe(
        true,
      );
    }
    // A root the manager does not trust yet: the new one alone does not vouch for old certificates.
    expect(
      authenticateRequest({
        ...base,
        trustRoots: rotation.caCertPem,
        now: 2 * HOUR,
        method: "Dispatcher.Session",
        chainPem: c.worker.certPem,
      }).ok,
    ).toBe(false);
  });
});
