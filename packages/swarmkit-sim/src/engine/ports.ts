// Published ports: host port -> container port. For traffic that reaches the machine's own
// addresses, Docker runs a userland proxy (docker-proxy) that accepts the connection and
// opens another one to the container from the bridge's gateway address; that is what the
// container's access log then shows (e.g. 172.18.0.1). The proxy here does the same, one
// exchange in and one out.
import type { Machine } from "../kernel/machine";
import { HttpResponse, responseBytes } from "./http/message";
import { ExchangeClient, ExchangeServer, type Incoming } from "./net/exchange";
import { type NetHost, machineHost } from "./net/host";

export interface PortBinding {
  /** "0.0.0.0" unless bound to one host address. */
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: "tcp" | "udp";
}

/** Parses compose/`docker run -p` short syntax: "8001:80", "127.0.0.1:8001:80", "80", "8001:80/udp". */
export function parsePortSpec(spec: string): PortBinding {
  let rest = spec;
  let protocol: "tcp" | "udp" = "tcp";
  const slash = rest.indexOf("/");
  if (slash >= 0) {
    const p = rest.slice(slash + 1);
    if (p !== "tcp" && p !== "udp") throw new Error(`invalid proto: ${p}`);
    protocol = p;
    rest = rest.slice(0, slash);
  }
  const parts = rest.split(":");
  const num = (s: string) => {
    const n = Number(s);
    if (!/^\d+$/.test(s) || n < 1 || n > 65535) throw new Error(`invalid port: ${s}`);
    return n;
  };
  if (parts.length === 1) return { hostIp: "0.0.0.0", hostPort: 0, containerPort: num(parts[0]), protocol };
  if (parts.length === 2)
    return { hostIp: "0.0.0.0", hostPort: num(parts[0]), containerPort: num(parts[1]), protocol };
  if (parts.length === 3)
    return { hostIp: parts[0] || "0.0.0.0", hostPort: num(parts[1]), containerPort: num(parts[2]), protocol };
  throw new Error(`invalid port specification: "${spec}"`);
}

/** `docker ps` PORTS text for a set of bindings: 0.0.0.0:8001->80/tcp, [::]:8001->80/tcp */
export function displayPorts(bindings: readonly PortBinding[]): string {
  const sorted = [...bindings].sort((a, b) => a.containerPort - b.containerPort || a.hostPort - b.hostPort);
  const out: string[] = [];
  for (const b of sorted) {
    if (b.hostPort === 0) {
      out.push(`${b.containerPort}/${b.protocol}`);
      continue;
    }
    out.push(`${b.hostIp}:${b.hostPort}->${b.containerPort}/${b.protocol}`);
    // Docker publishes on IPv6 too when bound to every address.
    if (b.hostIp === "0.0.0.0") out.push(`[::]:${b.hostPort}->${b.containerPort}/${b.protocol}`);
  }
  return out.join(", ");
}

export class PortProxy {
  private readonly server: ExchangeServer;
  private readonly client: ExchangeClient;

  constructor(
    machine: Machine,
    readonly binding: PortBinding,
    /** Where the container listens (its address on the network the port is published from). */
    private readonly target: { address: string; port: number },
    /** The bridge gateway: the proxy's outgoing connections come from here. */
    gatewayHost: NetHost,
  ) {
    this.client = new ExchangeClient(gatewayHost);
    this.server = new ExchangeServer(machineHost(machine), binding.hostPort, { kind: "eventLoop" }, (inc) =>
      this.forward(inc),
    );
  }

  private forward(inc: Incoming): void {
    this.client.call(this.target, inc.body, inc.bytes, (err, body) => {
      if (err) inc.reset();
      else inc.reply(body, body instanceof HttpResponse ? responseBytes(body) : 64);
    });
  }

  close(): void {
    this.server.close();
    this.client.close();
  }
}
