// Turns an API object's JSON into the typed Go value the Docker CLI decodes it into, given the
// Go struct declarations (a schema): fields in declaration order, absent fields as zero values
// (a worker's ManagerStatus is a nil *swarm.ManagerStatus, not a missing field), named string
// types kept (swarm.NodeRole is not a string to `upper`), times and durations typed. Keys the
// schema does not know are kept, after the known ones, with types guessed from the JSON.
import {
  type GoField,
  type GoValue,
  goDuration,
  goMap,
  goNil,
  goPointerTo,
  goScalar,
  goSlice,
  goStruct,
  goTime,
} from "./template/values";

/** One field: [name, Go type, flags]; flags "o" = omitempty, "e" = embedded (inline in JSON). */
export type FieldDecl = readonly [string, string, string?];

/** Struct declarations by Go type name ("swarm.Node"). */
export type GoSchema = Readonly<Record<string, readonly FieldDecl[]>>;

const GO_ZERO_TIME_MS = -62135596800000;
const INTS = new Set(["int", "int64", "uint64", "uint32", "uint8", "float32", "float64"]);

export function typedFromJson(json: unknown, type: string, schema: GoSchema): GoValue {
  if (type.startsWith("*")) {
    if (json === null || json === undefined) return goNil(type);
    const elem = type.slice(1);
    if (schema[elem]) return { ...(typedFromJson(json, elem, schema) as object), pointer: true } as GoValue;
    if (INTS.has(elem) && typeof json === "number") return goPointerTo(elem, json);
    if (elem === "time.Duration" && typeof json === "number") return goDuration(json / 1e6);
    if (elem === "time.Time" && typeof json === "string") return goTime(Date.parse(json));
    return typedFromJson(json, elem, schema);
  }
  if (json === null || json === undefined) return zeroValue(type, schema);
  const decl = schema[type];
  if (decl && typeof json === "object" && !Array.isArray(json))
    return struct(json as Record<string, unknown>, type, decl, schema);
  if (type.startsWith("[]") && Array.isArray(json)) {
    const elem = type.slice(2);
    return goSlice(
      type,
      json.map((x) => typedFromJson(x, elem, schema)),
    );
  }
  if (type.startsWith("map[string]") && typeof json === "object") {
    const elem = type.slice("map[string]".length);
    return goMap(
      type,
      Object.entries(json as Record<string, unknown>).map(([k, v]) => [k, typedFromJson(v, elem, schema)]),
    );
  }
  if (type === "time.Time" && typeof json === "string") return goTime(Date.parse(json));
  if (type === "time.Duration" && typeof json === "number") return goDuration(json / 1e6);
  if (type === "int" || type === "string" || type === "bool") return json as GoValue;
  if (typeof json === "string" || typeof json === "number" || typeof json === "boolean") {
    // A named type (swarm.NodeRole) or a sized number (uint64).
    return type && type !== "any" ? goScalar(type, json) : json;
  }
  return guess(json);
}

/** `embedded`: the struct's fields sit in its parent's JSON object, among the parent's own. */
function struct(
  json: Record<string, unknown>,
  type: string,
  decl: readonly FieldDecl[],
  schema: GoSchema,
  embedded = false,
): GoValue {
  const fields: GoField[] = [];
  const known = new Set<string>();
  const collect = (d: readonly FieldDecl[]) => {
    for (const [name, t, flags = ""] of d) {
      if (flags.includes("e")) {
        known.add(name);
        const inner = schema[t] ?? [];
        for (const [n] of inner) known.add(n);
        fields.push({ name, embedded: true, value: struct(json, t, inner, schema, true) });
        continue;
      }
      known.add(name);
      fields.push({
        name,
        value: name in json ? typedFromJson(json[name], t, schema) : zeroValue(t, schema),
        json: flags.includes("o") ? { omitempty: true } : undefined,
      });
    }
  };
  collect(decl);
  if (!embedded)
    for (const [k, v] of Object.entries(json)) if (!known.has(k)) fields.push({ name: k, value: guess(v) });
  return goStruct(type, fields);
}

/** Go's zero value of a type. */
export function zeroValue(type: string, schema: GoSchema): GoValue {
  if (type.startsWith("*")) return goNil(type);
  if (type.startsWith("[]")) return goSlice(type, null);
  if (type.startsWith("map[")) return goMap(type, [], { nil: true });
  if (type === "string") return "";
  if (type === "int") return 0;
  if (type === "bool") return false;
  if (type === "time.Time") return goTime(GO_ZERO_TIME_MS);
  if (type === "time.Duration") return goDuration(0);
  if (INTS.has(type)) return goScalar(type, 0);
  const decl = schema[type];
  if (decl) return struct({}, type, decl, schema);
  return goScalar(type, "");
}

/** A value the schema does not describe, typed from its JSON alone. */
function guess(v: unknown): GoValue {
  if (v === null || v === undefined) return goNil("*struct {}");
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (Array.isArray(v)) {
    const items = v.map(guess);
    return goSlice(items.every((x) => typeof x === "string") ? "[]string" : "[]interface {}", items);
  }
  return goStruct(
    "struct {}",
    Object.entries(v as Record<string, unknown>).map(([name, x]) => ({ name, value: guess(x) })),
  );
}
