// "Under the hood: docker swarm init": a keypair for the root CA, a keypair for the first node,
// a certificate issued for this node, the join tokens; and "the join tokens have two parts: a
// secret key (preventing unauthorized nodes from joining) and a fingerprint of the root CA
// certificate (preventing MITM attacks)". The certificates are checked with node:crypto, not
// with the simulator's own CA code, and the fingerprint is recomputed from the root's PEM.
// The MITM claim is tried as an attacker would (src/attack/rogue.ts): a fake manager that serves
// the swarm's public root CA (so the token's fingerprint matches), and one that also presents
// node1's own certificate, replayed without its key. A joining node must refuse both before it
// sends its token.
import { createHash, createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from "node:crypto";
import { Rogue, type SecurityBugs, setSecurityBugs, stealIdentity, swarmOf } from "@swarm-sim/swarmkit-sim";
import type { Scenario } from "../scenario";
import { type Checks, checkedResult } from "./checks";
import { LabSession, type Step } from "./lab-steps";
import { infoField } from "./tables";

const TOKEN = /^SWMTKN-1-([0-9a-z]{50})-([0-9a-z]{25})$/;
const NODE_KEY_FILE = "swarm/certificates/swarm-node.key";

/** A certificate as node:crypto reads it. */
export interface CertView {
  subject: Record<string, string>;
  issuer: string;
  isCA: boolean;
  /** Signed by the root CA's key (node:crypto's own signature check). */
  verifiesAgainstRoot: boolean;
  /** The private key on the node's disk belongs to this certificate. */
  keyOnDiskMatches: boolean;
  publicKey: string;
}

export interface InitPkiRun {
  nodeId: string;
  clusterId: string;
  root: { subject: string; issuer: string; isCA: boolean; selfSigned: boolean; keyMatches: boolean };
  node1: CertView;
  node2: CertView & { nodeId: string };
  tokens: { worker: string; manager: string };
  /** sha256 of the root CA certificate's PEM, hex, and as the token writes it (base 36, 50 chars). */
  rootDigestHex: string;
  rootDigest36: string;
  wrongSecret: Step;
  impostorJoin: Step;
  impostorNodes: number;
  /** node4's join at a fake manager serving the public root CA, and the tokens the fake received. */
  fakeRootJoin: Step;
  fakeRootTokens: number;
  /** The same with a fake that presents node1's certificate (harvested, without its key). */
  fakeCertJoin: Step;
  fakeCertTokens: number;
  traceHash: string;
}

const spki = (k: KeyObject) => k.export({ type: "spki", format: "pem" }).toString();

function subjectOf(x: X509Certificate): Record<string, string> {
  return Object.fromEntries(x.subject.split("\n").map((kv) => kv.split("=", 2) as [string, string]));
}

function viewOf(certPem: string, keyPem: string, root: X509Certificate): CertView {
  const x = new X509Certificate(certPem);
  return {
    subject: subjectOf(x),
    issuer: x.issuer,
    isCA: x.ca,
    verifiesAgainstRoot: x.checkIssued(root) && x.verify(root.publicKey),
    keyOnDiskMatches: keyPem !== "" && spki(createPublicKey(createPrivateKey(keyPem))) === spki(x.publicKey),
    publicKey: spki(x.publicKey),
  };
}

/**
 * The joins that must fail: node4 with node1's fingerprint and a made-up secret, then with the
 * real token at an impostor's address (node3 runs a swarm of its own, with another CA).
 * `honest` runs them with the real token at the real address, for a test that sees the checks
 * fail when nothing was refused.
 */
export function runInitPki(seed: number, honest = false, bugs?: SecurityBugs): InitPkiRun {
  const s = new LabSession({ seed });
  if (bugs) setSecurityBugs(s.lab.sim, bugs);
  const init = s.must("docker swarm init");
  const nodeId = /current node \(([0-9a-z]{25})\)/.exec(init.stdout)?.[1] ?? "";
  const clusterId = infoField(s.must("docker info").stdout, "ClusterID");
  const tokens = {
    worker: s.must("docker swarm join-token -q worker").stdout.trim(),
    manager: s.must("docker swarm join-token -q manager").stdout.trim(),
  };
  const addr = s.joinAddr();
  for (const n of ["node2", "node3", "node4"]) s.must(`docker run -d --privileged --name ${n} docker:dind`);
  s.must(`docker exec node2 docker swarm join --token ${tokens.worker} ${addr}`);
  s.must("docker exec node3 docker swarm init");
  const impostorAddr = `${infoField(s.must("docker exec node3 docker info").stdout, "Node Address")}:2377`;
  const digest36 = TOKEN.exec(tokens.worker)?.[1] ?? "";
  const badToken = `SWMTKN-1-${digest36}-${"0".repeat(25)}`;
  const wrongSecret = s.run(
    `docker exec node4 docker swarm join --token ${honest ? tokens.worker : badToken} ${addr}`,
  );
  const impostorJoin = s.run(
    `docker exec node4 docker swarm join --token ${tokens.worker} ${honest ? addr : impostorAddr}`,
  );
  const impostorNodes = s.run("docker exec node3 docker node ls").stdout.trim().split("\n").length - 1;
  // Fake managers on node1's network, each on a machine of its own that never joined.
  const node1 = swarmOf(s.lab.node("node1"))!;
  const fakeAt = (name: string, address: string, withNode1Cert: boolean) => {
    const rogue = Rogue.create(s.lab.sim, name, { address });
    const fake = rogue.serveFakeManager({
      rootPem: node1.trustRoot,
      identity: withNode1Cert ? stealIdentity(node1.machine, { withKey: false }) : undefined,
    });
    const join = s.run(`docker exec node5 docker swarm join --token ${tokens.worker} ${address}:2377`);
    fake.stop();
    return { join, tokens: fake.tokens.length };
  };
  s.must("docker run -d --privileged --name node5 docker:dind");
  const fakeRoot = fakeAt("fake1", "192.168.1.77", false);
  const fakeCert = fakeAt("fake2", "192.168.1.78", true);
  const node2Id = infoField(s.must("docker exec node2 docker info").stdout, "NodeID");

  const n1 = swarmOf(s.lab.node("node1"))!;
  const n2 = swarmOf(s.lab.node("node2"))!;
  const rootCA = n1.manager!.store.cluster()!.rootCA;
  const root = new X509Certificate(rootCA.caCertPem);
  const keyOnDisk = (n: typeof n1) =>
    (n.machine.disk.read(NODE_KEY_FILE) as { pem?: string } | undefined)?.pem ?? "";
  const rootDigestHex = createHash("sha256").update(rootCA.caCertPem).digest("hex");
  const run: Omit<InitPkiRun, "traceHash"> = {
    nodeId,
    clusterId,
    root: {
      subject: root.subject,
      issuer: root.issuer,
      isCA: root.ca,
      selfSigned: root.verify(root.publicKey),
      keyMatches: spki(createPublicKey(createPrivateKey(rootCA.caKeyPem))) === spki(root.publicKey),
    },
    node1: viewOf(n1.certificate, keyOnDisk(n1), root),
    node2: { ...viewOf(n2.certificate, keyOnDisk(n2), root), nodeId: node2Id },
    tokens,
    rootDigestHex,
    // SwarmKit writes the digest as a base-36 number, left-padded to 50 characters.
    rootDigest36: BigInt(`0x${rootDigestHex}`).toString(36).padStart(50, "0"),
    wrongSecret,
    impostorJoin,
    impostorNodes,
    fakeRootJoin: fakeRoot.join,
    fakeRootTokens: fakeRoot.tokens,
    fakeCertJoin: fakeCert.join,
    fakeCertTokens: fakeCert.tokens,
  };
  s.lab.sim.trace.record("scenario.init-pki", { nodeId, clusterId, rootDigestHex, impostorNodes });
  return { ...run, traceHash: s.traceHash() };
}

export function initPkiChecks(r: InitPkiRun): Checks {
  const w = TOKEN.exec(r.tokens.worker);
  const m = TOKEN.exec(r.tokens.manager);
  return {
    rootCAIsSelfSignedSwarmCA:
      r.root.subject === "CN=swarm-ca" && r.root.isCA && r.root.selfSigned && r.root.keyMatches,
    node1HasItsOwnKeypair: r.node1.keyOnDiskMatches && !r.node1.isCA,
    node1CertificateNamesNodeRoleCluster:
      r.node1.subject.CN === r.nodeId &&
      r.node1.subject.OU === "swarm-manager" &&
      r.node1.subject.O === r.clusterId,
    node1CertificateIssuedByRootCA: r.node1.issuer === "CN=swarm-ca" && r.node1.verifiesAgainstRoot,
    joinedNodeGetsItsOwnSignedCertificate:
      r.node2.keyOnDiskMatches &&
      r.node2.publicKey !== r.node1.publicKey &&
      r.node2.verifiesAgainstRoot &&
      r.node2.subject.CN === r.node2.nodeId &&
      r.node2.subject.OU === "swarm-worker" &&
      r.node2.subject.O === r.clusterId,
    tokensCarryRootFingerprint: w?.[1] === r.rootDigest36 && m?.[1] === r.rootDigest36,
    tokensHaveDifferentSecrets: w !== null && m !== null && w[2] !== m[2],
    wrongSecretRefused:
      r.wrongSecret.exitCode !== 0 &&
      r.wrongSecret.stderr.includes("A valid join token is necessary to join this cluster"),
    impostorManagerRefused:
      r.impostorJoin.exitCode !== 0 &&
      r.impostorJoin.stderr.includes(`remote CA does not match fingerprint. Expected: ${r.rootDigestHex}`) &&
      r.impostorNodes === 1,
    fakeManagerWithPublicRootGetsNoToken:
      r.fakeRootJoin.exitCode !== 0 &&
      r.fakeRootJoin.stderr.includes("x509: certificate signed by unknown authority") &&
      r.fakeRootTokens === 0,
    fakeManagerReplayingCertificateGetsNoToken:
      r.fakeCertJoin.exitCode !== 0 &&
      r.fakeCertJoin.stderr.includes("tls: invalid signature by the server certificate") &&
      r.fakeCertTokens === 0,
  };
}

export const initPki: Scenario = {
  name: "swarm-init-pki",
  section: "Under the hood: docker swarm init",
  claim:
    "swarm init creates a root CA keypair, a keypair and a certificate for the first node, and join tokens made of a secret (no unauthorized joins) and the root CA's fingerprint (no MITM)",
  defaultSeed: 1,
  run(seed) {
    const r = runInitPki(seed);
    const checks = initPkiChecks(r);
    const sub = r.node1.subject;
    return checkedResult(
      this.name,
      seed,
      r.traceHash,
      checks,
      {
        node1Subject: sub,
        node2Subject: r.node2.subject,
        rootDigest: `sha256:${r.rootDigestHex}`,
        wrongSecretError: r.wrongSecret.stderr.trim(),
        impostorError: r.impostorJoin.stderr.trim(),
        fakeRootError: r.fakeRootJoin.stderr.trim(),
        fakeCertError: r.fakeCertJoin.stderr.trim(),
      },
      `node1's certificate CN=${sub.CN?.slice(0, 8)}… OU=${sub.OU} O=${sub.O?.slice(0, 8)}… is signed by the self-signed CN=swarm-ca (checked by node:crypto), its key on node1's disk; the tokens' ${r.rootDigest36.slice(0, 8)}… is sha256 of the root CA; a wrong secret gets "A valid join token is necessary…", an impostor manager "remote CA does not match fingerprint"; fake managers serving the public root, or replaying node1's certificate without its key, get no token`,
    );
  },
};
