import { describe, expect, it } from "vitest";
import {
  Engine,
  ExchangeClient,
  HttpClient,
  type HttpResponse,
  ImageRegistry,
  type NetError,
  Sim,
  displayPorts,
} from "../../src/index";
import { machineHost } from "../../src/engine/net/host";
import { parsePortSpec } from "../../src/engine/ports";
import { world } from "./fixtures";

/** A client on the machine's own network stack (like curl on the host). */
function hostClient(w: ReturnType<typeof world>): HttpClient {
  return new HttpClient(new ExchangeClient(w.engine.hostNet()), (n) => w.engine.resolveFromHost(n));
}

describe("engine: networks, DNS, published ports", () => {
  it("docker0 is 172.17.0.0/16 and the first user network 172.18.0.0/16, gateways on the machine", () => {
    const w = world();
    const m = w.sim.machine("node1");
    expect(w.engine.network("bridge").subnet?.toString()).toBe("172.17.0.0/16");
    const n = w.engine.createNetwork("app_default");
    expect(n.subnet?.toString()).toBe("172.18.0.0/16");
    expect(n.bridgeName).toMatch(/^br-[0-9a-f]{12}$/);
    expect(m.interfaces.map((i) => i.name)).toEqual(["eth0", "docker0", n.bridgeName]);
    expect(m.address).toBe("10.0.0.2"); // containers never change the machine's own address
    const a = w.engine.run({ image: "sleeper", network: "app_default" });
    const b = w.engine.run({ image: "sleeper" });
    expect(a.address).toBe("172.18.0.2");
    expect(b.address).toBe("172.17.0.2");
    expect(() => w.engine.createNetwork("app_default")).toThrow(
      "network with name app_default already exists",
    );
  });

  it("every engine has its own docker0 172.17.0.0/16: the same addresses on two machines, each reaching its own", () => {
    const sim = new Sim({ seed: 1 });
    const a = sim.addMachine("a");
    const b = sim.addMachine("b");
    const ea = Engine.attach(a, { images: new ImageRegistry() });
    const eb = Engine.attach(b, { images: new ImageRegistry() });
    expect(ea.network("bridge").subnet?.toString()).toBe("172.17.0.0/16");
    expect(eb.network("bridge").subnet?.toString()).toBe("172.17.0.0/16");
    // Each machine holds 172.17.0.1 (its docker0) for itself; the kernel's table has neither.
    expect([a.isPrivate("172.17.0.1"), b.isPrivate("172.17.0.1"), sim.machineAt("172.17.0.1")]).toEqual([
      true,
      true,
      undefined,
    ]);
    const got: string[] = [];
    a.listen(7, () => got.push("a"), "172.17.0.1");
    b.listen(7, () => got.push("b"), "172.17.0.1");
    a.send({ address: "172.17.0.1", port: 7 }, 1);
    b.send({ address: "172.17.0.1", port: 7 }, 2);
    sim.runFor(10);
    expect(got.sort()).toEqual(["a", "b"]);
  });

  it("the embedded DNS resolves names, short IDs and aliases on user networks only", () => {
    const w = world();
    w.engine.createNetwork("app");
    const a = w.engine.run({
      image: "sleeper",
      name: "api-1",
      network: "app",
      networks: [{ network: "app", aliases: ["api"] }],
    });
    const b = w.engine.run({ image: "sleeper", name: "client", network: "app" });
    const d1 = w.engine.run({ image: "sleeper", name: "d1" });
    w.engine.run({ image: "sleeper", name: "d2" });
    expect(w.engine.resolveFrom("client", "api")).toEqual([a.address]);
    expect(w.engine.resolveFrom("client", "API-1")).toEqual([a.address]);
    expect(w.engine.resolveFrom("client", a.shortId)).toEqual([a.address]);
    expect(w.engine.resolveFrom("client", "localhost")).toEqual([b.address]);
    expect(w.engine.resolveFrom("client", "nothing")).toEqual([]);
    // The default bridge has no embedded DNS.
    expect(w.engine.resolveFrom("d1", "d2")).toEqual([]);
    expect(d1.address).toMatch(/^172\.17\./);
    // Machine names resolve like the lab's hosts file.
    expect(w.engine.resolveFrom("client", "node1")).toEqual(["10.0.0.2"]);
  });

  it("several containers behind one alias: every lookup answers all, shuffled; clients spread", () => {
    const w = world(5);
    w.engine.createNetwork("app");
    const backends = [1, 2, 3].map((i) =>
      w.engine.run({
        image: "echo",
        name: `rng-${i}`,
        network: "app",
        networks: [{ network: "app", aliases: ["rng"] }],
      }),
    );
    w.engine.run({ image: "sleeper", name: "client", network: "app" });
    const firsts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const answer = w.engine.resolveFrom("client", "rng");
      expect([...answer].sort()).toEqual(backends.map((b) => b.address).sort());
      firsts.set(answer[0], (firsts.get(answer[0]) ?? 0) + 1);
    }
    // Uniform shuffle: each backend first about 1000 times; 6 sigma is ~155.
    for (const b of backends) expect(Math.abs((firsts.get(b.address) ?? 0) - 1000)).toBeLessThan(155);
  });

  it("a pluggable resolver answers before the embedded DNS (the swarm's VIPs plug in here)", () => {
    const w = world();
    w.engine.createNetwork("app");
    w.engine.run({ image: "sleeper", name: "web", network: "app" });
    w.engine.run({ image: "sleeper", name: "client", network: "app" });
    const remove = w.engine.addResolver((name) => (name === "web" ? ["10.0.9.9"] : undefined));
    expect(w.engine.resolveFrom("client", "web")).toEqual(["10.0.9.9"]);
    remove();
    expect(w.engine.resolveFrom("client", "web")).not.toEqual(["10.0.9.9"]);
  });

  it("published ports: the host port reaches the container through the proxy, from the gateway", () => {
    const w = world();
    w.engine.createNetwork("app");
    const c = w.engine.run({ image: "echo", name: "web", network: "app", publish: ["8080:80"] });
    expect(displayPorts(w.engine.publishedPorts(c))).toBe("0.0.0.0:8080->80/tcp, [::]:8080->80/tcp");
    const http = hostClient(w);
    let got: HttpResponse | undefined;
    http.get({ host: "localhost", port: 8080 }, "/hello", (err, res) => {
      expect(err).toBeUndefined();
      got = res;
    });
    w.sim.runFor(100);
    expect(got?.text).toBe(`${c.shortId} /hello`);
  });

  it("a second container cannot take a published port: Docker's bind error", () => {
    const w = world();
    w.engine.run({ image: "echo", name: "rng-1", publish: ["8001:80"] });
    const second = w.engine.create({ image: "echo", name: "rng-2", publish: ["8001:80"] });
    expect(() => w.engine.start(second.id)).toThrow(
      /^driver failed programming external connectivity on endpoint rng-2 \([0-9a-f]{64}\): Bind for 0\.0\.0\.0:8001 failed: port is already allocated$/,
    );
    expect(second.state).toBe("created");
    expect(second.address).toBe("");
  });

  it("--network host shares the machine's addresses and hostname; ports are not published", () => {
    const w = world();
    const c = w.engine.run({ image: "echo", name: "h", network: "host", publish: ["9000:80"] });
    expect(c.address).toBe("");
    expect(c.config.hostname).toBe("node1");
    expect(w.engine.publishedPorts(c)).toEqual([]);
    let text = "";
    hostClient(w).get({ host: "localhost", port: 80 }, "/", (_e, res) => {
      text = res?.text ?? "";
    });
    w.sim.runFor(100);
    expect(text).toBe("node1 /");
  });

  it("a stopped container's name no longer resolves and its address is free again", () => {
    const w = world();
    w.engine.createNetwork("app");
    const a = w.engine.run({ image: "sleeper", name: "a", network: "app" });
    w.engine.run({ image: "sleeper", name: "client", network: "app" });
    const addr = a.address;
    w.engine.kill("a");
    expect(w.engine.resolveFrom("client", "a")).toEqual([]);
    const b = w.engine.run({ image: "sleeper", name: "b", network: "app" });
    expect(b.address).toBe(addr);
  });

  it("port specs parse like `docker run -p`", () => {
    expect(parsePortSpec("8001:80")).toEqual({
      hostIp: "0.0.0.0",
      hostPort: 8001,
      containerPort: 80,
      protocol: "tcp",
    });
    expect(parsePortSpec("127.0.0.1:8001:80/udp")).toEqual({
      hostIp: "127.0.0.1",
      hostPort: 8001,
      containerPort: 80,
      protocol: "udp",
    });
    expect(parsePortSpec("80").hostPort).toBe(0);
    expect(() => parsePortSpec("99999:80")).toThrow("invalid port: 99999");
  });

  it("name resolution failure is an error to the client, not a hang", () => {
    const w = world();
    let err: NetError | undefined;
    hostClient(w).get({ host: "no-such-host", port: 80 }, "/", (e) => {
      err = e;
    });
    w.sim.runFor(10);
    expect(err?.code).toBe("ENOTFOUND");
    expect(machineHost(w.sim.machine("node1")).sourceAddress).toBe("10.0.0.2");
  });
});
