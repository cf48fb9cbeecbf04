// "Under the hood: cluster communication": the control plane is encrypted with AES-GCM; keys are
// rotated every 12 hours; authentication is done with mutual TLS; certificates are rotated
// every 90 days (`docker swarm update` allows to change this delay). A two-node swarm lives
// through two simulated months; every certificate each node holds and every key ring the
// cluster stores are recorded.
import { ca, stealIdentity, swarmOf, type SwarmNode } from "@swarm-sim/swarmkit-sim";
import { runSlices, type Scenario } from "../scenario";
import { type Checks, checkedResult } from "./checks";
import { LabSession, parseNodeLs } from "./lab-steps";
import { callManager, refused } from "./manager-rpc";
import { infoField } from "./tables";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TWELVE_HOURS = 12 * HOUR;
const NINETY_DAYS = 2160 * HOUR;
const FORTY_EIGHT_HOURS = 48 * HOUR;
/** Renewal comes in the last 50-80 % of a certificate's life, as SwarmKit draws it. */
const RENEWAL_WINDOW = [0.5, 0.8] as const;
/** cfssl rounds "now" to the minute: allow that much on either side of the window. */
const ROUNDING_MS = 60_000;

/** One certificate a node held: when it was issued (NotBefore + the 1 h backdate) and its end. */
export interface CertIssue {
  node: string;
  issuedAtMs: number;
  notAfterMs: number;
  /** The end of the certificate it replaced (null for the first). */
  previousNotAfterMs: number | null;
  previousIssuedAtMs: number | null;
}

export interface CertRotationRun {
  expiryBefore: string;
  expiryAfter: string;
  /** When `docker swarm update --cert-expiry 48h` ran (null when it did not). */
  updateAtMs: number | null;
  issues: CertIssue[];
  /** The rotatedAt of every network key ring the cluster stored, in order. */
  keyRings: number[];
  keyAlgorithms: string[];
  keyBytes: number[];
  keysPerSubsystem: Record<string, number>;
  /** A certificate of node2's that had expired, presented to node1's dispatcher. */
  expiredCertAnswer: string | null;
  currentCertAnswer: string | null;
  nodesReady: number;
  days: number;
  traceHash: string;
}

interface StoredRing {
  rotatedAt: number;
  ring: { keys: { subsystem: string; algorithm: string; key: Uint8Array }[] };
}

/** Watches each node's certificate and records every new one. */
class CertificateLog {
  readonly issues: CertIssue[] = [];
  /** The PEM of each issue, by index. */
  private readonly pems: string[] = [];
  private readonly held = new Map<string, string>();

  constructor(private readonly nodes: Record<string, SwarmNode>) {
    this.sample();
  }

  sample(): void {
    for (const [name, n] of Object.entries(this.nodes)) {
      if (this.held.get(name) === n.certificate) continue;
      this.held.set(name, n.certificate);
      const info = ca.certificateInfo(n.certificate, n.machine.sim.epochMs);
      const prev = this.issues.filter((i) => i.node === name).at(-1);
      this.issues.push({
        node: name,
        issuedAtMs: info.notBefore + ca.CERT_BACKDATE_MS,
        notAfterMs: info.notAfter,
        previousNotAfterMs: prev?.notAfterMs ?? null,
        previousIssuedAtMs: prev?.issuedAtMs ?? null,
      });
      this.pems.push(n.certificate);
    }
  }

  pemOf(issue: CertIssue): string {
    return this.pems[this.issues.indexOf(issue)];
  }

  renewed(node: string): CertIssue[] {
    return this.issues.filter((i) => i.node === node && i.previousNotAfterMs !== null);
  }
}

/**
 * `updateExpiry: false` skips `docker swarm update --cert-expiry 48h` (a test's broken run).
 * The dispatcher heartbeat is 1 h instead of 5 s: it changes nothing about certificates or
 * keys, and makes two simulated months of a swarm cheap enough for the walkthrough.
 */
export function runCertRotation(seed: number, opts: { updateExpiry?: boolean } = {}): CertRotationRun {
  return runSlices(certRotationSlices(seed, opts));
}

/** runCertRotation in slices of a simulated day (about 50 ms each). */
export function* certRotationSlices(
  seed: number,
  opts: { updateExpiry?: boolean } = {},
): Generator<void, CertRotationRun, void> {
  const s = new LabSession({ seed });
  const sim = s.lab.sim;
  s.must("docker swarm init --dispatcher-heartbeat 1h");
  s.addNode("node2", "worker");
  const nodes = { node1: swarmOf(s.lab.node("node1"))!, node2: swarmOf(s.lab.node("node2"))! };
  const store = nodes.node1.manager!.store;
  const keyRings: number[] = [];
  const recordRing = () => {
    const ring = store.cluster()?.networkBootstrapKeys as StoredRing | null | undefined;
    if (ring && ring.rotatedAt !== keyRings.at(-1)) keyRings.push(ring.rotatedAt);
  };
  recordRing();
  store.events.on("commit", recordRing);

  const expiryBefore = infoField(s.must("docker info").stdout, "Expiry Duration");
  let updateAtMs: number | null = null;
  if (opts.updateExpiry !== false) {
    s.must("docker swarm update --cert-expiry 48h");
    updateAtMs = sim.now();
  }
  const expiryAfter = infoField(s.must("docker info").stdout, "Expiry Duration");

  // Hour by hour until every node has renewed its first certificate, then four more days.
  const log = new CertificateLog(nodes);
  const names = Object.keys(nodes);
  let allRenewedAt: number | null = null;
  for (
    let hours = 1;
    sim.now() < 80 * DAY && (allRenewedAt === null || sim.now() < allRenewedAt + 4 * DAY);
    hours++
  ) {
    sim.runFor(HOUR);
    log.sample();
    if (allRenewedAt === null && names.every((n) => log.renewed(n).length > 0)) allRenewedAt = sim.now();
    if (hours % 24 === 0) yield;
  }

  const nodesReady = parseNodeLs(s.must("docker node ls").stdout).filter((n) => n.status === "Ready").length;
  // mTLS checks validity: node2's certificate that has run out, then the one it holds now.
  const expired = log.issues.find((i) => i.node === "node2" && i.notAfterMs < sim.now());
  const oldPem = expired ? log.pemOf(expired) : null;
  // node2's key is the same for all its certificates (a renewal asks for the same key).
  const key = stealIdentity(nodes.node2.machine, { withKey: true }).keyPem;
  const probe = (chain: string) =>
    callManager(sim, nodes.node2.machine, nodes.node1.advertiseAddr, "Dispatcher.Heartbeat", {
      chain,
      keyPem: key,
    });
  const expiredCertAnswer = oldPem ? probe(oldPem) : null;
  const currentCertAnswer = probe(nodes.node2.certificate);

  const ring = store.cluster()?.networkBootstrapKeys as StoredRing;
  const keys = ring.ring.keys;
  const keysPerSubsystem: Record<string, number> = {};
  for (const k of keys) keysPerSubsystem[k.subsystem] = (keysPerSubsystem[k.subsystem] ?? 0) + 1;
  const run: Omit<CertRotationRun, "traceHash"> = {
    expiryBefore,
    expiryAfter,
    updateAtMs,
    issues: log.issues,
    keyRings,
    keyAlgorithms: [...new Set(keys.map((k) => k.algorithm))],
    keyBytes: [...new Set(keys.map((k) => k.key.length))],
    keysPerSubsystem,
    expiredCertAnswer,
    currentCertAnswer,
    nodesReady,
    days: Math.round((sim.now() / DAY) * 10) / 10,
  };
  sim.trace.record("scenario.cert-rotation", { ...run });
  return { ...run, traceHash: s.traceHash() };
}

/** When each node first renewed its certificate, for the summary. */
function firstRenewals(r: CertRotationRun): string {
  return ["node1", "node2"]
    .map((n) => r.issues.find((i) => i.node === n && i.previousNotAfterMs !== null))
    .filter((i): i is CertIssue => i !== undefined)
    .map((i) => `${i.node} on day ${(i.issuedAtMs / DAY).toFixed(1)}`)
    .join(", ");
}

export function certRotationChecks(r: CertRotationRun): Checks {
  const byNode = (n: string) => r.issues.filter((i) => i.node === n);
  const renewals = r.issues.filter((i) => i.previousNotAfterMs !== null);
  const firstCerts = r.issues.filter((i) => i.previousNotAfterMs === null);
  const afterUpdate = r.issues.filter((i) => r.updateAtMs !== null && i.issuedAtMs > r.updateAtMs);
  const intervals = r.keyRings.slice(1).map((t, i) => t - r.keyRings[i]);
  const inWindow = (i: CertIssue) => {
    const start = i.previousIssuedAtMs! - ca.CERT_BACKDATE_MS;
    const life = i.previousNotAfterMs! - start;
    const at = i.issuedAtMs - start;
    return at >= RENEWAL_WINDOW[0] * life - ROUNDING_MS && at <= RENEWAL_WINDOW[1] * life + ROUNDING_MS;
  };
  return {
    defaultExpiryIs90Days:
      r.expiryBefore === "3 months" &&
      firstCerts.length === 2 &&
      firstCerts.every((i) => i.notAfterMs - i.issuedAtMs === NINETY_DAYS),
    everyNodeRenewed: ["node1", "node2"].every((n) => byNode(n).length > 1),
    renewedBeforeExpiry: renewals.length > 0 && renewals.every((i) => i.issuedAtMs < i.previousNotAfterMs!),
    renewedAt50To80PercentOfLife: renewals.length > 0 && renewals.every(inWindow),
    updateSetsExpiryTo2Days: r.expiryAfter === "2 days",
    newCertificatesLast48h:
      afterUpdate.length >= 2 && afterUpdate.every((i) => i.notAfterMs - i.issuedAtMs === FORTY_EIGHT_HOURS),
    networkKeysRotateEvery12h:
      intervals.length >= 2 * Math.floor(r.days) - 1 &&
      intervals.every((d) => d >= TWELVE_HOURS && d <= TWELVE_HOURS + 1000),
    networkKeysAreAES128GCM:
      r.keyAlgorithms.join() === "AES_128_GCM" &&
      r.keyBytes.join() === "16" &&
      Object.values(r.keysPerSubsystem).every((n) => n === 3),
    expiredCertificateRefused: (r.expiredCertAnswer ?? "").includes("tls: expired certificate"),
    currentCertificateAccepted: !refused(r.currentCertAnswer),
    nodesStayReady: r.nodesReady === 2,
  };
}

export const certRotation: Scenario = {
  name: "swarm-cert-rotation",
  section: "Under the hood: cluster communication",
  claim:
    "Keys (AES-GCM) are rotated every 12 hours; authentication is mutual TLS; certificates are rotated every 90 days (`docker swarm update` changes this delay)",
  defaultSeed: 1,
  run(seed) {
    return runSlices(this.slices!(seed));
  },
  *slices(seed) {
    const r = yield* certRotationSlices(seed);
    const checks = certRotationChecks(r);
    const short = r.issues.filter((i) => r.updateAtMs !== null && i.issuedAtMs > r.updateAtMs).length;
    return checkedResult(
      this.name,
      seed,
      r.traceHash,
      checks,
      {
        days: r.days,
        expiryBefore: r.expiryBefore,
        expiryAfter: r.expiryAfter,
        keyRotations: r.keyRings.length - 1,
        keyAlgorithms: r.keyAlgorithms,
        certificates: r.issues.map((i) => ({
          node: i.node,
          issuedDay: Number((i.issuedAtMs / DAY).toFixed(3)),
          validHours: (i.notAfterMs - i.issuedAtMs) / HOUR,
        })),
        expiredCertAnswer: r.expiredCertAnswer,
      },
      `${r.days} simulated days: ${r.keyRings.length - 1} rotations of the AES_128_GCM network keys, 12 h apart; the 90-day certificates (docker info: "${r.expiryBefore}") renewed at 50-80 % of their life (${firstRenewals(r)}); after --cert-expiry 48h ("${r.expiryAfter}") ${short} certificates of 48 h, each renewed before it expired; an expired one is refused (tls: expired certificate)`,
    );
  },
};
