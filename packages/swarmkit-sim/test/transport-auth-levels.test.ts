// Each method a manager serves gets its level from SwarmKit's authorization table (ca/methods.ts)
// through authLevelOf: the routes no longer write a level of their own.
import { describe, expect, it } from "vitest";
import { METHOD_AUTHORIZATION } from "../src/ca/methods";
import { authLevelOf } from "../src/transport/tls";

describe("authLevelOf", () => {
  it("reads each method's level from SwarmKit's table", () => {
    expect(authLevelOf("CA.GetRootCACertificate")).toBe("insecure");
    expect(authLevelOf("NodeCA.IssueNodeCertificate")).toBe("insecure");
    expect(authLevelOf("Control.ListNodes")).toBe("managers");
    expect(authLevelOf("Raft.ProcessRaftMessage")).toBe("managers");
    expect(authLevelOf("Dispatcher.Heartbeat")).toBe("any");
    for (const method of Object.keys(METHOD_AUTHORIZATION))
      expect(["insecure", "managers", "any"]).toContain(authLevelOf(method));
  });

  it("refuses a method the table does not name", () => {
    expect(() => authLevelOf("Store.Propose")).toThrow("unknown method: Store.Propose");
  });
});
