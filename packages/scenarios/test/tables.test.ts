import { describe, expect, it } from "vitest";
import { allHold, failedChecks, withFailures } from "../src/scenarios/checks";
import { infoField, parseServicePs, splitTables } from "../src/scenarios/tables";

const SERVICE_PS = `ID             NAME        IMAGE          NODE      DESIRED STATE   CURRENT STATE            ERROR     PORTS
is05uw8qcv6o   web.1       nginx:latest   node2     Running         Running 1 second ago               
mmopp19h0l5g    \\_ web.1   nginx:latest   node3     Shutdown        Running 32 seconds ago             
dwfl79udxcg1   web.2       nginx:latest   node2     Running         Running 32 seconds ago             
`;

describe("reading Docker's output", () => {
  it("parses docker service ps, history rows included", () => {
    expect(parseServicePs(SERVICE_PS)).toEqual([
      {
        id: "is05uw8qcv6o",
        name: "web.1",
        history: false,
        node: "node2",
        desiredState: "Running",
        currentState: "Running 1 second ago",
      },
      {
        id: "mmopp19h0l5g",
        name: "web.1",
        history: true,
        node: "node3",
        desiredState: "Shutdown",
        currentState: "Running 32 seconds ago",
      },
      {
        id: "dwfl79udxcg1",
        name: "web.2",
        history: false,
        node: "node2",
        desiredState: "Running",
        currentState: "Running 32 seconds ago",
      },
    ]);
  });

  it("splits the tables of one line, reads docker info fields", () => {
    const [a, b] = splitTables(`ID   HOSTNAME\nx *  node1\n${SERVICE_PS}`);
    expect(a).toBe("ID   HOSTNAME\nx *  node1");
    expect(parseServicePs(b)).toHaveLength(3);
    expect(infoField(" Swarm: active\n  ClusterID: abc\n", "ClusterID")).toBe("abc");
    expect(infoField(" Swarm: active\n", "ClusterID")).toBe("");
  });

  it("checks: all must hold, and the summary names the failed ones", () => {
    expect(allHold({ a: true, b: true })).toBe(true);
    expect(failedChecks({ a: true, b: false })).toEqual(["b"]);
    expect(withFailures("x", { a: true, b: false })).toBe("x [failed: b]");
    expect(withFailures("x", { a: true })).toBe("x");
  });
});
