// POSIX basic (grep) and extended (grep -E) regular expressions translated to JavaScript ones,
// including GNU's \| \+ \? in basic syntax, \< \> word anchors and [[:class:]] brackets.

const CLASSES: Record<string, string> = {
  alpha: "a-zA-Z",
  digit: "0-9",
  alnum: "a-zA-Z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  xdigit: "0-9A-Fa-f",
  cntrl: "\\x00-\\x1f\\x7f",
  print: " -~",
  graph: "!-~",
};

export class RegexError extends Error {}

/** Translates a bracket expression starting at src[i] === "["; returns [jsText, nextIndex]. */
function bracket(src: string, start: number): [string, number] {
  let i = start + 1;
  let out = "[";
  if (src[i] === "^") {
    out += "^";
    i++;
  }
  let first = true;
  while (i < src.length) {
    const c = src[i];
    if (c === "]" && !first) return [`${out}]`, i + 1];
    first = false;
    if (c === "[" && src[i + 1] === ":") {
      const end = src.indexOf(":]", i + 2);
      if (end < 0) throw new RegexError("Unmatched [, [^, [:, [., or [=");
      const name = src.slice(i + 2, end);
      const cls = CLASSES[name];
      if (cls === undefined) throw new RegexError("Invalid character class name");
      out += cls;
      i = end + 2;
      continue;
    }
    // Inside brackets a backslash is an ordinary character in POSIX.
    if (c === "\\" || c === "]" || c === "[") out += `\\${c}`;
    else out += c;
    i++;
  }
  throw new RegexError("Unmatched [, [^, [:, [., or [=");
}

/** Translates a POSIX pattern; `extended` selects ERE syntax. Throws RegexError. */
export function posixToJs(pattern: string, extended: boolean): string {
  let out = "";
  let depth = 0;
  // Positions where `*` is literal and `^` is an anchor in basic syntax.
  let atStart = true;
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    const wasStart = atStart;
    atStart = false;
    if (c === "[") {
      const [text, next] = bracket(pattern, i);
      out += text;
      i = next;
      continue;
    }
    if (c === "\\") {
      const n = pattern[i + 1];
      i += 2;
      if (n === undefined) throw new RegexError("Trailing backslash");
      if (!extended && n === "(") {
        depth++;
        out += "(";
        atStart = true;
      } else if (!extended && n === ")") {
        if (depth === 0) throw new RegexError("Unmatched ) or \\)");
        depth--;
        out += ")";
      } else if (!extended && n === "|") {
        out += "|";
        atStart = true;
      } else if (!extended && "{}+?".includes(n)) out += n;
      else if (n === "<") out += "\\b(?=\\w)";
      else if (n === ">") out += "\\b(?<=\\w)";
      else if ("wWsSbB".includes(n)) out += `\\${n}`;
      else if (/[0-9]/.test(n)) out += `\\${n}`;
      else out += /[A-Za-z0-9]/.test(n) ? n : `\\${n}`;
      continue;
    }
    i++;
    if (extended) {
      if (c === "(") {
        depth++;
        out += "(";
      } else if (c === ")") {
        if (depth === 0) throw new RegexError("Unmatched ) or \\)");
        depth--;
        out += ")";
      } else if (c === "{" && !/^\{\d+(,\d*)?\}/.test(pattern.slice(i - 1))) out += "\\{";
      else if (c === "}") out += /\{\d+(,\d*)?$/.test(pattern.slice(0, i - 1)) ? "}" : "\\}";
      else out += c === "/" ? "\\/" : c;
      continue;
    }
    // Basic syntax.
    if (c === "*" && wasStart) out += "\\*";
    else if (c === "^" && !wasStart) out += "\\^";
    else if (
      c === "$" &&
      !(i === pattern.length || pattern.startsWith("\\)", i) || pattern.startsWith("\\|", i))
    ) {
      out += "\\$";
    } else if ("(){}|+?/".includes(c)) out += `\\${c}`;
    else {
      out += c;
      if (c === "^") atStart = true;
    }
  }
  if (depth > 0) throw new RegexError("Unmatched ( or \\(");
  return out;
}

/** Escapes text for a literal (grep -F) match. */
export function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
