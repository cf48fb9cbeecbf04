// The template parser: recursive descent over the scanner's tokens, with Go's text/template
// grammar (actions, pipelines, commands, operands, if/range/with/else/end, variables) and its
// error texts ("template: :1: unexpected \"}\" in operand", "function \"foo\" not defined",
// "unexpected EOF"). `define`, `template` and `block` are not supported.
import type {
  ArgNode,
  CommandNode,
  ControlNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  VariableNode,
} from "./ast";
import { goQuote } from "../../grammar/go-values";
import { Lexer, type Token, type TokenType } from "./lexer";

/** A template that does not parse or does not execute; `message` is Go's error text. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly phase: "parse" | "exec",
  ) {
    super(message);
  }
}

/** Thrown inside the parser; caught at the top. */
class ParseFailure extends Error {}

const OPERAND_START = new Set<TokenType>([
  "bool",
  "charConstant",
  "dot",
  "field",
  "identifier",
  "number",
  "nil",
  "rawString",
  "string",
  "variable",
  "leftParen",
]);

export function parseTemplate(src: string, isFunction: (name: string) => boolean): ListNode {
  const p = new Parser(src, isFunction);
  try {
    return p.parse();
  } catch (e) {
    if (e instanceof ParseFailure) throw new TemplateError(e.message, "parse");
    throw e;
  }
}

/** A token's text as Go quotes it in "unexpected ..." messages. */
function tokenText(t: Token): string {
  if (t.type === "eof") return "EOF";
  if (t.type === "error") return t.value;
  if (t.type === "keyword" || t.type === "dot" || t.type === "nil") return `<${t.value}>`;
  const s = t.value;
  if ([...s].length > 10) return `${goQuote([...s].slice(0, 10).join(""))}...`;
  return goQuote(s);
}

type Terminator = { type: "end"; pos: number } | { type: "else"; pos: number };

class Parser {
  private readonly lexer: Lexer;
  /** Look-ahead buffer (Go's parser backs up by up to three tokens). */
  private readonly buffer: Token[] = [];
  private last: Token = { type: "eof", value: "", pos: 0, line: 1 };
  private vars: string[] = ["$"];
  private rangeDepth = 0;
  /** Line of the action being parsed, for "unclosed action started at :N". */
  private actionLine = 0;

  constructor(
    src: string,
    private readonly isFunction: (name: string) => boolean,
  ) {
    this.lexer = new Lexer(src);
  }

  // --- tokens ---

  private next(): Token {
    this.last = this.buffer.length ? this.buffer.pop()! : this.lexer.next();
    return this.last;
  }

  private backup(t: Token): void {
    this.buffer.push(t);
  }

  private peek(): Token {
    const t = this.next();
    this.backup(t);
    return t;
  }

  private nextNonSpace(): Token {
    let t = this.next();
    while (t.type === "space") t = this.next();
    return t;
  }

  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup(t);
    return t;
  }

  private fail(message: string, line = this.last.line): never {
    throw new ParseFailure(`template: :${line}: ${message}`);
  }

  private unexpected(t: Token, context: string): never {
    if (t.type === "error") {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at :${this.actionLine}`;
        if (t.value.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.fail(`${t.value}${extra}`, t.line);
    }
    this.fail(`unexpected ${tokenText(t)} in ${context}`, t.line);
  }

  private expect(type: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }

  // --- structure ---

  parse(): ListNode {
    const root: ListNode = { type: "list", nodes: [] };
    while (this.peek().type !== "eof") {
      const n = this.textOrAction();
      if (n === null) continue;
      if (n.type === "end" || n.type === "else") this.fail(`unexpected {{${n.type}}}`);
      root.nodes.push(n as Node);
    }
    return root;
  }

  private textOrAction(): Node | Terminator | null {
    const t = this.nextNonSpace();
    switch (t.type) {
      case "text":
        return { type: "text", text: t.value };
      case "comment":
        return null;
      case "leftDelim": {
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      default:
        this.unexpected(t, "input");
    }
  }

  private itemList(): { list: ListNode; next: Terminator } {
    const list: ListNode = { type: "list", nodes: [] };
    while (this.peekNonSpace().type !== "eof") {
      const n = this.textOrAction();
      if (n === null) continue;
      if (n.type === "end" || n.type === "else") return { list, next: n as Terminator };
      list.nodes.push(n as Node);
    }
    this.fail("unexpected EOF");
  }

  private action(): Node | Terminator {
    const t = this.nextNonSpace();
    if (t.type === "keyword") {
      switch (t.value) {
        case "if":
        case "range":
        case "with":
          return this.control(t.value);
        case "else":
          return this.elseControl();
        case "end":
          return { type: "end", pos: this.expect("rightDelim", "end").pos };
        case "break":
        case "continue":
          if (this.rangeDepth === 0) this.fail(`{{${t.value}}} outside {{range}}`);
          this.expect("rightDelim", `{{${t.value}}}`);
          return { type: t.value, pos: t.pos };
        default:
          this.fail(`{{${t.value}}} is not supported in --format templates`);
      }
    }
    this.backup(t);
    const pos = this.peek().pos;
    return { type: "action", pos, pipe: this.pipeline("command", "rightDelim") };
  }

  private elseControl(): Terminator {
    const peek = this.peekNonSpace();
    // "{{else if ...}}" and "{{else with ...}}" chain another control structure.
    if (peek.type === "keyword" && (peek.value === "if" || peek.value === "with"))
      return { type: "else", pos: peek.pos };
    return { type: "else", pos: this.expect("rightDelim", "else").pos };
  }

  private control(context: "if" | "range" | "with"): ControlNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, "rightDelim");
      if (context === "range") this.rangeDepth++;
      const { list, next } = this.itemList();
      if (context === "range") this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === "else") {
        const peek = this.peek();
        if ((context === "if" || context === "with") && peek.type === "keyword" && peek.value === context) {
          this.next();
          elseList = { type: "list", nodes: [this.control(context)] };
        } else {
          const rest = this.itemList();
          if (rest.next.type !== "end") this.fail(`expected end; found {{${rest.next.type}}}`);
          elseList = rest.list;
        }
      }
      return { type: context, pos: pipe.pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  // --- pipelines ---

  private pipeline(context: string, end: TokenType): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { type: "pipe", pos: first.pos, decl: [], isAssign: false, cmds: [] };
    this.declarations(pipe, context);
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      if (!OPERAND_START.has(t.type)) this.unexpected(t, context);
      this.backup(t);
      pipe.cmds.push(this.command());
    }
  }

  /** `$x :=`, `$x =`, or in a range `$i, $v :=`. */
  private declarations(pipe: PipeNode, context: string): void {
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== "variable") return;
      this.nextNonSpace();
      const after = this.peek();
      const next = this.peekNonSpace();
      if (next.type === "assign" || next.type === "declare") {
        pipe.isAssign = next.type === "assign";
        this.nextNonSpace();
        pipe.decl.push({ type: "variable", pos: v.pos, idents: [v.value] });
        this.vars.push(v.value);
        return;
      }
      if (next.type === "char" && next.value === ",") {
        this.nextNonSpace();
        pipe.decl.push({ type: "variable", pos: v.pos, idents: [v.value] });
        this.vars.push(v.value);
        if (context === "range" && pipe.decl.length < 2) {
          const p = this.peekNonSpace().type;
          if (p === "variable" || p === "rightDelim" || p === "rightParen") continue;
          this.fail("range can only initialize variables");
        }
        this.fail(`too many declarations in ${context}`);
      }
      // Not a declaration: put the variable (and the space after it) back.
      if (after.type === "space") this.backup(after);
      this.backup(v);
      return;
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0].type;
      if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string")
        this.fail(`non executable command in pipeline stage ${i + 2}`);
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: "command", pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.type === "space") continue;
      if (t.type === "rightDelim" || t.type === "rightParen") this.backup(t);
      else if (t.type !== "pipe") this.unexpected(t, "operand");
      break;
    }
    if (cmd.args.length === 0) this.fail("empty command");
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (!node) return null;
    if (this.peek().type !== "field") return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === "field") fields.push(this.next().value.slice(1));
    switch (node.type) {
      case "field":
        return { type: "field", pos, idents: [...node.idents, ...fields] };
      case "variable":
        return { type: "variable", pos, idents: [...node.idents, ...fields] };
      case "bool":
      case "string":
      case "number":
      case "nil":
      case "dot": {
        const text = node.type === "string" ? node.quoted : node.type === "number" ? node.text : node.type;
        return this.fail(
          `unexpected . after term ${goQuote(node.type === "bool" ? String(node.value) : text)}`,
        );
      }
      default:
        return { type: "chain", pos, node, fields };
    }
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.type) {
      case "identifier":
        if (!this.isFunction(t.value)) this.fail(`function ${goQuote(t.value)} not defined`);
        return { type: "identifier", pos: t.pos, name: t.value };
      case "dot":
        return { type: "dot", pos: t.pos };
      case "nil":
        return { type: "nil", pos: t.pos };
      case "variable":
        if (!this.vars.includes(t.value)) this.fail(`undefined variable ${goQuote(t.value)}`);
        return { type: "variable", pos: t.pos, idents: [t.value] };
      case "field":
        return { type: "field", pos: t.pos, idents: [t.value.slice(1)] };
      case "bool":
        return { type: "bool", pos: t.pos, value: t.value === "true" };
      case "number":
      case "charConstant":
        return this.number(t);
      case "leftParen":
        return this.pipeline("parenthesized pipeline", "rightParen");
      case "string":
      case "rawString":
        return { type: "string", pos: t.pos, quoted: t.value, text: this.unquote(t) };
    }
    this.backup(t);
    return null;
  }

  private number(t: Token): NumberNode {
    const n: NumberNode = { type: "number", pos: t.pos, text: t.value };
    if (t.type === "charConstant") {
      const s = unquoteGo(t.value.slice(1, -1), "'");
      if (s === null || [...s].length !== 1) this.fail(`malformed character constant: ${t.value}`);
      n.int = s.codePointAt(0)!;
      n.float = n.int;
      return n;
    }
    const clean = t.value.replace(/_/g, "");
    const sign = clean.startsWith("-") ? -1 : 1;
    const body = clean.replace(/^[+-]/, "");
    let int: number | undefined;
    if (/^0[xX][0-9a-fA-F]+$/.test(body)) int = Number.parseInt(body.slice(2), 16);
    else if (/^0[oO][0-7]+$/.test(body)) int = Number.parseInt(body.slice(2), 8);
    else if (/^0[bB][01]+$/.test(body)) int = Number.parseInt(body.slice(2), 2);
    else if (/^0[0-7]+$/.test(body)) int = Number.parseInt(body, 8);
    else if (/^\d+$/.test(body)) int = Number(body);
    if (int !== undefined) {
      n.int = sign * int;
      n.float = n.int;
      return n;
    }
    const f = Number(body);
    if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body) || Number.isNaN(f))
      this.fail(`illegal number syntax: ${goQuote(t.value)}`);
    n.float = sign * f;
    // A float constant with an integral value is also an int (Go: 1.0, 1e3).
    if (Number.isInteger(n.float)) n.int = n.float;
    return n;
  }

  private unquote(t: Token): string {
    if (t.type === "rawString") return t.value.slice(1, -1).replace(/\r/g, "");
    const s = unquoteGo(t.value.slice(1, -1), '"');
    if (s === null) this.fail("invalid syntax");
    return s;
  }
}

/** strconv.Unquote's escapes inside a quoted string or character constant; null if invalid. */
function unquoteGo(body: string, quote: string): string | null {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      if (c === quote) return null;
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = {
      a: "\x07",
      b: "\b",
      f: "\f",
      n: "\n",
      r: "\r",
      t: "\t",
      v: "\v",
      "\\": "\\",
    };
    if (e in simple) out += simple[e];
    else if (e === quote) out += quote;
    else if (e === "x" || e === "u" || e === "U") {
      const len = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) return null;
      const cp = Number.parseInt(hex, 16);
      if (cp > 0x10ffff) return null;
      out += e === "x" ? String.fromCharCode(cp) : String.fromCodePoint(cp);
      i += len;
    } else if (e >= "0" && e <= "7") {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) return null;
      out += String.fromCharCode(Number.parseInt(oct, 8));
      i += 2;
    } else return null;
  }
  return out;
}

export type { VariableNode };
