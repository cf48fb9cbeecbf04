// Advertise/listen address selection with dockerd's exact errors.
import { describe, expect, it } from "vitest";
import { detectSystemAddr, resolveAdvertiseAddr, resolveListenAddr } from "../src/node/addresses";

const eth0 = [{ name: "eth0", address: "10.0.0.2" }];

describe("listen address", () => {
  it("defaults the port to 2377 and accepts interface names", () => {
    expect(resolveListenAddr(eth0, "0.0.0.0:2377")).toEqual({ host: "0.0.0.0", port: 2377 });
    expect(resolveListenAddr(eth0, "eth0")).toEqual({ host: "10.0.0.2", port: 2377 });
    expect(resolveListenAddr(eth0, "eth0:7777")).toEqual({ host: "10.0.0.2", port: 7777 });
    expect(resolveListenAddr(eth0, "10.0.0.2:4000")).toEqual({ host: "10.0.0.2", port: 4000 });
  });

  it("rejects unknown interfaces and bad ports", () => {
    const msg = "listen address must be an IP address or network interface (with optional port number)";
    expect(() => resolveListenAddr(eth0, "eth9")).toThrow(msg);
    expect(() => resolveListenAddr(eth0, "eth0:xx")).toThrow(msg);
  });
});

describe("advertise address", () => {
  const listen = { host: "0.0.0.0", port: 7777 };
  it("takes the listen port when none is given", () => {
    expect(resolveAdvertiseAddr(eth0, "eth0", listen)).toEqual({ host: "10.0.0.2", port: 7777 });
    expect(resolveAdvertiseAddr(eth0, "10.0.0.2:9999", listen)).toEqual({ host: "10.0.0.2", port: 9999 });
  });

  it("autodetects the single address, ignoring Docker's bridge and loopback", () => {
    const ifs = [...eth0, { name: "docker0", address: "172.17.0.1" }, { name: "lo", address: "127.0.0.1" }];
    expect(resolveAdvertiseAddr(ifs, "", listen)).toEqual({ host: "10.0.0.2", port: 7777 });
  });

  it("refuses to choose between several addresses, with Docker's messages", () => {
    const two = [
      { name: "eth0", address: "10.0.0.2" },
      { name: "eth1", address: "192.168.1.5" },
    ];
    expect(() => detectSystemAddr(two)).toThrow(
      "could not choose an IP address to advertise since this system has multiple addresses on different interfaces (10.0.0.2 on eth0 and 192.168.1.5 on eth1)",
    );
    const same = [
      { name: "eth0", address: "10.0.0.2" },
      { name: "eth0", address: "10.0.0.3" },
    ];
    expect(() => detectSystemAddr(same)).toThrow(
      "could not choose an IP address to advertise since this system has multiple addresses on interface eth0 (10.0.0.2 and 10.0.0.3)",
    );
    expect(() => detectSystemAddr([])).toThrow("could not find the system's IP address");
    expect(() => resolveAdvertiseAddr(eth0, "0.0.0.0", listen)).toThrow(
      "advertise address must be a non-zero IP address or network interface (with optional port number)",
    );
  });
});
