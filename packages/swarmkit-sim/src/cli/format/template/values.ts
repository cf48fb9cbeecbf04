// Go values for the template engine. Go's text/template reflects on typed values: the type
// decides what `.Field` finds, how a value prints, what a function accepts and what an error
// names ("can't evaluate field Nope in type swarm.Info"). Plain JS strings, booleans and
// numbers stand for Go's string, bool and int (float64 when not an integer); everything else
// carries its Go type name explicitly.

/** A Go value as the engine sees it. `undefined` is Go's invalid reflect.Value ("<no value>"). */
export type GoValue = string | number | boolean | GoObject | undefined;

export type GoObject = GoScalar | GoStruct | GoMap | GoSlice | GoNil | GoTime | GoDuration | GoBytes;

/** A named scalar type or a sized number: swarm.LocalNodeState, uint64, json.Number... */
export interface GoScalar {
  readonly kind: "scalar";
  readonly type: string;
  readonly value: string | number | boolean;
  /** json.Number: a string that prints and encodes as the number it spells. */
  readonly number?: boolean;
  /** Reached through a pointer (*int64): never empty for omitempty, named "*int64". */
  readonly pointer?: boolean;
}

/** A method: called by `.Name args...` before any field of that name is looked at. */
export interface GoMethod {
  /** Parameter kinds, for Go's argument checks ("wrong number of args for Label: want 1 got 0"). */
  readonly params: readonly GoParam[];
  readonly call: (...args: GoValue[]) => GoValue;
}

/** A parameter type: "string", "int", "bool", "any" or a slice type such as "[]string". */
export type GoParam = string;

export interface GoField {
  readonly name: string;
  readonly value: GoValue;
  /** The declared type when it is an interface ("interface {}"): it names the receiver in errors. */
  readonly type?: string;
  /** An anonymous field: its fields and methods are promoted, and JSON inlines them. */
  readonly embedded?: boolean;
  /** json tag: another key, omitempty, or "-" (never encoded). */
  readonly json?: { readonly name?: string; readonly omitempty?: boolean; readonly skip?: boolean };
  /** Lower-case Go field: prints with %v but cannot be reached or encoded. */
  readonly unexported?: boolean;
}

export interface GoStruct {
  readonly kind: "struct";
  /** Package-qualified name without the pointer star: "swarm.Info". */
  readonly type: string;
  /** Reached through a pointer (names itself "*swarm.ClusterInfo"; prints "&{...}"). */
  readonly pointer: boolean;
  readonly fields: readonly GoField[];
  readonly methods?: Readonly<Record<string, GoMethod>>;
  /** fmt.Stringer (swarm.Version prints its Index). */
  readonly stringer?: () => string;
  /** json.Marshaler: the JSON text the type encodes itself as. */
  readonly marshalJSON?: () => string;
}

export interface GoMap {
  readonly kind: "map";
  /** "map[string]string", or the named map type ("formatter.SubHeaderContext"). */
  readonly type: string;
  /** Static type of an element, when it is an interface ("interface {}"). */
  readonly elemType?: string;
  readonly entries: ReadonlyMap<string, GoValue>;
  /** A nil map: ranges and prints like an empty one, encodes as null. */
  readonly nil?: boolean;
}

export interface GoSlice {
  readonly kind: "slice";
  readonly type: string;
  readonly elemType?: string;
  /** null is a nil slice: prints "[]", encodes as null. */
  readonly items: readonly GoValue[] | null;
}

/** A nil pointer (prints "<nil>") or a nil interface (prints "<no value>" where it ends a pipeline). */
export interface GoNil {
  readonly kind: "nil";
  readonly type: string;
}

/** time.Time, in UTC, at millisecond resolution (the simulator's). */
export interface GoTime {
  readonly kind: "time";
  /** Milliseconds since the Unix epoch (wall clock). */
  readonly ms: number;
}

/** time.Duration: prints "5s", encodes as nanoseconds. */
export interface GoDuration {
  readonly kind: "duration";
  readonly ns: number;
}

/** []byte: prints as a list of numbers, encodes as base64. */
export interface GoBytes {
  readonly kind: "bytes";
  readonly bytes: Uint8Array;
}

// --- constructors --------------------------------------------------------------------------

export function goScalar(type: string, value: string | number | boolean): GoScalar {
  return { kind: "scalar", type, value };
}

/** A pointer to a scalar (*int64, *uint64): the API's optional numbers. */
export function goPointerTo(type: string, value: number | string | boolean): GoScalar {
  return { kind: "scalar", type, value, pointer: true };
}

export function goStruct(
  type: string,
  fields: readonly GoField[],
  extra: Partial<Pick<GoStruct, "pointer" | "methods" | "stringer" | "marshalJSON">> = {},
): GoStruct {
  return { kind: "struct", type, pointer: extra.pointer ?? false, fields, ...extra };
}

export function goMap(
  type: string,
  entries: Iterable<[string, GoValue]>,
  opts: { elemType?: string; nil?: boolean } = {},
): GoMap {
  return { kind: "map", type, entries: new Map(entries), ...opts };
}

/** map[string]string from a record (labels, options). */
export function goStringMap(record: Readonly<Record<string, string>> | undefined | null): GoMap {
  return goMap("map[string]string", Object.entries(record ?? {}), { nil: record == null });
}

export function goSlice(type: string, items: readonly GoValue[] | null, elemType?: string): GoSlice {
  return { kind: "slice", type, items, elemType };
}

/** []string; null for a nil slice. */
export function goStrings(items: readonly string[] | null): GoSlice {
  return goSlice("[]string", items);
}

export function goNil(type: string): GoNil {
  return { kind: "nil", type };
}

export function goTime(ms: number): GoTime {
  return { kind: "time", ms };
}

export function goDuration(ms: number): GoDuration {
  return { kind: "duration", ns: Math.round(ms * 1e6) };
}

export function goBytes(bytes: Uint8Array): GoBytes {
  return { kind: "bytes", bytes };
}

/** The empty interface's nil (a field declared `any` holding nothing). */
export const NIL_INTERFACE: GoNil = goNil("interface {}");

export const EMPTY_INTERFACE = "interface {}";

// --- inspection ------------------------------------------------------------------------------

export function isObject(v: GoValue): v is GoObject {
  return typeof v === "object" && v !== null;
}

/** Go's type name of a value, as reflect.Type.String prints it. */
export function typeOf(v: GoValue): string {
  switch (typeof v) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(v) ? "int" : "float64";
    case "undefined":
      return "<nil>";
  }
  switch (v.kind) {
    case "scalar":
      return v.pointer ? `*${v.type}` : v.type;
    case "map":
    case "slice":
    case "nil":
      return v.type;
    case "struct":
      return v.pointer ? `*${v.type}` : v.type;
    case "time":
      return "time.Time";
    case "duration":
      return "time.Duration";
    case "bytes":
      return "[]uint8";
  }
}

/** The Go kind that matters for comparisons and argument checks. */
export type BasicKind = "string" | "bool" | "int" | "float" | "other";

export function basicKind(v: GoValue): BasicKind {
  const u = underlying(v);
  if (typeof u === "string") return "string";
  if (typeof u === "boolean") return "bool";
  if (typeof u === "number") return Number.isInteger(u) && !isFloatType(v) ? "int" : "float";
  return "other";
}

function isFloatType(v: GoValue): boolean {
  return isObject(v) && v.kind === "scalar" && v.type.startsWith("float");
}

/** A scalar's JS value (named strings, sized numbers, durations as ns); objects as they are. */
export function underlying(v: GoValue): GoValue {
  if (!isObject(v)) return v;
  if (v.kind === "scalar") return v.number ? Number(v.value) : v.value;
  if (v.kind === "duration") return v.ns;
  return v;
}

/** Go's template truth: false for zero values and empty collections; structs are always true. */
export function truth(v: GoValue): boolean {
  if (v === undefined) return false;
  if (!isObject(v)) return v !== "" && v !== 0 && v !== false;
  switch (v.kind) {
    case "scalar":
      return truth(underlying(v));
    case "struct":
    case "time":
      return true;
    case "map":
      return v.entries.size > 0;
    case "slice":
      return (v.items?.length ?? 0) > 0;
    case "nil":
      return false;
    case "duration":
      return v.ns !== 0;
    case "bytes":
      return v.bytes.length > 0;
  }
}

/** Looks up an exported field, including fields promoted from embedded structs. */
export function findField(s: GoStruct, name: string): GoField | undefined {
  for (const f of s.fields) if (f.name === name && !f.unexported) return f;
  for (const f of s.fields) {
    if (!f.embedded || !isObject(f.value) || f.value.kind !== "struct") continue;
    const inner = findField(f.value, name);
    if (inner) return inner;
  }
  return undefined;
}

/** Looks up a method, including methods promoted from embedded structs. */
export function findMethod(s: GoStruct, name: string): GoMethod | undefined {
  const own = s.methods?.[name];
  if (own) return own;
  for (const f of s.fields) {
    if (!f.embedded || !isObject(f.value) || f.value.kind !== "struct") continue;
    const inner = findMethod(f.value, name);
    if (inner) return inner;
  }
  return undefined;
}
