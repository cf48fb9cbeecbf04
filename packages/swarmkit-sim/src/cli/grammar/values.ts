// Turning one flag occurrence's text into a value, per FlagKind, with the Docker CLI's error
// texts (the part after `invalid argument "x" for "--flag" flag: `).
import { readCsvRecord } from "./csv";
import {
  checkExternalCa,
  checkMount,
  isCidr,
  parseCpus,
  parseNetwork,
  parseTcpAddr,
  ramInBytes,
  shlexSplit,
} from "./docker-opts";
import { parseGoBool, parseGoDuration, parseGoFloat, parseGoInt, parseGoUint } from "./go-values";
import { parseServicePort } from "./ports";
import type { FlagSpec, FlagValue, NetworkAttachment, PlacementPreference, PortConfig } from "./types";

export type SetResult = { ok: true; value: FlagValue } | { ok: false; error: string };

const okv = (value: FlagValue): SetResult => ({ ok: true, value });
const err = (error: string): SetResult => ({ ok: false, error });

/**
 * The flag's value after one more occurrence with `text`. `first` is true for the first time
 * the user sets it: repeatable flags then start from empty rather than from the default.
 */
export function applyFlagText(spec: FlagSpec, current: FlagValue, text: string, first: boolean): SetResult {
  const list = <T>(): T[] => (first ? [] : [...(current as T[])]);
  switch (spec.kind) {
    case "bool": {
      const r = parseGoBool(text);
      return r.ok ? okv(r.value) : err(r.error);
    }
    case "string":
      return okv(text);
    case "int": {
      const r = parseGoInt(text, spec.base ?? 0, spec.bits ?? 64);
      return r.ok ? okv(Number(r.value)) : err(r.error);
    }
    case "uint": {
      const r = parseGoUint(text, spec.base ?? 0, spec.bits ?? 64);
      return r.ok ? okv(Number(r.value)) : err(r.error);
    }
    case "float": {
      const r = parseGoFloat(text);
      return r.ok ? okv(r.value) : err(r.error);
    }
    case "duration": {
      const r = parseGoDuration(text);
      return r.ok ? okv(r.value) : err(r.error);
    }
    case "list":
      return okv([...list<string>(), text]);
    case "csv": {
      if (text === "") return okv(list<string>());
      const rec = readCsvRecord(text);
      return rec.ok ? okv([...list<string>(), ...rec.fields]) : err(rec.error);
    }
    case "map": {
      const m = first ? {} : { ...(current as Record<string, string>) };
      const eq = text.indexOf("=");
      if (eq < 0) m[text] = "";
      else m[text.slice(0, eq)] = text.slice(eq + 1);
      return okv(m);
    }
    case "bytes": {
      if (spec.minusOne && text === "-1") return okv(-1);
      const r = ramInBytes(text);
      return typeof r === "number" ? okv(r) : err(r);
    }
    case "decimal": {
      const r = parseCpus(text);
      return typeof r === "number" ? okv(r) : err(r);
    }
    case "filter": {
      if (text === "") return okv(list<string>());
      const eq = text.indexOf("=");
      if (eq < 0) return err("bad format of filter (expected name=value)");
      return okv([
        ...list<string>(),
        `${text.slice(0, eq).trim().toLowerCase()}=${text.slice(eq + 1).trim()}`,
      ]);
    }
    case "port": {
      const r = parseServicePort(text);
      return r.ok ? okv([...list<PortConfig>(), ...r.value]) : err(r.error);
    }
    case "network": {
      const r = parseNetwork(text);
      return typeof r === "string" ? err(r) : okv([...list<NetworkAttachment>(), r]);
    }
    case "mount": {
      const e = checkMount(text);
      return e ? err(e) : okv([...list<string>(), text]);
    }
    case "pref": {
      const eq = text.indexOf("=");
      const strategy = eq < 0 ? "" : text.slice(0, eq);
      if (eq < 0 || strategy === "")
        return err('placement preference must be of the format "<strategy>=<arg>"');
      if (strategy !== "spread")
        return err(`unsupported placement preference ${strategy} (only spread is supported)`);
      const pref: PlacementPreference = { strategy: "spread", descriptor: text.slice(eq + 1) };
      return okv([...list<PlacementPreference>(), pref]);
    }
    case "node-addr": {
      const r = parseTcpAddr(text, "0.0.0.0:2377");
      return r.startsWith("error:") ? err(r.slice(6)) : okv(r);
    }
    case "command": {
      const r = shlexSplit(text);
      return typeof r === "string" ? err(r) : okv(r);
    }
    case "cidr": {
      const rec = readCsvRecord(text);
      if (!rec.ok) return err(rec.error);
      for (const c of rec.fields) {
        if (!isCidr(c)) return err(`invalid string being converted to CIDR: ${c}`);
      }
      return okv([...list<string>(), ...rec.fields]);
    }
    case "external-ca": {
      const e = checkExternalCa(text);
      return e ? err(e) : okv([...list<string>(), text]);
    }
  }
}
