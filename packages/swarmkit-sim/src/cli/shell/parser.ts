// A small POSIX-sh parser for lab lines. Error texts are BusyBox ash's (the shell in the
// docker:dind containers the lecture execs into): `sh: syntax error: unterminated quoted string`,
// `sh: syntax error: unexpected "|"`, `sh: syntax error: unexpected end of file`, exit status 2.
import type {
  AndOr,
  Assignment,
  Command,
  ForCommand,
  ParamOp,
  Pipeline,
  Redirect,
  Script,
  SimpleCommand,
  Word,
  WordPart,
} from "./ast";

const nestedTooDeeply = () =>
  new ShellSyntaxError(`syntax error: substitutions and loops nested more than ${MAX_NESTING} deep`);

export class ShellSyntaxError extends Error {
  /** The text after "sh: ", e.g. `syntax error: unexpected "|"`. */
  constructor(readonly detail: string) {
    super(`sh: ${detail}`);
  }
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SPECIAL_PARAMS = "?#$!@*-0123456789";

export type ParseResult = { ok: true; script: Script } | { ok: false; error: string };

/** Parses a line (or several, separated by newlines) into a script. Never throws. */
export function parseShell(input: string): ParseResult {
  try {
    return { ok: true, script: new Parser(input).script() };
  } catch (e) {
    if (e instanceof ShellSyntaxError) return { ok: false, error: e.message };
    throw e;
  }
}

type Op = "|" | "||" | "&" | "&&" | ";" | ";;" | "\n" | "(" | ")" | "EOF";

/**
 * How deep substitutions and loops may nest in one line. A shell has no fixed limit, but a
 * parser (and the expansion after it) that recursed a thousand levels would overflow the
 * stack: past this the line is refused with a clear error instead.
 */
export const MAX_NESTING = 64;

class Parser {
  private pos = 0;
  /** Loops open in this parser (its own nesting, on top of `depth`). */
  private loops = 0;

  constructor(
    private readonly src: string,
    /** Substitutions this text sits in. */
    private readonly depth = 0,
  ) {
    if (depth > MAX_NESTING) throw nestedTooDeeply();
  }

  /** A parser for a substitution's text, one level deeper. */
  private nested(src: string): Parser {
    return new Parser(src, this.depth + this.loops + 1);
  }

  script(): Script {
    const script = this.list(null);
    const op = this.peekOp();
    if (op !== "EOF") this.unexpected(op ?? "EOF");
    return script;
  }

  /**
   * Commands up to the end, or up to the reserved word `until` at the start of a command (a
   * loop body ends at `done`).
   */
  private list(until: string | null): Script {
    const lists: AndOr[] = [];
    this.skipSpaceAndNewlines();
    while (this.peekOp() !== "EOF") {
      if (until !== null && this.peekReserved() === until) break;
      const op = this.peekOp();
      if (op !== null) this.unexpected(op);
      lists.push(this.andOr());
      const sep = this.peekOp();
      if (sep === ";" || sep === "\n") {
        this.takeOp(sep);
        this.skipSpaceAndNewlines();
      } else if (sep === "&") {
        throw new ShellSyntaxError("background jobs (&) are not supported in the simulator");
      } else if (sep !== "EOF") {
        this.unexpected(sep!);
      }
    }
    return { lists };
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr["rest"] = [];
    for (;;) {
      const op = this.peekOp();
      if (op !== "&&" && op !== "||") break;
      this.takeOp(op);
      this.skipSpaceAndNewlines();
      rest.push({ op, pipeline: this.pipeline() });
    }
    return { first, rest };
  }

  private pipeline(): Pipeline {
    this.skipSpace();
    let negated = false;
    if (this.src[this.pos] === "!" && /[\s]/.test(this.src[this.pos + 1] ?? " ")) {
      negated = true;
      this.pos++;
    }
    const commands = [this.compoundOrSimple()];
    while (this.peekOp() === "|") {
      this.takeOp("|");
      this.skipSpaceAndNewlines();
      commands.push(this.compoundOrSimple());
    }
    return { negated, commands };
  }

  private compoundOrSimple(): Command {
    this.skipSpace();
    const word = this.peekReserved();
    if (word === "for") return this.forCommand();
    if (word === "do" || word === "done" || word === "in")
      throw new ShellSyntaxError(`syntax error: unexpected "${word}"`);
    return this.command();
  }

  /** for NAME [in WORD...] (; | newline) do LIST done */
  private forCommand(): ForCommand {
    this.takeReserved("for");
    this.skipSpace();
    const nameStart = this.pos;
    while (this.pos < this.src.length && /[A-Za-z0-9_]/.test(this.src[this.pos])) this.pos++;
    const name = this.src.slice(nameStart, this.pos);
    if (!NAME_RE.test(name)) throw new ShellSyntaxError("syntax error: bad for loop variable");
    this.skipSpace();
    const words: Word[] = [];
    if (this.peekReserved() === "in") {
      this.takeReserved("in");
      for (;;) {
        this.skipSpace();
        if (this.peekOp() !== null) break;
        words.push(this.word());
      }
      const sep = this.peekOp();
      if (sep !== ";" && sep !== "\n") this.unexpected(sep ?? "EOF");
      this.takeOp(sep);
    } else if (this.peekOp() === ";") this.takeOp(";");
    this.skipSpaceAndNewlines();
    if (this.peekReserved() !== "do") this.expecting("do");
    this.takeReserved("do");
    if (this.depth + ++this.loops > MAX_NESTING) throw nestedTooDeeply();
    const body = this.list("done");
    this.loops--;
    if (this.peekReserved() !== "done") this.expecting("done");
    this.takeReserved("done");
    return { type: "for", name, words, body };
  }

  /** ash's message when a compound command is cut short: unexpected X (expecting "done"). */
  private expecting(word: string): never {
    const op = this.peekOp();
    const what =
      op === "EOF" || (op === null && this.pos >= this.src.length)
        ? "end of file"
        : op === "\n"
          ? "newline"
          : op !== null
            ? `"${op}"`
            : `word`;
    throw new ShellSyntaxError(`syntax error: unexpected ${what} (expecting "${word}")`);
  }

  /** The reserved word (for, in, do, done) standing at the current position, if any. */
  private peekReserved(): string | null {
    const m = /^(for|in|do|done)(?=$|[ \t\n;|&()])/.exec(this.src.slice(this.pos, this.pos + 5));
    return m ? m[1] : null;
  }

  private takeReserved(word: string): void {
    this.pos += word.length;
  }

  private command(): SimpleCommand {
    const cmd: SimpleCommand = { assignments: [], words: [], redirects: [] };
    for (;;) {
      this.skipSpace();
      const op = this.peekOp();
      if (op !== null) {
        if (cmd.words.length === 0 && cmd.assignments.length === 0 && cmd.redirects.length === 0) {
          if (op === "EOF") throw new ShellSyntaxError("syntax error: unexpected end of file");
          this.unexpected(op);
        }
        return cmd;
      }
      const redirect = this.redirect();
      if (redirect) {
        cmd.redirects.push(redirect);
        continue;
      }
      if (this.src[this.pos] === "#" && this.atWordStart()) {
        this.skipComment();
        continue;
      }
      const start = this.pos;
      const word = this.word();
      if (cmd.words.length === 0) {
        const assignment = asAssignment(word, this.src.slice(start, this.pos));
        if (assignment) {
          cmd.assignments.push(assignment);
          continue;
        }
      }
      cmd.words.push(word);
    }
  }

  /** `>file`, `>>file`, `2>file`, `2>&1`, `>&2`, `1>&2`; other forms are not supported. */
  private redirect(): Redirect | null {
    const m = /^([12]?)(>>|>&|>|<)/.exec(this.src.slice(this.pos));
    if (!m) return null;
    if (m[2] === "<") throw new ShellSyntaxError("input redirection (<) is not supported in the simulator");
    this.pos += m[0].length;
    const fd = (m[1] === "2" ? 2 : 1) as 1 | 2;
    this.skipSpace();
    if (m[2] === ">&") {
      const t = this.src[this.pos];
      if (t !== "1" && t !== "2") throw new ShellSyntaxError("syntax error: bad fd number");
      this.pos++;
      return { fd, op: ">&", target: t === "1" ? 1 : 2 };
    }
    if (this.peekOp() !== null) {
      const op = this.peekOp()!;
      if (op === "EOF" || op === "\n") throw new ShellSyntaxError("syntax error: unexpected end of file");
      this.unexpected(op);
    }
    return { fd, op: m[2] as ">" | ">>", target: this.word() };
  }

  /** Reads one word; `braceArg` words (the `word` in ${x:-word}) run to the end, spaces included. */
  private word(braceArg = false): Word {
    const start = this.pos;
    const parts: WordPart[] = [];
    const text = (value: string, quoted: boolean) => {
      const last = parts[parts.length - 1];
      if (last && last.type === "text" && last.quoted === quoted) last.value += value;
      else parts.push({ type: "text", value, quoted });
    };
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (!braceArg && " \t\n|&;<>()".includes(c)) break;
      if (c === "\\") {
        const next = this.src[this.pos + 1];
        this.pos += 2;
        if (next === undefined) text("\\", false);
        else if (next !== "\n") text(next, true);
        continue;
      }
      if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellSyntaxError("syntax error: unterminated quoted string");
        text(this.src.slice(this.pos + 1, end), true);
        this.pos = end + 1;
        continue;
      }
      if (c === '"') {
        this.pos++;
        this.doubleQuoted(parts, text);
        continue;
      }
      if (c === "$") {
        const part = this.dollar(false);
        if (part) parts.push(part);
        else text("$", false);
        continue;
      }
      if (c === "`") {
        parts.push(this.backquote(false));
        continue;
      }
      text(c, false);
      this.pos++;
    }
    return { parts, source: this.src.slice(start, this.pos) };
  }

  private doubleQuoted(parts: WordPart[], text: (v: string, q: boolean) => void): void {
    // An empty "" still makes a (quoted, empty) field.
    text("", true);
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c === "\\") {
        const next = this.src[this.pos + 1];
        if (next !== undefined && '$`"\\\n'.includes(next)) {
          if (next !== "\n") text(next, true);
          this.pos += 2;
        } else {
          text("\\", true);
          this.pos++;
        }
        continue;
      }
      if (c === "$") {
        const part = this.dollar(true);
        if (part) parts.push(part);
        else text("$", true);
        continue;
      }
      if (c === "`") {
        parts.push(this.backquote(true));
        continue;
      }
      text(c, true);
      this.pos++;
    }
    throw new ShellSyntaxError("syntax error: unterminated quoted string");
  }

  /** At a `$`: a parameter, ${...} or $(...); null when the `$` is literal. */
  private dollar(quoted: boolean): WordPart | null {
    const next = this.src[this.pos + 1];
    if (next === "(") {
      if (this.src[this.pos + 2] === "(") {
        throw new ShellSyntaxError("arithmetic expansion $((...)) is not supported in the simulator");
      }
      const open = this.pos + 2;
      const close = findClosingParen(this.src, open);
      const source = this.src.slice(open, close);
      this.pos = close + 1;
      return { type: "subst", source, script: this.nested(source).script(), quoted };
    }
    if (next === "{") return this.braceParam(quoted);
    if (next !== undefined && SPECIAL_PARAMS.includes(next)) {
      this.pos += 2;
      return { type: "param", name: next, quoted };
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos + 1));
    if (!m) {
      this.pos++;
      return null;
    }
    this.pos += 1 + m[0].length;
    return { type: "param", name: m[0], quoted };
  }

  private braceParam(quoted: boolean): WordPart {
    const close = findBraceEnd(this.src, this.pos + 2);
    const body = this.src.slice(this.pos + 2, close);
    this.pos = close + 1;
    if (body.startsWith("#") && body.length > 1) {
      const name = body.slice(1);
      if (!NAME_RE.test(name) && !(name.length === 1 && SPECIAL_PARAMS.includes(name))) {
        throw new ShellSyntaxError("syntax error: bad substitution");
      }
      return { type: "param", name, op: "length", quoted };
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[?#$!@*\-0-9])(:-|:=|:\+|-|=|\+)?/.exec(body);
    if (!m) throw new ShellSyntaxError("syntax error: bad substitution");
    const rest = body.slice(m[0].length);
    if (!m[2]) {
      if (rest !== "") throw new ShellSyntaxError("syntax error: bad substitution");
      return { type: "param", name: m[1], quoted };
    }
    const arg = this.nested(rest).word(true);
    return { type: "param", name: m[1], op: m[2] as ParamOp, arg: { ...arg, source: rest }, quoted };
  }

  private backquote(quoted: boolean): WordPart {
    let i = this.pos + 1;
    let source = "";
    while (i < this.src.length && this.src[i] !== "`") {
      if (this.src[i] === "\\" && "$`\\".includes(this.src[i + 1] ?? "")) {
        source += this.src[i + 1];
        i += 2;
        continue;
      }
      source += this.src[i];
      i++;
    }
    if (i >= this.src.length) throw new ShellSyntaxError("syntax error: EOF in backquote substitution");
    this.pos = i + 1;
    return { type: "subst", source, script: this.nested(source).script(), quoted };
  }

  private atWordStart(): boolean {
    return this.pos === 0 || /[\s|&;()<>]/.test(this.src[this.pos - 1]);
  }

  private skipComment(): void {
    while (this.pos < this.src.length && this.src[this.pos] !== "\n") this.pos++;
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === " " || c === "\t") this.pos++;
      else if (c === "\\" && this.src[this.pos + 1] === "\n") this.pos += 2;
      else if (c === "#" && this.atWordStart()) this.skipComment();
      else return;
    }
  }

  private skipSpaceAndNewlines(): void {
    for (;;) {
      this.skipSpace();
      if (this.src[this.pos] === "\n") this.pos++;
      else return;
    }
  }

  /** The operator at the cursor (after blanks), or null when a word starts there. */
  private peekOp(): Op | null {
    this.skipSpace();
    if (this.pos >= this.src.length) return "EOF";
    const two = this.src.slice(this.pos, this.pos + 2);
    if (two === "||" || two === "&&" || two === ";;") return two;
    const c = this.src[this.pos];
    if (c === "&" && this.src[this.pos + 1] === ">") {
      throw new ShellSyntaxError("redirection &> is not supported in the simulator");
    }
    if ("|&;\n()".includes(c)) return c as Op;
    return null;
  }

  private takeOp(op: Op): void {
    this.pos += op === "EOF" ? 0 : op.length;
  }

  private unexpected(op: Op): never {
    if (op === "EOF") throw new ShellSyntaxError("syntax error: unexpected end of file");
    if (op === "\n") throw new ShellSyntaxError("syntax error: unexpected newline");
    throw new ShellSyntaxError(`syntax error: unexpected "${op}"`);
  }
}

/** NAME=value at the start of a command: the prefix must be unquoted literal text. */
function asAssignment(word: Word, source: string): Assignment | null {
  const first = word.parts[0];
  if (first?.type !== "text" || first.quoted) return null;
  const eq = first.value.indexOf("=");
  if (eq <= 0) return null;
  const name = first.value.slice(0, eq);
  if (!NAME_RE.test(name) || !source.startsWith(`${name}=`)) return null;
  const rest = first.value.slice(eq + 1);
  const parts: WordPart[] = [];
  if (rest !== "") parts.push({ type: "text", value: rest, quoted: false });
  parts.push(...word.parts.slice(1));
  return { name, value: { parts, source: source.slice(eq + 1) } };
}

/** Index of the `)` closing a `$(` whose body starts at `from`, skipping quotes and nesting. */
function findClosingParen(src: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < src.length) {
    const c = src[i];
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError("syntax error: unterminated quoted string");
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') i += src[i] === "\\" ? 2 : 1;
      if (i >= src.length) throw new ShellSyntaxError("syntax error: unterminated quoted string");
      i++;
      continue;
    }
    if (c === "(") depth++;
    if (c === ")" && --depth === 0) return i;
    i++;
  }
  throw new ShellSyntaxError('syntax error: unexpected end of file (expecting ")")');
}

/** Index of the `}` closing a `${` whose body starts at `from` (nested ${...} allowed). */
function findBraceEnd(src: string, from: number): number {
  let i = from;
  let depth = 1;
  while (i < src.length) {
    const c = src[i];
    if (c === "}" && --depth === 0) break;
    if (c === "$" && src[i + 1] === "{") {
      depth++;
      i++;
    } else if (c === "\\") i++;
    else if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError("syntax error: unterminated quoted string");
      i = end;
    }
    i++;
  }
  if (i >= src.length) throw new ShellSyntaxError("syntax error: missing '}'");
  if (i === from) throw new ShellSyntaxError("syntax error: bad substitution");
  return i;
}
