// Executes a parsed template over a value, with Go's text/template semantics: methods before
// fields, missing map keys as "<no value>" (or an error with missingkey=error), pipelines
// feeding the last argument, variables scoped to their control structure, and execution errors
// that name the template position and node: template: :1:8: executing "" at <.Swarm.Nope>: ...
import {
  type ArgNode,
  type ChainNode,
  type CommandNode,
  type ControlNode,
  type FieldNode,
  type IdentifierNode,
  type Node,
  type NumberNode,
  nodeText,
  type PipeNode,
  type VariableNode,
} from "./ast";
import { MAX_OUTPUT_CHARS } from "../../io";
import { CallError, type FunctionMap, type TemplateFunction, TOO_LONG } from "./functions";
import { TemplateError } from "./parser";
import { formatValue } from "./print";
import {
  EMPTY_INTERFACE,
  findField,
  findMethod,
  type GoMethod,
  type GoParam,
  type GoValue,
  goNil,
  goScalar,
  goStrings,
  isObject,
  truth,
  typeOf,
  underlying,
} from "./values";

export interface ExecOptions {
  /** Go's missingkey option: "error" makes a missing map key an error (the inspect fallback). */
  missingKey?: "default" | "error";
}

/** No value was piped into a command (Go's missingVal). */
const MISSING = Symbol("missing");
type Final = GoValue | typeof MISSING;

/** A value with its static type, when that differs from its own (a field declared `any`). */
interface Typed {
  v: GoValue;
  t?: string;
}

class ExecFailure extends Error {}
class BreakSignal extends Error {}
class ContinueSignal extends Error {}

type Callable = Pick<TemplateFunction, "params" | "variadic" | "shortCircuit"> & {
  call: (args: GoValue[]) => GoValue;
};

export interface ExecResult {
  /** What was written before the end or the error (Go writes as it goes). */
  output: string;
  error?: TemplateError;
}

export function executeTemplate(
  root: Node,
  src: string,
  data: GoValue,
  funcs: FunctionMap,
  opts: ExecOptions = {},
): ExecResult {
  const s = new State(src, data, funcs, opts.missingKey ?? "default");
  try {
    s.walk(data, root);
    return { output: s.out };
  } catch (e) {
    if (e instanceof ExecFailure) return { output: s.out, error: new TemplateError(e.message, "exec") };
    throw e;
  }
}

class State {
  out = "";
  private node: ArgNode | CommandNode | ControlNode | undefined;
  private vars: { name: string; value: GoValue }[];

  constructor(
    private readonly src: string,
    data: GoValue,
    private readonly funcs: FunctionMap,
    private readonly missingKey: "default" | "error",
  ) {
    this.vars = [{ name: "$", value: data }];
  }

  // --- errors ---

  private at(node: ArgNode | CommandNode | ControlNode): void {
    this.node = node;
  }

  private fail(message: string): never {
    if (!this.node) throw new ExecFailure(`template: : ${message}`);
    // Go counts the column in bytes from the start of the node's line.
    const before = Buffer.from(this.src.slice(0, this.node.pos), "utf8");
    const nl = before.lastIndexOf(0x0a);
    const line = 1 + before.filter((b) => b === 0x0a).length;
    const col = nl < 0 ? before.length : before.length - (nl + 1);
    throw new ExecFailure(`template: :${line}:${col}: executing "" at <${nodeText(this.node)}>: ${message}`);
  }

  /** Appends to the output, which stops at the lab's limit on text with an execution error. */
  private emit(text: string): void {
    if (this.out.length + text.length > MAX_OUTPUT_CHARS) this.fail(`output ${TOO_LONG}`);
    this.out += text;
  }

  // --- statements ---

  walk(dot: GoValue, node: Node): void {
    switch (node.type) {
      case "list":
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case "text":
        this.emit(node.text);
        return;
      case "action": {
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.emit(formatValue(value));
        return;
      }
      case "if":
      case "with":
        this.walkIfOrWith(dot, node);
        return;
      case "range":
        this.walkRange(dot, node);
        return;
      case "break":
        throw new BreakSignal();
      case "continue":
        throw new ContinueSignal();
    }
  }

  private walkIfOrWith(dot: GoValue, node: ControlNode): void {
    const mark = this.vars.length;
    try {
      const value = this.evalPipeline(dot, node.pipe);
      if (truth(value)) this.walk(node.type === "with" ? value : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: GoValue, r: ControlNode): void {
    this.at(r);
    const outer = this.vars.length;
    try {
      const value = this.evalPipeline(dot, r.pipe);
      const mark = this.vars.length;
      const decl = r.pipe.decl;
      const iteration = (index: GoValue, elem: GoValue): boolean => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0].idents[0], decl.length > 1 ? index : elem);
          else this.vars[this.vars.length - 1].value = elem;
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1].idents[0], elem);
          else this.vars[this.vars.length - 2].value = index;
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e instanceof BreakSignal) return false;
          if (!(e instanceof ContinueSignal)) throw e;
        } finally {
          this.vars.length = mark;
        }
        return true;
      };
      const items = this.rangeItems(value, decl.length);
      if (items === null) {
        if (r.elseList) this.walk(dot, r.elseList);
        return;
      }
      for (const [i, e] of items) if (!iteration(i, e)) break;
    } finally {
      this.vars.length = outer;
    }
  }

  /** The (index, element) pairs a range visits; null when it visits none (the else branch). */
  private rangeItems(value: GoValue, nvars: number): [GoValue, GoValue][] | null {
    if (value === undefined) return null;
    const u = underlying(value);
    let items: [GoValue, GoValue][] | undefined;
    if (isObject(u) && u.kind === "slice") items = (u.items ?? []).map((x, i) => [i, x]);
    else if (isObject(u) && u.kind === "bytes") items = [...u.bytes].map((b, i) => [i, goScalar("uint8", b)]);
    else if (isObject(u) && u.kind === "map")
      items = [...u.entries.keys()].sort().map((k) => [k, u.entries.get(k)]);
    else if (typeof u === "number" && basicInt(value)) {
      if (nvars > 1) this.fail(`can't use ${formatValue(value)} to iterate over more than one variable`);
      items = Array.from({ length: Math.max(0, u) }, (_, i) => [i, i]);
    } else if (isObject(u) && u.kind === "nil" && (u.type.startsWith("[]") || u.type.startsWith("map[")))
      items = [];
    if (!items) this.fail(`range can't iterate over ${formatValue(value)}`);
    return items.length ? items : null;
  }

  private setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  private varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    this.fail(`undefined variable: ${name}`);
  }

  // --- pipelines and commands ---

  private evalPipeline(dot: GoValue, pipe: PipeNode): GoValue {
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // An empty interface holding nothing is no value at all (Go's "lovely!" unwrap).
      if (isObject(value) && value.kind === "nil" && value.type === EMPTY_INTERFACE) value = undefined;
    }
    const result = value === MISSING ? undefined : value;
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.idents[0], result);
      else this.vars.push({ name: v.idents[0], value: result });
    }
    return result;
  }

  private evalCommand(dot: GoValue, cmd: CommandNode, final: Final): GoValue {
    const first = cmd.args[0];
    switch (first.type) {
      case "field":
        return this.evalFieldNode(dot, first, cmd.args, final);
      case "chain":
        return this.evalChainNode(dot, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return first.value;
      case "dot":
        return dot;
      case "nil":
        return this.fail("nil is not a command");
      case "number":
        return this.constant(first);
      case "string":
        return first.text;
    }
  }

  private notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING)
      this.fail(`can't give argument to non-function ${nodeText(args[0])}`);
  }

  /** An untyped number constant: float64 when written with a point or exponent, else int. */
  private constant(n: NumberNode): GoValue {
    const isFloatText = !/^[+-]?0[xX]/.test(n.text) && !n.text.startsWith("'") && /[.eEpP]/.test(n.text);
    if (isFloatText || n.int === undefined) return goScalar("float64", n.float ?? 0);
    return n.int;
  }

  private evalFieldNode(dot: GoValue, field: FieldNode, args: ArgNode[], final: Final): GoValue {
    this.at(field);
    return this.evalFieldChain(dot, { v: dot }, field.idents, args, final);
  }

  private evalChainNode(dot: GoValue, chain: ChainNode, args: ArgNode[], final: Final): GoValue {
    if (chain.node.type === "nil") this.fail(`indirection through explicit nil in ${nodeText(chain)}`);
    const pipe = this.evalArg(dot, "any", chain.node);
    return this.evalFieldChain(dot, { v: pipe }, chain.fields, args, final);
  }

  private evalVariableNode(dot: GoValue, variable: VariableNode, args: ArgNode[], final: Final): GoValue {
    this.at(variable);
    const value = this.varValue(variable.idents[0]);
    if (variable.idents.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, { v: value }, variable.idents.slice(1), args, final);
  }

  private evalFieldChain(
    dot: GoValue,
    receiver: Typed,
    idents: string[],
    args: ArgNode[],
    final: Final,
  ): GoValue {
    let r = receiver;
    for (let i = 0; i < idents.length - 1; i++) r = this.evalField(dot, idents[i], [], MISSING, r);
    return this.evalField(dot, idents[idents.length - 1], args, final, r).v;
  }

  private evalField(dot: GoValue, name: string, args: ArgNode[], final: Final, receiver: Typed): Typed {
    const v = receiver.v;
    if (v === undefined) {
      if (this.missingKey === "error") this.fail(`nil data; no entry for key "${name}"`);
      return { v: undefined };
    }
    const type = receiver.t ?? typeOf(v);
    if (isObject(v) && v.kind === "nil" && v.type === EMPTY_INTERFACE)
      this.fail(`nil pointer evaluating ${EMPTY_INTERFACE}.${name}`);
    const method = methodOf(v, name);
    if (method) {
      const callable: Callable = { params: method.params, call: (a) => method.call(...a) };
      return { v: this.evalCall(dot, callable, name, this.node as ArgNode, args, final) };
    }
    const hasArgs = args.length > 1 || final !== MISSING;
    if (isObject(v) && v.kind === "struct") {
      const f = findField(v, name);
      if (f) {
        if (hasArgs) this.fail(`${name} has arguments but cannot be invoked as function`);
        return { v: f.value, t: f.type };
      }
    }
    if (isObject(v) && v.kind === "map") {
      if (hasArgs) this.fail(`${name} is not a method but has arguments`);
      if (v.entries.has(name)) return { v: v.entries.get(name), t: v.elemType };
      if (this.missingKey === "error") this.fail(`map has no entry for key "${name}"`);
      return { v: undefined };
    }
    if (isObject(v) && v.kind === "nil" && v.type.startsWith("*"))
      this.fail(`nil pointer evaluating ${type}.${name}`);
    return this.fail(`can't evaluate field ${name} in type ${type}`);
  }

  /** `cmd` is what an "error calling" message names: the whole command, or a bare argument. */
  private evalFunction(
    dot: GoValue,
    node: IdentifierNode,
    cmd: ArgNode | CommandNode,
    args: ArgNode[],
    final: Final,
  ): GoValue {
    this.at(node);
    const f = this.funcs[node.name];
    if (!f) this.fail(`"${node.name}" is not a defined function`);
    return this.evalCall(dot, f, node.name, cmd, args, final);
  }

  /** Calls a function or method; `args[0]` is its own name. */
  private evalCall(
    dot: GoValue,
    f: Callable,
    name: string,
    node: ArgNode | CommandNode,
    args: ArgNode[],
    final: Final,
  ): GoValue {
    const given = args.slice(1);
    const numIn = given.length + (final === MISSING ? 0 : 1);
    const numFixed = f.variadic ? f.params.length - 1 : f.params.length;
    if (f.variadic) {
      if (numIn < numFixed)
        this.fail(`wrong number of args for ${name}: want at least ${numFixed} got ${given.length}`);
    } else if (numIn !== f.params.length) {
      this.fail(`wrong number of args for ${name}: want ${f.params.length} got ${numIn}`);
    }
    const paramAt = (i: number) => (i < numFixed ? f.params[i] : f.params[f.params.length - 1]);
    if (f.shortCircuit) {
      let value: GoValue;
      for (const a of given) {
        value = this.evalArg(dot, "any", a);
        if (truth(value) === (f.shortCircuit === "or")) return value;
      }
      if (final !== MISSING) value = final;
      return value;
    }
    const argv = given.map((a, i) => this.evalArg(dot, paramAt(i), a));
    if (final !== MISSING) argv.push(this.validateType(final, paramAt(given.length)));
    try {
      return f.call(argv);
    } catch (e) {
      if (e instanceof CallError) {
        this.at(node);
        this.fail(`error calling ${name}: ${e.message}`);
      }
      throw e;
    }
  }

  private evalArg(dot: GoValue, param: GoParam, n: ArgNode): GoValue {
    this.at(n);
    switch (n.type) {
      case "dot":
        return this.validateType(dot, param);
      case "nil":
        if (canBeNil(param)) return param === "any" ? undefined : goNil(param);
        return this.fail(`cannot assign nil to ${param}`);
      case "field":
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), param);
      case "variable":
        return this.validateType(this.evalVariableNode(dot, n, [], MISSING), param);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, n), param);
      case "identifier":
        return this.validateType(this.evalFunction(dot, n, n, [n], MISSING), param);
      case "chain":
        return this.validateType(this.evalChainNode(dot, n, [], MISSING), param);
    }
    switch (param) {
      case "bool":
        if (n.type === "bool") return n.value;
        return this.fail(`expected bool; found ${nodeText(n)}`);
      case "string":
        if (n.type === "string") return n.text;
        return this.fail(`expected string; found ${nodeText(n)}`);
      case "int":
        if (n.type === "number" && n.int !== undefined) return n.int;
        return this.fail(`expected integer; found ${nodeText(n)}`);
      case "any":
        return n.type === "bool" ? n.value : n.type === "string" ? n.text : this.constant(n);
    }
    return this.fail(`can't handle ${nodeText(n)} for arg of type ${param}`);
  }

  /** Go's validateType: can this value be passed as a parameter of this type? */
  private validateType(value: GoValue, param: GoParam): GoValue {
    if (param === "any") return value;
    if (value === undefined) {
      if (canBeNil(param)) return param === "[]string" ? goStrings(null) : goNil(param);
      return this.fail(`invalid value; expected ${param}`);
    }
    const ok =
      (param === "string" && typeof value === "string") ||
      (param === "bool" && typeof value === "boolean") ||
      (param === "int" && typeof value === "number" && Number.isInteger(value)) ||
      (isObject(value) && (value.kind === "slice" || value.kind === "nil") && value.type === param);
    if (!ok) this.fail(`wrong type for value; expected ${param}; got ${typeOf(value)}`);
    return value;
  }
}

function canBeNil(param: GoParam): boolean {
  return param === "any" || param.startsWith("[]") || param.startsWith("map[") || param.startsWith("*");
}

function basicInt(v: GoValue): boolean {
  return (
    typeof underlying(v) === "number" &&
    Number.isInteger(underlying(v)) &&
    !(isObject(v) && v.kind === "duration")
  );
}

const noArgs = (call: () => GoValue): GoMethod => ({ params: [], call });

/** Methods a value has: its struct's, a Stringer's String, and a few of time.Time and time.Duration. */
function methodOf(v: GoValue, name: string): GoMethod | undefined {
  if (!isObject(v)) return undefined;
  if (v.kind === "struct") {
    const m = findMethod(v, name);
    if (m) return m;
    if (name === "String" && v.stringer) return noArgs(v.stringer);
    return undefined;
  }
  if (v.kind === "time") {
    const seconds = Math.floor(v.ms / 1000);
    const methods: Record<string, () => GoValue> = {
      Unix: () => goScalar("int64", seconds),
      UnixMilli: () => goScalar("int64", v.ms),
      UnixNano: () => goScalar("int64", v.ms * 1e6),
      Year: () => new Date(v.ms).getUTCFullYear(),
      IsZero: () => false,
      String: () => formatValue(v),
    };
    return methods[name] ? noArgs(methods[name]) : undefined;
  }
  if (v.kind === "duration") {
    const methods: Record<string, () => GoValue> = {
      Hours: () => goScalar("float64", v.ns / 3.6e12),
      Minutes: () => goScalar("float64", v.ns / 6e10),
      Seconds: () => goScalar("float64", v.ns / 1e9),
      Milliseconds: () => goScalar("int64", Math.trunc(v.ns / 1e6)),
      Nanoseconds: () => goScalar("int64", v.ns),
      String: () => formatValue(v),
    };
    return methods[name] ? noArgs(methods[name]) : undefined;
  }
  return undefined;
}
