// `docker service create -p` values (opts/swarmopts PortOpt): the long syntax
// "published=8080,target=80,protocol=udp,mode=host" or the short one "[host:]container[/proto]"
// with ranges ("8000-8010:80-90"), parsed as go-connections' nat.ParsePortSpec does.
import { readCsvRecord } from "./csv";
import { parseGoUint } from "./go-values";
import type { PortConfig } from "./types";

type R<T> = { ok: true; value: T } | { ok: false; error: string };

function portRange(text: string): [number, number] | null {
  if (text === "") return null;
  if (!text.includes("-")) {
    const v = parseGoUint(text, 10, 16);
    return v.ok ? [Number(v.value), Number(v.value)] : null;
  }
  const [a, b] = text.split("-");
  const lo = parseGoUint(a, 10, 16);
  const hi = parseGoUint(b, 10, 16);
  if (!lo.ok || !hi.ok || hi.value < lo.value) return null;
  return [Number(lo.value), Number(hi.value)];
}

function splitProtoPort(raw: string): [string, string] {
  const parts = raw.split("/");
  if (raw.length === 0 || parts[0].length === 0) return ["", ""];
  if (parts.length === 1) return ["tcp", raw];
  if (parts[1].length === 0) return ["tcp", parts[0]];
  return [parts[1], parts[0]];
}

function isIp(text: string): boolean {
  return /^(\d{1,3})(\.\d{1,3}){3}$/.test(text) || /^[0-9a-fA-F:]+$/.test(text);
}

function shortSyntax(raw: string): R<PortConfig[]> {
  const parts = raw.split(":");
  const n = parts.length;
  let ip = "";
  let hostPort = "";
  const containerWithProto = parts[n - 1];
  if (n === 2) hostPort = parts[0];
  else if (n >= 3) {
    ip = parts.slice(0, n - 2).join(":");
    hostPort = parts[n - 2];
  }
  const [proto, containerPort] = splitProtoPort(containerWithProto);
  if (ip.startsWith("[")) ip = ip.replace(/^\[|\]$/g, "");
  if (ip !== "" && !isIp(ip)) return { ok: false, error: `invalid IP address: ${ip}` };
  if (containerPort === "") return { ok: false, error: `no port specified: ${raw}<empty>` };
  const cRange = portRange(containerPort);
  if (!cRange) return { ok: false, error: `invalid containerPort: ${containerPort}` };
  let hRange: [number, number] = [0, 0];
  if (hostPort !== "") {
    const h = portRange(hostPort);
    if (!h) return { ok: false, error: `invalid hostPort: ${hostPort}` };
    hRange = h;
  }
  if (hostPort !== "" && cRange[1] - cRange[0] !== hRange[1] - hRange[0] && cRange[1] !== cRange[0]) {
    return {
      ok: false,
      error: `invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`,
    };
  }
  const protocol = proto.toLowerCase();
  if (protocol !== "tcp" && protocol !== "udp" && protocol !== "sctp")
    return { ok: false, error: `invalid proto: ${proto}` };
  // Swarm services always listen on all addresses: any host IP is refused.
  if (ip !== "") return { ok: false, error: "hostip is not supported" };
  const out: PortConfig[] = [];
  for (let i = 0; i <= cRange[1] - cRange[0]; i++) {
    const target = cRange[0] + i;
    if (cRange[0] === cRange[1] && hRange[0] !== hRange[1]) {
      // One container port and a host range: a published port per host port.
      for (let h = hRange[0]; h <= hRange[1]; h++) {
        out.push({ protocol, targetPort: target, publishedPort: h, publishMode: "ingress" });
      }
    } else {
      const published = hostPort === "" ? 0 : hRange[0] + i;
      out.push({ protocol, targetPort: target, publishedPort: published, publishMode: "ingress" });
    }
  }
  return { ok: true, value: out };
}

function longSyntax(raw: string): R<PortConfig[]> {
  const rec = readCsvRecord(raw);
  if (!rec.ok) return rec;
  const cfg: PortConfig = { protocol: "tcp", targetPort: 0, publishedPort: 0, publishMode: "ingress" };
  for (const field of rec.fields) {
    const lower = field.toLowerCase();
    const eq = lower.indexOf("=");
    if (eq <= 0) return { ok: false, error: `invalid field: ${field}` };
    const key = lower.slice(0, eq);
    const val = lower.slice(eq + 1);
    switch (key) {
      case "protocol":
        if (val !== "tcp" && val !== "udp" && val !== "sctp")
          return { ok: false, error: `invalid protocol value '${val}'` };
        cfg.protocol = val;
        break;
      case "mode":
        if (val !== "ingress" && val !== "host") {
          return {
            ok: false,
            error: `invalid publish mode value (${val}): must be either 'ingress' or 'host'`,
          };
        }
        cfg.publishMode = val;
        break;
      case "target":
      case "published": {
        const v = parseGoUint(val, 10, 16);
        if (!v.ok) {
          const why = v.error.endsWith("value out of range") ? "value out of range" : "invalid syntax";
          const what = key === "target" ? "target port" : "published port";
          return { ok: false, error: `invalid ${what} (${val}): value must be an integer: ${why}` };
        }
        if (key === "target") cfg.targetPort = Number(v.value);
        else cfg.publishedPort = Number(v.value);
        break;
      }
      default:
        return { ok: false, error: `invalid field key: ${key}` };
    }
  }
  if (cfg.targetPort === 0) return { ok: false, error: "missing mandatory field 'target'" };
  return { ok: true, value: [cfg] };
}

export function parseServicePort(raw: string): R<PortConfig[]> {
  return /\w+=\w+(,\w+=\w+)*/.test(raw) ? longSyntax(raw) : shortSyntax(raw);
}
