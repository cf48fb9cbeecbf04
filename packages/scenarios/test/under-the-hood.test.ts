// "Creating our first Swarm" and "Under the hood": init on two nodes, the PKI that init
// creates, and certificate and key rotation over simulated months.
import { describe, expect, it } from "vitest";
import { allHold, failedChecks } from "../src/scenarios/checks";
import {
  type CertRotationRun,
  certRotation,
  certRotationChecks,
  certRotationSlices,
} from "../src/scenarios/cert-rotation";
import { initPki, initPkiChecks, runInitPki } from "../src/scenarios/init-pki";
import { initTwice, initTwiceChecks, runInitTwice } from "../src/scenarios/init-twice";
import { holdsAndReplays, holdsAndReplaysYielding } from "./support/holds";
import { runYielding } from "./support/yielding";

describe("swarm-init-twice", () => {
  it("two inits make two clusters that refuse each other", () => {
    const r = holdsAndReplays(initTwice);
    const ids = r.measured.clusterIds as { node1: string; node2: string };
    expect(ids.node1).not.toBe(ids.node2);
  });

  it("fails when node2 joins node1 instead (one cluster)", () => {
    const checks = initTwiceChecks(runInitTwice(1, "join"));
    expect(failedChecks(checks)).toEqual(
      expect.arrayContaining(["twoClusterIds", "node1ListsOnlyItself", "tokenRefusedByTheOtherCluster"]),
    );
  });
});

describe("swarm-init-pki", () => {
  it("the certificates verify with node:crypto and the tokens pin the root CA", () => {
    const r = holdsAndReplays(initPki);
    expect(r.measured.node1Subject).toMatchObject({ OU: "swarm-manager" });
  });

  it("fails when the attacks use the real token and address (nothing refused)", () => {
    const checks = initPkiChecks(runInitPki(1, true));
    expect(failedChecks(checks)).toEqual(["wrongSecretRefused", "impostorManagerRefused"]);
  });

  it("fails when the joiner sends its token before the manager proved the pinned root", () => {
    const checks = initPkiChecks(runInitPki(1, false, { joinTrustsEarly: true }));
    expect(failedChecks(checks)).toEqual([
      "fakeManagerWithPublicRootGetsNoToken",
      "fakeManagerReplayingCertificateGetsNoToken",
    ]);
  });

  it("fails a certificate that names another cluster or does not verify", () => {
    const r = runInitPki(1);
    expect(allHold(initPkiChecks(r))).toBe(true);
    const otherCluster = { ...r, node1: { ...r.node1, subject: { ...r.node1.subject, O: "x" } } };
    expect(failedChecks(initPkiChecks(otherCluster))).toEqual(["node1CertificateNamesNodeRoleCluster"]);
    const unsigned = { ...r, node1: { ...r.node1, verifiesAgainstRoot: false } };
    expect(failedChecks(initPkiChecks(unsigned))).toEqual(["node1CertificateIssuedByRootCA"]);
  });
});

// Two simulated months per run: the runs go in slices that let the event loop turn (see
// support/yielding.ts), so the worker stays responsive however busy the machine is.
describe("swarm-cert-rotation", () => {
  it("keys rotate every 12 h, certificates are renewed before they expire, 90 days then 48 h", async () => {
    const r = await holdsAndReplaysYielding(certRotation);
    expect(r.measured.expiryBefore).toBe("3 months");
    expect(r.measured.expiryAfter).toBe("2 days");
  });

  it("fails a run without `docker swarm update --cert-expiry 48h`", async () => {
    const checks = certRotationChecks(await runYielding(certRotationSlices(1, { updateExpiry: false })));
    expect(failedChecks(checks)).toEqual(
      expect.arrayContaining(["updateSetsExpiryTo2Days", "newCertificatesLast48h"]),
    );
  });

  it("fails a renewal after expiry and a key ring kept 13 hours", () => {
    const good: CertRotationRun = {
      expiryBefore: "3 months",
      expiryAfter: "2 days",
      updateAtMs: 10_000,
      issues: [
        {
          node: "node1",
          issuedAtMs: 0,
          notAfterMs: 2160 * 3_600_000,
          previousNotAfterMs: null,
          previousIssuedAtMs: null,
        },
        {
          node: "node2",
          issuedAtMs: 0,
          notAfterMs: 2160 * 3_600_000,
          previousNotAfterMs: null,
          previousIssuedAtMs: null,
        },
      ],
      keyRings: [0, 12 * 3_600_000, 24 * 3_600_000],
      keyAlgorithms: ["AES_128_GCM"],
      keyBytes: [16],
      keysPerSubsystem: { "networking:gossip": 3, "networking:ipsec": 3 },
      expiredCertAnswer: "Unavailable: ... tls: expired certificate",
      currentCertAnswer: "NotFound: node not registered",
      nodesReady: 2,
      days: 1,
      traceHash: "",
    };
    const renewal = (node: string, at: number) => ({
      node,
      issuedAtMs: at,
      notAfterMs: at + 48 * 3_600_000,
      previousNotAfterMs: 2160 * 3_600_000,
      previousIssuedAtMs: 0,
    });
    const inTime = {
      ...good,
      issues: [...good.issues, renewal("node1", 50 * 86_400_000), renewal("node2", 60 * 86_400_000)],
    };
    expect(allHold(certRotationChecks(inTime))).toBe(true);
    const late = {
      ...inTime,
      issues: [...good.issues, renewal("node1", 91 * 86_400_000), renewal("node2", 60 * 86_400_000)],
    };
    expect(failedChecks(certRotationChecks(late))).toEqual(
      expect.arrayContaining(["renewedBeforeExpiry", "renewedAt50To80PercentOfLife"]),
    );
    const slowKeys = { ...inTime, keyRings: [0, 13 * 3_600_000, 25 * 3_600_000] };
    expect(failedChecks(certRotationChecks(slowKeys))).toEqual(["networkKeysRotateEvery12h"]);
  });
});
