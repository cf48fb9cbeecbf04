// Word expansion as sh does it for the lab: parameters ($VAR, ${VAR}, ${VAR:-word}, ${#VAR},
// $?), command substitution ($(...) and `...`, trailing newlines removed) and field splitting of
// unquoted expansion results on blanks. No globbing, tilde or arithmetic expansion.
import type { Script, Word, WordPart } from "./ast";

export interface ExpandEnv {
  /** A variable's value, or undefined when unset (special parameters such as "?" included). */
  lookup(name: string): string | undefined;
  /** ${name:=word} assigns. */
  assign(name: string, value: string): void;
  /** Runs a substituted script and returns its standard output. */
  substitute(script: Script, source: string): string;
}

const BLANKS = /[ \t\n]+/;

/** Expands words into fields (what the command receives as argv). */
export function expandWords(words: readonly Word[], env: ExpandEnv): string[] {
  const fields: string[] = [];
  for (const w of words) fields.push(...expandToFields(w, env));
  return fields;
}

/** Expands a word into one string, without field splitting (assignments, redirect targets). */
export function expandWord(word: Word, env: ExpandEnv): string {
  let out = "";
  for (const part of word.parts) out += partValue(part, env);
  return out;
}

function expandToFields(word: Word, env: ExpandEnv): string[] {
  const fields: string[] = [];
  let cur = "";
  let has = false;
  for (const part of word.parts) {
    const value = partValue(part, env);
    if (part.type === "text" || part.quoted) {
      cur += value;
      if (part.quoted || value !== "") has = true;
      continue;
    }
    // An unquoted expansion: its blanks separate fields.
    if (value === "") continue;
    if (/^[ \t\n]/.test(value) && has) {
      fields.push(cur);
      cur = "";
      has = false;
    }
    const tokens = value.split(BLANKS).filter((t) => t !== "");
    tokens.forEach((t, i) => {
      if (i > 0) {
        fields.push(cur);
        cur = "";
      }
      cur += t;
      has = true;
    });
    if (/[ \t\n]$/.test(value) && tokens.length > 0) {
      fields.push(cur);
      cur = "";
      has = false;
    }
  }
  if (has) fields.push(cur);
  return fields;
}

function partValue(part: WordPart, env: ExpandEnv): string {
  switch (part.type) {
    case "text":
      return part.value;
    case "subst":
      return env.substitute(part.script, part.source).replace(/\n+$/, "");
    case "param":
      return paramValue(part, env);
  }
}

function paramValue(part: Extract<WordPart, { type: "param" }>, env: ExpandEnv): string {
  const value = env.lookup(part.name);
  const arg = () => (part.arg ? expandWord(part.arg, env) : "");
  switch (part.op) {
    case undefined:
      return value ?? "";
    case "length":
      return String([...(value ?? "")].length);
    case ":-":
      return value === undefined || value === "" ? arg() : value;
    case "-":
      return value === undefined ? arg() : value;
    case ":=":
    case "=": {
      const unset = part.op === ":=" ? value === undefined || value === "" : value === undefined;
      if (!unset) return value!;
      const v = arg();
      env.assign(part.name, v);
      return v;
    }
    case ":+":
      return value === undefined || value === "" ? "" : arg();
    case "+":
      return value === undefined ? "" : arg();
  }
}
