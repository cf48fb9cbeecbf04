// host:port parsing, one copy for the whole package (src/api/address.ts): Go's net.SplitHostPort
// and JoinHostPort, and the split of the addresses the swarm writes itself.
import { describe, expect, it } from "vitest";
import { formatIPv4, hostOf, joinHostPort, parseIPv4, splitAddr, splitHostPort } from "../src/api/address";

describe("splitHostPort (Go's net.SplitHostPort)", () => {
  it("splits host:port and [v6]:port, without checking the port", () => {
    expect(splitHostPort("10.0.0.2:2377")).toEqual({ host: "10.0.0.2", port: "2377" });
    expect(splitHostPort("[::1]:80")).toEqual({ host: "::1", port: "80" });
    expect(splitHostPort(":80")).toEqual({ host: "", port: "80" });
    expect(splitHostPort("eth0:")).toEqual({ host: "eth0", port: "" });
    expect(splitHostPort("host:http")).toEqual({ host: "host", port: "http" });
    expect(splitHostPort("[]:1")).toEqual({ host: "", port: "1" });
  });

  it("fails where Go fails: no port, too many colons, stray or missing brackets", () => {
    for (const bad of [
      "10.0.0.2",
      "::1",
      "1:2:3",
      "[::1]",
      "[::1]:80:90",
      "[::1",
      "x]:80",
      "a[b:80",
      "[a]b:80",
      "",
    ])
      expect(splitHostPort(bad), bad).toBeNull();
  });
});

describe("IPv4 addresses", () => {
  it("parseIPv4 takes dotted quads only, formatIPv4 writes them back", () => {
    expect(parseIPv4("10.0.1.2")).toBe(0x0a000102);
    expect(parseIPv4("255.255.255.255")).toBe(0xffffffff);
    for (const bad of ["10.0.1", "10.0.1.256", "10.0.1.2:80", "a.b.c.d", "1.2.3.4.5", "", "1e0.0.0.0"])
      expect(parseIPv4(bad), bad).toBeUndefined();
    expect(formatIPv4(0x0a000102)).toBe("10.0.1.2");
  });
});

describe("joining and splitting the swarm's own addresses", () => {
  it("joinHostPort brackets a host with a colon, and splitHostPort undoes it", () => {
    expect(joinHostPort("10.0.0.2", 2377)).toBe("10.0.0.2:2377");
    expect(joinHostPort("::1", "80")).toBe("[::1]:80");
    expect(splitHostPort(joinHostPort("fe80::1", 7))).toEqual({ host: "fe80::1", port: "7" });
  });

  it("splitAddr and hostOf split at the last colon", () => {
    expect(splitAddr("10.0.0.2:2377")).toEqual(["10.0.0.2", 2377]);
    expect(hostOf("10.0.0.2:2377")).toBe("10.0.0.2");
    expect(hostOf("")).toBe("");
  });
});
