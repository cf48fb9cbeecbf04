// Real certificates and keys for transport tests: a root CA, and node identities it issues
// (or a foreign CA issues), as the handshake needs them (a chain and the key that signs).
import type { CertRole } from "../../src/ca/constants";
import { MANAGER_ROLE } from "../../src/ca/constants";
import { generateKeyPair } from "../../src/ca/keys";
import { RootCA } from "../../src/ca/rootca";
import type { World } from "../../src/kernel/machine";
import type { Credentials } from "../../src/transport/identity";

export interface TestPki {
  rootPem: string;
  /** An identity the root issues (node ID, role). */
  issue(nodeId: string, role?: CertRole): Credentials;
  /** An identity a CA of nobody's issues (it verifies against no swarm's root). */
  foreign(nodeId: string, role?: CertRole): Credentials;
}

export function testPki(sim: World, name = "test-pki"): TestPki {
  const rand = sim.random.fork(name);
  const now = sim.now();
  const root = RootCA.create(rand, { now, epochMs: sim.epochMs });
  const other = RootCA.create(rand, { now, epochMs: sim.epochMs });
  const make = (ca: RootCA, nodeId: string, role: CertRole): Credentials => {
    const key = generateKeyPair(rand);
    const { certPem } = ca.issueNodeCertificate({ nodeId, role, clusterId: "c", publicKey: key, now, rand });
    return { chain: certPem, key: key.privateKey };
  };
  return {
    rootPem: root.certPem,
    issue: (nodeId, role = MANAGER_ROLE) => make(root, nodeId, role),
    foreign: (nodeId, role = MANAGER_ROLE) => make(other, nodeId, role),
  };
}
