// The Docker CLI's own option types (opts/ and cli/command/*/opts.go): memory sizes, CPU
// counts, TCP addresses, network attachments, mounts, external CAs, CIDRs and shell-like word
// lists, with the CLI's error texts.
import { joinHostPort, splitHostPort } from "../../api/address";
import { readCsvRecord } from "./csv";
import { parseGoFloat } from "./go-values";
import type { NetworkAttachment } from "./types";

/** go-units RAMInBytes: "512m", "1.5GiB", "1024" (binary multiples, suffix case-insensitive). */
export function ramInBytes(size: string): number | string {
  let sep = -1;
  for (let i = size.length - 1; i >= 0; i--) {
    if ("0123456789. ".includes(size[i])) {
      sep = i;
      break;
    }
  }
  if (sep === -1) return `invalid size: '${size}'`;
  const num = size[sep] === " " ? size.slice(0, sep) : size.slice(0, sep + 1);
  let sfx = size.slice(sep + 1);
  const f = parseGoFloat(num);
  if (!f.ok) return f.error;
  let v = f.value;
  if (v < 0) return `invalid size: '${size}'`;
  if (sfx.length === 0) return Math.trunc(v);
  const bad = () => `invalid suffix: '${sfx}'`;
  if (sfx.length > 3) return bad();
  sfx = sfx.toLowerCase();
  if (sfx[0] === "b") return sfx.length > 1 ? bad() : Math.trunc(v);
  const mul: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
  if (!(sfx[0] in mul)) return bad();
  v *= mul[sfx[0]];
  if ((sfx.length === 2 && sfx[1] !== "b") || (sfx.length === 3 && sfx.slice(1) !== "ib")) return bad();
  return Math.trunc(v);
}

/** opts.ParseCPUs: a decimal or fraction of CPUs, as integral nano-CPUs. */
export function parseCpus(value: string): number | string {
  const bad = `failed to parse ${value} as a rational number`;
  const frac = /^([+-]?\d+)\/(\d+)$/.exec(value);
  let num: bigint;
  let den: bigint;
  if (frac) {
    num = BigInt(frac[1]);
    den = BigInt(frac[2]);
    if (den === 0n) return bad;
  } else {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(value);
    if (!m || (m[2] === "" && (m[3] === undefined || m[3] === ""))) return bad;
    const digits = `${m[2]}${m[3] ?? ""}`;
    const exp = Number(m[4] ?? "0") - (m[3]?.length ?? 0);
    num = BigInt(digits === "" ? "0" : digits) * (exp > 0 ? 10n ** BigInt(exp) : 1n);
    den = exp < 0 ? 10n ** BigInt(-exp) : 1n;
    if (m[1] === "-") num = -num;
  }
  const nano = num * 1_000_000_000n;
  if (nano % den !== 0n) return "value is too precise";
  return Number(nano / den);
}

/** opts.ParseTCPAddr: "host[:port]" with defaults; returns "host:port" or "error:<message>". */
export function parseTcpAddr(tryAddr: string, defaultAddr: string): string {
  if (tryAddr === "" || tryAddr === "tcp://") return defaultAddr;
  const addr = tryAddr.replace(/^tcp:\/\//, "");
  if (addr.includes("://") || addr === "") return `error:invalid proto, expected tcp: ${tryAddr}`;
  const { host: defHost, port: defPort } = splitHostPort(defaultAddr) ?? { host: "", port: "" };
  const hostPart = addr.split("/")[0];
  let split = splitHostPort(hostPart);
  if (split && split.port !== "" && !/^\d+$/.test(split.port)) {
    // url.Parse refuses the address before ParseTCPAddr looks at it.
    return `error:parse "tcp://${addr}": invalid port ":${split.port}" after host`;
  }
  if (!split) split = splitHostPort(joinHostPort(hostPart, defPort));
  if (!split) return `error:invalid bind address format: ${tryAddr}`;
  const host = split.host === "" ? defHost : split.host;
  const port = split.port === "" ? defPort : split.port;
  if (!/^\d+$/.test(port)) return `error:invalid bind address format: ${tryAddr}`;
  return joinHostPort(host, port);
}

export function parseNetwork(value: string): NetworkAttachment | string {
  const att: NetworkAttachment = { target: value, aliases: [], driverOpts: {} };
  if (!/\w+=\w+(,\w+=\w+)*/.test(value)) return att;
  const rec = readCsvRecord(value);
  if (!rec.ok) return rec.error;
  att.target = "";
  for (const field of rec.fields) {
    const lower = field.toLowerCase();
    const eq = lower.indexOf("=");
    if (eq <= 0) return `invalid field ${field}`;
    const key = lower.slice(0, eq).trim();
    const val = lower.slice(eq + 1).trim();
    switch (key) {
      case "name":
        att.target = val;
        break;
      case "alias":
        att.aliases.push(val);
        break;
      case "ip":
        att.ipv4Address = val;
        break;
      case "ip6":
        att.ipv6Address = val;
        break;
      case "driver-opt": {
        const e = val.indexOf("=");
        if (e < 0) return `invalid key value pair format in driver options`;
        att.driverOpts[val.slice(0, e).trim()] = val.slice(e + 1).trim();
        break;
      }
      case "mac-address":
      case "link-local-ip":
      case "gw-priority":
        break;
      default:
        return `invalid field key ${key}`;
    }
  }
  if (att.target === "") return "network name/id is not specified";
  return att;
}

const MOUNT_KEYS = new Set([
  "type",
  "source",
  "src",
  "target",
  "dst",
  "destination",
  "readonly",
  "ro",
  "consistency",
  "bind-propagation",
  "bind-nonrecursive",
  "bind-recursive",
  "volume-subpath",
  "volume-nocopy",
  "volume-label",
  "volume-driver",
  "volume-opt",
  "image-subpath",
  "tmpfs-size",
  "tmpfs-mode",
]);

export function checkMount(value: string): string | undefined {
  const rec = readCsvRecord(value);
  if (!rec.ok) return rec.error;
  let target = false;
  for (const field of rec.fields) {
    const eq = field.indexOf("=");
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      if (!["readonly", "ro", "volume-nocopy", "bind-nonrecursive"].includes(key)) {
        return `invalid field '${field}' must be a key=value pair`;
      }
      continue;
    }
    if (!MOUNT_KEYS.has(key)) return `unexpected key '${key}' in '${field}'`;
    if (key === "target" || key === "dst" || key === "destination") target = true;
  }
  return target ? undefined : "target is required";
}

export function checkExternalCa(value: string): string | undefined {
  const rec = readCsvRecord(value);
  if (!rec.ok) return rec.error;
  let protocol = false;
  let url = false;
  for (const field of rec.fields) {
    const eq = field.indexOf("=");
    if (eq < 0) return `invalid field '${field}' must be a key=value pair`;
    const key = field.slice(0, eq).toLowerCase();
    const val = field.slice(eq + 1);
    if (key === "protocol") {
      if (val.toLowerCase() !== "cfssl") return `unrecognized external CA protocol ${val}`;
      protocol = true;
    }
    if (key === "url") url = true;
  }
  if (!protocol) return "the external-ca option needs a protocol= parameter";
  if (!url) return "the external-ca option needs a url= parameter";
  return undefined;
}

export function isCidr(text: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (m) return m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
  const v6 = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(text);
  return v6?.[1].includes(":") === true && Number(v6[2]) <= 128;
}

/** github.com/google/shlex: words with quotes and escapes, as --entrypoint and --args read them. */
export function shlexSplit(text: string): string[] | string {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return "EOF found when expecting closing quote";
      cur += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === "\\" && j + 1 < text.length) j++;
        cur += text[j];
      }
      if (j >= text.length) return "EOF found when expecting closing quote";
      inWord = true;
      i = j;
    } else if (c === "\\") {
      if (i + 1 >= text.length) return "EOF found after escape character";
      cur += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else if (c === "#" && !inWord) {
      break;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}
