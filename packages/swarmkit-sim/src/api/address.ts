// "host:port" addresses, parsed and written in one place. Managers advertise, listen and are
// dialled at such addresses; a raft join request carries one (SwarmKit checks it with Go's
// net.SplitHostPort, which splitHostPort follows to the letter).

/**
 * Go's net.SplitHostPort: the host (brackets removed) and port of "host:port" or "[v6]:port",
 * or null where Go fails (no port, too many colons, a stray bracket). The port is not checked.
 */
export function splitHostPort(hostport: string): { host: string; port: string } | null {
  const i = hostport.lastIndexOf(":");
  if (i < 0) return null;
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === "[") {
    const end = hostport.indexOf("]");
    if (end < 0 || end + 1 !== i) return null;
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(":")) return null;
  }
  if (hostport.slice(j).includes("[") || hostport.slice(k).includes("]")) return null;
  return { host, port: hostport.slice(i + 1) };
}

/** Go's net.JoinHostPort: "host:port", with the host in brackets when it holds a colon. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The host and port of an address the swarm itself wrote ("10.0.0.2:2377": an advertise or
 * listen address, a manager from a session's list), split at the last colon.
 */
export function splitAddr(addr: string): [string, number] {
  const i = addr.lastIndexOf(":");
  return [addr.slice(0, i), Number(addr.slice(i + 1))];
}

/** A dotted-quad IPv4 address as an unsigned 32-bit number (undefined when it is not one). */
export function parseIPv4(s: string): number | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const b = Number(p);
    if (b > 255) return undefined;
    v = v * 256 + b;
  }
  return v >>> 0;
}

export function formatIPv4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** The host of such an address ("" when it has no port). */
export function hostOf(addr: string): string {
  return addr.slice(0, Math.max(0, addr.lastIndexOf(":")));
}
