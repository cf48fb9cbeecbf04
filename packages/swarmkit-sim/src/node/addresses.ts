// Choosing the listen and advertise addresses as dockerd does (moby daemon/cluster/
// listen_addr.go): ADDR[:PORT] where ADDR is an IP or an interface name, the default port
// 2377, the advertise port defaulting to the listen port, and autodetection of the system's
// address when nothing usable was given, with Docker's exact errors.
import { parseIPv4, splitHostPort } from "../api/address";
import type { Interface } from "../kernel/machine";

export const DEFAULT_SWARM_PORT = 2377;

export class AddressError extends Error {}

export function isIPv4(s: string): boolean {
  return parseIPv4(s) !== undefined;
}

function isIP(s: string): boolean {
  return isIPv4(s) || (s.includes(":") && /^[0-9a-fA-F:.]+$/.test(s));
}

function isUnspecified(ip: string): boolean {
  return ip === "0.0.0.0" || ip === "::";
}

/** Interfaces that autodetection skips: loopback, Docker's bridges and container veths. */
export function isDockerManaged(name: string): boolean {
  return (
    name === "lo" ||
    name === "docker0" ||
    name.startsWith("br-") ||
    name.startsWith("veth") ||
    name === "docker_gwbridge"
  );
}

/**
 * ADDR[:PORT]: "host:port" and "[v6]:port" as Go splits them, else the whole as the host (an
 * interface name, an IPv4 address, a bare or bracketed IPv6 address) with no port.
 */
function splitSpec(spec: string): { host: string; port?: number; bad?: boolean } {
  const split = splitHostPort(spec);
  if (!split) return { host: /^\[[^\]]*\]$/.test(spec) ? spec.slice(1, -1) : spec };
  const { host, port: portText } = split;
  const port = Number(portText);
  // Port 0 would make the kernel pick one at random when listening, and is unreachable as an
  // advertised address: the node could never be dialled there (nor dial its own manager).
  if (!/^\d+$/.test(portText) || port === 0 || port > 65535) return { host, bad: true };
  return { host, port };
}

function interfaceAddress(ifaces: readonly Interface[], name: string): string | undefined {
  const addrs = ifaces.filter((i) => i.name === name).map((i) => i.address);
  if (addrs.length === 0) return undefined;
  const v4 = addrs.filter(isIPv4);
  if (v4.length > 1)
    throw new AddressError(`interface ${name} has more than one IPv4 address (${v4[0]} and ${v4[1]})`);
  if (v4.length === 1) return v4[0];
  if (addrs.length > 1)
    throw new AddressError(`interface ${name} has more than one IPv6 address (${addrs[0]} and ${addrs[1]})`);
  return addrs[0];
}

/** Resolves --listen-addr (default 0.0.0.0:2377). */
export function resolveListenAddr(
  ifaces: readonly Interface[],
  spec: string,
): { host: string; port: number } {
  const listenErr = "listen address must be an IP address or network interface (with optional port number)";
  const { host, port, bad } = splitSpec(spec);
  if (bad) throw new AddressError(listenErr);
  const p = port ?? DEFAULT_SWARM_PORT;
  if (isIP(host)) return { host, port: p };
  if (host === "") return { host: "0.0.0.0", port: p };
  const a = interfaceAddress(ifaces, host);
  if (a === undefined) throw new AddressError(listenErr);
  return { host: a, port: p };
}

/**
 * Resolves the advertise address: the flag if given (IP or interface, with optional port that
 * defaults to the listen port), else the listen IP if it is specific, else autodetection.
 */
export function resolveAdvertiseAddr(
  ifaces: readonly Interface[],
  spec: string,
  listen: { host: string; port: number },
): { host: string; port: number } {
  if (spec !== "") {
    const advErr =
      "advertise address must be a non-zero IP address or network interface (with optional port number)";
    const { host, port, bad } = splitSpec(spec);
    if (bad) throw new AddressError(advErr);
    const p = port ?? listen.port;
    if (isIP(host)) {
      if (isUnspecified(host)) throw new AddressError(advErr);
      return { host, port: p };
    }
    const a = interfaceAddress(ifaces, host);
    if (a === undefined) throw new AddressError(advErr);
    return { host: a, port: p };
  }
  if (!isUnspecified(listen.host)) return { host: listen.host, port: listen.port };
  return { host: detectSystemAddr(ifaces), port: listen.port };
}

/** Autodetection: exactly one usable address on the system, else Docker's errors. */
export function detectSystemAddr(ifaces: readonly Interface[]): string {
  const usable = ifaces.filter(
    (i) => !isDockerManaged(i.name) && !isUnspecified(i.address) && !i.address.startsWith("127."),
  );
  // Per interface, IPv4 is preferred over IPv6.
  const chosen: Interface[] = [];
  const names = [...new Set(usable.map((i) => i.name))];
  for (const name of names) {
    const mine = usable.filter((i) => i.name === name);
    const v4 = mine.filter((i) => isIPv4(i.address));
    const pick = v4.length > 0 ? v4 : mine;
    if (pick.length > 1)
      throw new AddressError(
        `could not choose an IP address to advertise since this system has multiple addresses on interface ${name} (${pick[0].address} and ${pick[1].address})`,
      );
    chosen.push(pick[0]);
  }
  if (chosen.length === 0) throw new AddressError("could not find the system's IP address");
  if (chosen.length > 1)
    throw new AddressError(
      `could not choose an IP address to advertise since this system has multiple addresses on different interfaces (${chosen[0].address} on ${chosen[0].name} and ${chosen[1].address} on ${chosen[1].name})`,
    );
  return chosen[0].address;
}

/** The errors of autodetection, to which the CLI's init appends " - specify one with --advertise-addr". */
export function isAutodetectError(msg: string): boolean {
  return (
    msg.startsWith("could not choose an IP address to advertise") ||
    msg === "could not find the system's IP address"
  );
}
