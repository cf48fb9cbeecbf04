// The template scanner: text, then actions between "{{" and "}}". It scans on demand, one token
// per call, so that a syntax error early in a template is reported before a scanning error
// further on (as Go's parser, which pulls tokens from its lexer, does). Trim markers ("{{- "
// and " -}}") cut the whitespace of the neighbouring text here.
import { goQuote } from "../../grammar/go-values";

export type TokenType =
  | "text"
  | "leftDelim"
  | "rightDelim"
  | "comment"
  | "field"
  | "identifier"
  | "variable"
  | "dot"
  | "string"
  | "rawString"
  | "charConstant"
  | "number"
  | "bool"
  | "nil"
  | "keyword"
  | "pipe"
  | "leftParen"
  | "rightParen"
  | "space"
  | "declare"
  | "assign"
  | "char"
  | "eof"
  | "error";

export interface Token {
  type: TokenType;
  value: string;
  /** Offset in the source (UTF-16 index; converted to Go's byte offset for messages). */
  pos: number;
  /** 1-based line where the token starts. */
  line: number;
}

const KEYWORDS = new Set([
  "block",
  "break",
  "continue",
  "define",
  "else",
  "end",
  "if",
  "range",
  "template",
  "with",
]);

const LEFT = "{{";
const RIGHT = "}}";

const isSpace = (c: string) => c === " " || c === "\t" || c === "\r" || c === "\n";
const isAlphaNumeric = (c: string) => c === "_" || /^[\p{L}\p{Nd}]$/u.test(c);

export class Lexer {
  private pos = 0;
  private inAction = false;
  private parenDepth = 0;
  /** Set by a " -}}": the next text starts after its leading whitespace. */
  private trimNextText = false;
  private done = false;

  constructor(private readonly src: string) {}

  next(): Token {
    if (this.done) return this.token("eof", "", this.pos);
    return this.inAction ? this.insideAction() : this.text();
  }

  private token(type: TokenType, value: string, pos: number, line = this.lineAt(pos)): Token {
    return { type, value, pos, line };
  }

  private lineAt(pos: number): number {
    let n = 1;
    for (let i = 0; i < pos && i < this.src.length; i++) if (this.src[i] === "\n") n++;
    return n;
  }

  private error(message: string, pos: number): Token {
    this.done = true;
    return this.token("error", message, pos);
  }

  private text(): Token {
    let start = this.pos;
    if (this.trimNextText) {
      this.trimNextText = false;
      while (start < this.src.length && isSpace(this.src[start])) start++;
      this.pos = start;
    }
    const at = this.src.indexOf(LEFT, start);
    const end = at < 0 ? this.src.length : at;
    let textEnd = end;
    if (at >= 0 && this.hasLeftTrim(at + LEFT.length)) {
      while (textEnd > start && isSpace(this.src[textEnd - 1])) textEnd--;
    }
    this.pos = end;
    if (textEnd > start) return this.token("text", this.src.slice(start, textEnd), start);
    if (at < 0) {
      this.done = true;
      return this.token("eof", "", this.src.length);
    }
    return this.leftDelim();
  }

  private hasLeftTrim(i: number): boolean {
    return this.src[i] === "-" && i + 1 < this.src.length && isSpace(this.src[i + 1]);
  }

  /** At " -}}" (a right delimiter with its trim marker)? */
  private atRightTrim(i: number): boolean {
    return isSpace(this.src[i] ?? "") && this.src[i + 1] === "-" && this.src.startsWith(RIGHT, i + 2);
  }

  private leftDelim(): Token {
    const start = this.pos;
    this.pos += LEFT.length;
    const trim = this.hasLeftTrim(this.pos);
    if (trim) this.pos += 2;
    if (this.src.startsWith("/*", this.pos)) return this.comment(start);
    this.inAction = true;
    this.parenDepth = 0;
    return this.token("leftDelim", LEFT, start);
  }

  private comment(start: number): Token {
    const close = this.src.indexOf("*/", this.pos + 2);
    if (close < 0) return this.error("unclosed comment", start);
    this.pos = close + 2;
    if (this.atRightTrim(this.pos)) {
      this.pos += 2;
      this.trimNextText = true;
    }
    if (!this.src.startsWith(RIGHT, this.pos))
      return this.error("comment ends before closing delimiter", start);
    this.pos += RIGHT.length;
    return this.token("comment", this.src.slice(start, this.pos), start);
  }

  private rightDelim(): Token {
    if (this.atRightTrim(this.pos)) {
      this.pos += 2;
      this.trimNextText = true;
    }
    const start = this.pos;
    this.pos += RIGHT.length;
    this.inAction = false;
    return this.token("rightDelim", RIGHT, start);
  }

  private insideAction(): Token {
    if (this.src.startsWith(RIGHT, this.pos) || this.atRightTrim(this.pos)) {
      if (this.parenDepth === 0) return this.rightDelim();
      return this.error("unclosed left paren", this.pos);
    }
    const start = this.pos;
    const c = this.src[this.pos];
    if (c === undefined) return this.error("unclosed action", start);
    if (isSpace(c)) return this.space();
    this.pos++;
    switch (c) {
      case "=":
        return this.token("assign", "=", start);
      case ":":
        if (this.src[this.pos] !== "=") return this.error("expected :=", start);
        this.pos++;
        return this.token("declare", ":=", start);
      case "|":
        return this.token("pipe", "|", start);
      case "(":
        this.parenDepth++;
        return this.token("leftParen", "(", start);
      case ")":
        this.parenDepth--;
        if (this.parenDepth < 0) return this.error("unexpected right paren", start);
        return this.token("rightParen", ")", start);
      case '"':
        return this.quote(start);
      case "`":
        return this.rawQuote(start);
      case "'":
        return this.charConstant(start);
      case "$":
        return this.fieldOrVariable(start, "variable");
      case ".": {
        const n = this.src[this.pos];
        if (n === undefined || n < "0" || n > "9") return this.fieldOrVariable(start, "field");
        this.pos = start;
        return this.number(start);
      }
    }
    if (c === "+" || c === "-" || (c >= "0" && c <= "9")) {
      this.pos = start;
      return this.number(start);
    }
    if (isAlphaNumeric(this.codePointAt(start))) {
      this.pos = start;
      return this.identifier(start);
    }
    if (c.charCodeAt(0) < 0x7f && c.charCodeAt(0) >= 0x20) return this.token("char", c, start);
    const cp = this.codePointAt(start);
    this.pos = start + cp.length;
    return this.error(`unrecognized character in action: ${goRune(cp)}`, start);
  }

  private codePointAt(i: number): string {
    return String.fromCodePoint(this.src.codePointAt(i) ?? 0);
  }

  private space(): Token {
    const start = this.pos;
    while (this.pos < this.src.length && isSpace(this.src[this.pos])) {
      // A single space before "-}}" belongs to the trim marker.
      if (this.atRightTrim(this.pos)) break;
      this.pos++;
    }
    if (this.pos === start) return this.rightDelim();
    return this.token("space", this.src.slice(start, this.pos), start);
  }

  /** After an identifier or field: a space, the end of the action, or punctuation. */
  private atTerminator(): boolean {
    const c = this.src[this.pos];
    if (c === undefined || isSpace(c)) return true;
    if (".,|:()".includes(c)) return true;
    return this.src.startsWith(RIGHT, this.pos);
  }

  private scanAlphaNumeric(): void {
    while (this.pos < this.src.length) {
      const ch = this.codePointAt(this.pos);
      if (!isAlphaNumeric(ch)) break;
      this.pos += ch.length;
    }
  }

  private badCharacter(start: number): Token {
    return this.error(`bad character ${goRune(this.codePointAt(this.pos))}`, start);
  }

  private identifier(start: number): Token {
    this.scanAlphaNumeric();
    if (!this.atTerminator()) return this.badCharacter(start);
    const word = this.src.slice(start, this.pos);
    if (KEYWORDS.has(word)) return this.token("keyword", word, start);
    if (word === "nil") return this.token("nil", word, start);
    if (word === "true" || word === "false") return this.token("bool", word, start);
    return this.token("identifier", word, start);
  }

  private fieldOrVariable(start: number, type: "field" | "variable"): Token {
    if (this.atTerminator()) return this.token(type === "field" ? "dot" : "variable", this.src[start], start);
    this.scanAlphaNumeric();
    if (!this.atTerminator()) return this.badCharacter(start);
    return this.token(type, this.src.slice(start, this.pos), start);
  }

  private number(start: number): Token {
    if (!this.scanNumber())
      return this.error(`bad number syntax: ${goQuote(this.src.slice(start, this.pos))}`, start);
    const sign = this.src[this.pos];
    if (sign === "+" || sign === "-") {
      // A complex constant (1+2i): not supported by this engine, reported as Go reports a bad one.
      this.scanNumber();
      return this.error(`bad number syntax: ${goQuote(this.src.slice(start, this.pos))}`, start);
    }
    return this.token("number", this.src.slice(start, this.pos), start);
  }

  private accept(valid: string): boolean {
    const c = this.src[this.pos];
    if (c !== undefined && valid.includes(c)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private acceptRun(valid: string): void {
    while (this.accept(valid)) {}
  }

  private scanNumber(): boolean {
    this.accept("+-");
    let digits = "0123456789_";
    if (this.accept("0")) {
      if (this.accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (this.accept("oO")) digits = "01234567_";
      else if (this.accept("bB")) digits = "01_";
    }
    this.acceptRun(digits);
    if (this.accept(".")) this.acceptRun(digits);
    if (digits.length === 11 && this.accept("eE")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    if (digits.length === 23 && this.accept("pP")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    this.accept("i");
    const c = this.src[this.pos];
    if (c !== undefined && isAlphaNumeric(c)) {
      this.pos++;
      return false;
    }
    return true;
  }

  private quote(start: number): Token {
    if (!this.scanQuoted('"')) return this.error("unterminated quoted string", start);
    return this.token("string", this.src.slice(start, this.pos), start);
  }

  /** Scans to the closing quote, over backslash escapes; false at a newline or the end. */
  private scanQuoted(quote: string): boolean {
    for (;;) {
      const c = this.src[this.pos++];
      if (c === undefined || c === "\n") return false;
      if (c === "\\") {
        const n = this.src[this.pos++];
        if (n === undefined || n === "\n") return false;
        continue;
      }
      if (c === quote) return true;
    }
  }

  private rawQuote(start: number): Token {
    const close = this.src.indexOf("`", this.pos);
    if (close < 0) return this.error("unterminated raw quoted string", start);
    this.pos = close + 1;
    return this.token("rawString", this.src.slice(start, this.pos), start);
  }

  private charConstant(start: number): Token {
    if (!this.scanQuoted("'")) return this.error("unterminated character constant", start);
    return this.token("charConstant", this.src.slice(start, this.pos), start);
  }
}

/** Go's %#U: "U+007D '}'". */
export function goRune(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, "0");
  return cp >= 0x20 && cp !== 0x7f ? `U+${hex} '${ch}'` : `U+${hex}`;
}
