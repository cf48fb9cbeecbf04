// The shape of a parsed shell line: what `sh` would run for the lab's one-line scripts.
// script   := and-or (";" | newline) ...
// and-or   := pipeline (("&&" | "||") pipeline)*
// pipeline := ["!"] command ("|" command)*
// command  := simple | for
// simple   := (NAME=value)* word* with redirections anywhere
// for      := "for" NAME ["in" word*] (";" | newline) "do" script "done"

/** One piece of a word; `quoted` pieces are never split into fields. */
export type WordPart =
  | { type: "text"; value: string; quoted: boolean }
  | { type: "param"; name: string; op?: ParamOp; arg?: Word; quoted: boolean }
  | { type: "subst"; source: string; script: Script; quoted: boolean };

/** ${name:-word} and friends; "length" is ${#name}. */
export type ParamOp = ":-" | "-" | ":=" | "=" | ":+" | "+" | "length";

export interface Word {
  parts: WordPart[];
  /** The word as written, for messages. */
  source: string;
}

export interface Assignment {
  name: string;
  value: Word;
}

/** Supported redirections: to /dev/null, and between stdout and stderr. */
export interface Redirect {
  fd: 1 | 2;
  /** ">" writes (">>" appends) to a file word; ">&" duplicates another descriptor. */
  op: ">" | ">>" | ">&";
  target: Word | 1 | 2;
}

export interface SimpleCommand {
  assignments: Assignment[];
  words: Word[];
  redirects: Redirect[];
}

/** `for NAME in WORDS; do BODY; done` (without `in`, the loop runs over no words: no "$@" here). */
export interface ForCommand {
  type: "for";
  name: string;
  words: Word[];
  body: Script;
}

export type Command = SimpleCommand | ForCommand;

export interface Pipeline {
  negated: boolean;
  commands: Command[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: "&&" | "||"; pipeline: Pipeline }[];
}

export interface Script {
  lists: AndOr[];
}
