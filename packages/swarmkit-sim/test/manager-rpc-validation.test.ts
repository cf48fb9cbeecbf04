// Malformed requests sent straight to a manager (a test, or a stolen certificate past dockerd):
// every method answers with SwarmKit's code and message, never a JavaScript error, and the
// manager goes on working. Codes: gRPC's decoder refuses a body that is not the method's
// message (Internal "grpc: error unmarshalling request: ..."); SwarmKit's handlers refuse what
// they validate (InvalidArgument); the authorization wrapper refuses a worker on manager-only
// methods before the request is looked at (PermissionDenied); an unknown method is
// Unimplemented before any of that.
import { describe, expect, it } from "vitest";
import { generateKeyPair } from "../src/ca/keys";
import { Sim } from "../src/kernel/sim";
import { CA_METHODS, RAFT_MESSAGE } from "../src/api/methods";
import type { SwarmNode } from "../src/node/swarm-node";
import { defaultServiceSpec } from "../src/manager/orchestrator/service-defaults";
import { buildSwarm } from "../src/swarm/build";
import { stealIdentity } from "../src/attack/rogue";
import { type Answer, type Caller, callManager, outcome } from "./support/manager-call";
import { docker } from "./support/swarm-cli";

/** What no answer may say: a JavaScript error leaking out of a handler. */
const LEAKS = /TypeError|Cannot read properties|undefined|is not a function/;

/** Calls `to` from `from`'s machine, as `who` (a node's certificate and key, or null for none). */
function call(sim: Sim, from: SwarmNode, to: SwarmNode, method: string, who: Caller, body: unknown) {
  return callManager(sim, from.machine, to, method, who, body);
}

const NOT_A_MESSAGE = "Internal: grpc: error unmarshalling request: unexpected EOF";
const wrongType = (field: string) =>
  `Internal: grpc: error unmarshalling request: proto: wrong wireType = 0 for field ${field}`;
const RATE_LIMITED = /^Unavailable: node \w+ exceeded rate limit count of registrations$/;

/** Bodies that are not messages at all. */
const NOT_MESSAGES: unknown[] = [42, "garbage", [], true];
/** A message whose every field (of any method) is a number: the wrong type for most. */
const WRONG_TYPES = Object.fromEntries(
  [
    "ref",
    "id",
    "nodeId",
    "patch",
    "force",
    "autolock",
    "addr",
    "msg",
    "actions",
    "publicKeyPem",
    "token",
    "service",
    "description",
    "sessionId",
    "updates",
    "spec",
    "serviceId",
    "networkId",
    "name",
  ].map((k) => [k, 5]),
);

interface Expected {
  /** Only managers may call it (a worker is refused whatever it sends). */
  managersOnly: boolean;
  /** The answer to {} and to null (an absent body is the empty message). */
  empty: string | RegExp | (string | RegExp)[];
  wrong: string;
}

/** Every method a manager registers, and what SwarmKit answers to it. */
const EXPECTED: Record<string, Expected> = {
  "CA.GetRootCACertificate": { managersOnly: false, empty: "ok", wrong: "ok" },
  "NodeCA.IssueNodeCertificate": {
    managersOnly: false,
    empty: "InvalidArgument: InvalidArgument",
    wrong: wrongType("CSR"),
  },
  "NodeCA.NodeCertificateStatus": {
    managersOnly: false,
    empty: "InvalidArgument: InvalidArgument",
    wrong: wrongType("NodeID"),
  },
  "Control.ListNodes": { managersOnly: true, empty: "ok", wrong: "ok" },
  "Control.GetNode": {
    managersOnly: true,
    empty: "InvalidArgument: invalid argument",
    wrong: wrongType("NodeID"),
  },
  "Control.UpdateNode": {
    managersOnly: true,
    empty: "InvalidArgument: invalid argument",
    wrong: wrongType("NodeID"),
  },
  "Control.RemoveNode": {
    managersOnly: true,
    empty: "InvalidArgument: invalid argument",
    wrong: wrongType("NodeID"),
  },
  "Control.GetCluster": { managersOnly: true, empty: "ok", wrong: "ok" },
  "Control.UpdateCluster": { managersOnly: true, empty: "ok", wrong: wrongType("AutoLockManagers") },
  "Control.ListTasks": { managersOnly: true, empty: "ok", wrong: wrongType("NodeIDs") },
  "CA.GetUnlockKey": { managersOnly: true, empty: "ok", wrong: "ok" },
  "Raft.ProcessRaftMessage": { managersOnly: true, empty: "ok", wrong: wrongType("Message") },
  "Control.CreateService": {
    managersOnly: true,
    empty: "InvalidArgument: invalid argument",
    wrong: wrongType("Spec"),
  },
  "Control.UpdateService": {
    managersOnly: true,
    empty: "InvalidArgument: invalid argument",
    wrong: wrongType("ServiceID"),
  },
  "Control.RemoveService": {
    managersOnly: true,
    empty: "InvalidArgument: invalid argument",
    wrong: wrongType("ServiceID"),
  },
  "Control.CreateNetwork": {
    managersOnly: true,
    empty: "InvalidArgument: invalid argument",
    wrong: wrongType("Annotations.Name"),
  },
  "Control.RemoveNetwork": {
    managersOnly: true,
    empty: "InvalidArgument: invalid argument",
    wrong: wrongType("NetworkID"),
  },
  "RaftMembership.Join": {
    managersOnly: true,
    empty: "InvalidArgument: invalid address  in raft join request",
    wrong: wrongType("Addr"),
  },
  "RaftMembership.Leave": {
    managersOnly: true,
    empty: "InvalidArgument: no node information provided",
    wrong: wrongType("Node"),
  },
  "Health.Check": { managersOnly: true, empty: "ok", wrong: wrongType("Service") },
  "Dispatcher.Session": { managersOnly: false, empty: ["ok", RATE_LIMITED], wrong: wrongType("Description") },
  // Both callers have a live session of their own: an empty session ID is not it.
  "Dispatcher.Heartbeat": {
    managersOnly: false,
    empty: "InvalidArgument: session invalid",
    wrong: wrongType("SessionID"),
  },
  "Dispatcher.UpdateTaskStatus": {
    managersOnly: false,
    empty: "InvalidArgument: session invalid",
    wrong: wrongType("SessionID"),
  },
};

function matches(got: string, want: string | RegExp | (string | RegExp)[]): boolean {
  const list = Array.isArray(want) ? want : [want];
  return list.some((w) => (typeof w === "string" ? got === w : w.test(got)));
}

function world(seed: number) {
  const sim = new Sim({ seed });
  const s = buildSwarm(sim, { managers: 3, workers: 1 });
  const leader = s.leader()!;
  const follower = s.managers.find((m) => m !== leader)!;
  return { sim, s, leader, follower, worker: s.workers[0] };
}

/** Raft IDs by node ID, as the leader knows them. */
function raftIds(leader: SwarmNode): Map<string, number> {
  return new Map(leader.manager!.consensus.members().map((m) => [m.nodeId, m.raftId]));
}

describe("malformed requests to a manager", () => {
  it("get SwarmKit's codes from every method, for a manager's and a worker's certificate", () => {
    const { sim, s, leader, follower, worker } = world(11);
    const registered = [
      ...(leader.manager!.server as unknown as { methods: Map<string, unknown> }).methods.keys(),
    ];
    // A method added to the manager must say here what it answers.
    expect(registered.sort()).toEqual(Object.keys(EXPECTED).sort());

    const failures: string[] = [];
    const check = (what: string, got: Answer, want: string | RegExp | (string | RegExp)[]) => {
      const o = outcome(got);
      if (LEAKS.test(o) || !matches(o, want)) failures.push(`${what}: got ${o}, want ${String(want)}`);
    };
    const managerCert = follower;
    const workerCert = worker;
    // Straight to the leader, and to a follower (which forwards what the leader serves).
    for (const target of [leader, follower]) {
      for (const [method, e] of Object.entries(EXPECTED)) {
        for (const [role, chain] of [
          ["manager", managerCert],
          ["worker", workerCert],
        ] as const) {
          const ask = (body: unknown) => call(sim, worker, target, method, chain, body);
          const at = `${method} (${role} cert, at ${target.machine.name})`;
          if (role === "worker" && e.managersOnly) {
            // The authorization wrapper runs before the request is decoded or validated.
            for (const body of [{}, null, ...NOT_MESSAGES, WRONG_TYPES])
              check(
                `${at} ${JSON.stringify(body)}`,
                ask(body),
                "PermissionDenied: Permission denied: unauthorized peer role: rpc error: code = PermissionDenied desc = Permission denied: remote certificate not part of OUs: [swarm-manager]",
              );
            continue;
          }
          check(`${at} {}`, ask({}), e.empty);
          check(`${at} null`, ask(null), e.empty);
          for (const body of NOT_MESSAGES) check(`${at} ${JSON.stringify(body)}`, ask(body), NOT_A_MESSAGE);
          check(`${at} wrong types`, ask(WRONG_TYPES), e.wrong);
        }
      }
    }
    expect(failures).toEqual([]);

    // The managers go on: a valid call is served, the cluster has its leader, every node is
    // ready again (the sessions the calls above replaced are re-established by their agents).
    sim.runFor(30_000);
    expect(s.leader()).toBe(leader);
    const ls = call(sim, follower, leader, "Control.ListNodes", managerCert, {});
    expect(ls.err).toBeNull();
    expect(ls.res.nodes.map((n: { status: { state: string } }) => n.status.state)).toEqual([
      "ready",
      "ready",
      "ready",
      "ready",
    ]);
    expect(docker(sim, follower, "node ls").code).toBe(0);
  });

  it("check the fields SwarmKit checks, with its messages", () => {
    const { sim, leader, follower, worker } = world(12);
    const m = (method: string, body: unknown) => outcome(call(sim, follower, leader, method, follower, body));
    const id = worker.nodeId;
    expect(m("Control.GetNode", { ref: "" })).toBe("InvalidArgument: invalid argument");
    expect(m("Control.GetNode", { ref: "nosuchnode" })).toBe("NotFound: node nosuchnode not found");
    expect(m("Control.UpdateNode", { id })).toBe("InvalidArgument: invalid argument");
    expect(m("Control.UpdateNode", { id, patch: { availability: "sideways" } })).toBe(
      "InvalidArgument: invalid argument",
    );
    expect(m("Control.UpdateNode", { id, patch: { labelsAdd: { a: 1 } } })).toBe(wrongType("Labels"));
    expect(m("Control.UpdateNode", { id, patch: { availability: "drain" } })).toBe("ok");
    expect(m("Control.RemoveNode", { id: "" })).toBe("InvalidArgument: invalid argument");
    expect(m("Control.UpdateCluster", { heartbeatPeriodMs: -1 })).toBe(
      "InvalidArgument: heartbeat time period cannot be a negative duration",
    );
    expect(m("Control.UpdateCluster", { certExpiryMs: 60_000 })).toBe(
      "InvalidArgument: minimum certificate expiry time is: 1h0m0s",
    );
    expect(m("RaftMembership.Join", { addr: "10.0.0.9" })).toBe(
      "InvalidArgument: invalid address 10.0.0.9 in raft join request",
    );
    expect(m("RaftMembership.Join", { addr: "a:b:2377" })).toBe(
      "InvalidArgument: invalid address a:b:2377 in raft join request",
    );
    expect(m("Health.Check", { service: "Raft" })).toBe("ok");
    expect(m("Health.Check", { service: "Nope" })).toBe("NotFound: unknown service");
    expect(m("NodeCA.NodeCertificateStatus", { nodeId: "nosuchnode" })).toBe("NotFound: NotFound");
    // No store-writing backdoor: SwarmKit's managers serve no such method.
    expect(m("Store.Propose", { actions: [{ op: "create", type: "node", object: { id: "x" } }] })).toBe(
      "Unimplemented: unknown service Store",
    );
    // A service spec is decoded field by field (what protobuf's decoder guarantees), and
    // checked as controlapi validateServiceSpec does.
    const spec = defaultServiceSpec("web", "nginx");
    expect(m("Control.CreateService", { spec: { ...spec, task: { ...spec.task, container: 1 } } })).toBe(
      wrongType("ContainerSpec"),
    );
    expect(
      m("Control.CreateService", { spec: { ...spec, mode: { kind: "replicated", replicas: -1 } } }),
    ).toBe(wrongType("Replicated.Replicas"));
    const negative = structuredClone(spec);
    negative.task.restartPolicy.delayMs = -5000;
    expect(m("Control.CreateService", { spec: negative })).toBe(
      "InvalidArgument: TaskSpec: restart-delay cannot be negative",
    );
    expect(m("Dispatcher.UpdateTaskStatus", { sessionId: "s", updates: [{ taskId: 5 }] })).toBe(
      wrongType("TaskID"),
    );
    // Host-mode port status: a list of PortConfigs, each checked.
    const badPorts = {
      taskId: "t",
      state: 512,
      message: "started",
      ports: [{ protocol: "tcp", targetPort: -1 }],
    };
    expect(m("Dispatcher.UpdateTaskStatus", { sessionId: "s", updates: [badPorts] })).toBe(
      "Internal: grpc: error unmarshalling request: proto: wrong wireType = 2 for field PortStatus",
    );
    sim.runFor(5000);
    expect(leader.manager!.store.get("node", id)!.spec.availability).toBe("drain");
  });

  it("Raft.ProcessRaftMessage: bad fields refused, forwarded proposals and misaddressed messages dropped", () => {
    const { sim, s, leader, follower } = world(13);
    const ids = raftIds(leader);
    const m = (body: unknown) => outcome(call(sim, follower, leader, RAFT_MESSAGE, follower, body));
    const base = { type: "MsgHeartbeat", from: ids.get(follower.nodeId)!, to: ids.get(leader.nodeId)! };
    expect(m({ msg: { ...base, term: -1 } })).toBe(
      "Internal: grpc: error unmarshalling request: proto: wrong wireType = 0 for field Term",
    );
    expect(m({ msg: { ...base, entries: [{}] } })).toBe(
      "Internal: grpc: error unmarshalling request: proto: wrong wireType = 2 for field Entries",
    );
    expect(m({ msg: { ...base, type: "MsgNope" } })).toBe("ok");
    // A proposal from outside the leader would write to the store unchecked: SwarmKit drops it.
    const before = leader.manager!.store.nodes().length;
    const rogue = { id: "rogue", spec: {}, role: "worker" };
    const prop = {
      ...base,
      type: "MsgProp",
      entries: [
        {
          term: 0,
          index: 0,
          type: "normal",
          data: { pid: "p", actions: [{ op: "create", type: "node", object: rogue }] },
        },
      ],
    };
    expect(m({ msg: prop })).toBe("ok");
    expect(m({ msg: { ...base, to: 12345 } })).toBe("ok");
    sim.runFor(5000);
    expect(leader.manager!.store.nodes().length).toBe(before);
    expect(s.leader()).toBe(leader);

    // A member removed from raft (demoted) is told so.
    const demoted = s.managers.find((x) => x !== leader && x !== follower)!;
    expect(docker(sim, leader, "node demote", [demoted.machine.name]).code).toBe(0);
    sim.runFor(30_000);
    expect(raftIds(leader).has(demoted.nodeId)).toBe(false);
    expect(m({ msg: { ...base, from: ids.get(demoted.nodeId)! } })).toBe(
      "NotFound: raft: member was removed from the cluster",
    );
    expect(s.leader()).toBe(leader);
  });

  it("an unknown method is Unimplemented before the caller's role is checked", () => {
    // grpc-go answers a method no service registered before any interceptor or handler runs,
    // so no authorization (SwarmKit's is in the generated handler wrappers) sees it.
    const { sim, leader, worker } = world(14);
    for (const chain of [worker, null, leader])
      for (const [method, desc] of [
        ["Control.NoSuchMethod", "unknown method NoSuchMethod for service Control"],
        ["Nope.Nothing", "unknown service Nope"],
      ]) {
        const a = call(sim, worker, leader, method, chain, {});
        expect(outcome(a)).toBe(`Unimplemented: ${desc}`);
      }
  });
});

describe("a removed node renewing its certificate", () => {
  it("is refused for want of a token directly, and not found through a follower (ca/server.go)", () => {
    const { sim, s, leader, follower, worker } = world(15);
    const publicKeyPem = generateKeyPair(sim.random.fork("test-key")).publicKeyPem;
    const renew = (to: SwarmNode) =>
      outcome(call(sim, worker, to, CA_METHODS.issue, worker, { publicKeyPem }));
    // While in the swarm, its certificate is its credential.
    expect(renew(leader)).toBe("ok");
    const cert = stealIdentity(worker.machine, { withKey: true });
    worker.machine.crash();
    sim.runFor(20_000);
    expect(docker(sim, leader, "node rm", [worker.machine.name], { force: true }).code).toBe(0);
    sim.runFor(5000);
    const again = (to: SwarmNode) =>
      outcome(call(sim, follower, to, CA_METHODS.issue, cert, { publicKeyPem }));
    // Directly: AuthorizeForwardedRoleAndOrg refuses the removed node's certificate, so the
    // request is a join, and it has no token.
    expect(again(leader)).toBe("InvalidArgument: A valid join token is necessary to join this cluster");
    // Forwarded by a follower: the forwarded identity is not checked against the removed nodes;
    // issueRenewCertificate finds no node.
    expect(again(follower)).toBe(
      `NotFound: node ${worker.nodeId} not found when attempting to renew certificate`,
    );
    // The session is refused outright (the authorization wrapper checks the removed nodes).
    expect(outcome(call(sim, follower, leader, "Dispatcher.Session", cert, {}))).toBe(
      `PermissionDenied: Permission denied: unauthorized peer role: rpc error: code = PermissionDenied desc = Permission denied: node ${worker.nodeId} was removed from swarm`,
    );
    expect(s.leader()).toBe(leader);
  });

  it("a key that cannot be signed leaves a FAILED certificate, as SwarmKit's signer does", () => {
    const { sim, s, leader, worker } = world(16);
    const a = call(sim, worker, leader, CA_METHODS.issue, null, {
      token: s.tokens.worker,
      publicKeyPem: "not a key",
    });
    expect(a.err).toBeNull();
    const st = call(sim, worker, leader, CA_METHODS.status, null, { nodeId: a.res.nodeId });
    expect(st.err).toBeNull();
    expect(st.res.state).toBe("failed");
    expect(st.res.certificatePem).toBe("");
  });
});
