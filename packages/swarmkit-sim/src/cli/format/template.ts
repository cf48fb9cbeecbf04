// Go's text/template, the subset the Docker CLI's --format flags use: fields and methods
// ({{.A.B}}), pipelines ({{.Name | upper}}), if/else/range/with, variables, {{- -}} trimming,
// Go's builtins and the CLI's functions (json, join, split, lower, upper, title, pad, truncate),
// and Go's error texts. The pieces live in ./template/: lexer, parser, exec, values, json.
//
//   const t = GoTemplate.parse("{{.Swarm.NodeID}}");   // throws TemplateError on bad syntax
//   const { output, error } = t.execute(value);         // output so far, and the error if any
import type { ListNode } from "./template/ast";
import { executeTemplate, type ExecOptions, type ExecResult } from "./template/exec";
import { BUILTIN_FUNCTIONS, DOCKER_FUNCTIONS, type FunctionMap } from "./template/functions";
import { parseTemplate } from "./template/parser";
import type { GoValue } from "./template/values";

export { TemplateError } from "./template/parser";
export { HEADER_FUNCTIONS } from "./template/functions";
export { goJson, jsonString } from "./template/json";
export { formatValue, goTimeString, rfc3339Nano } from "./template/print";
export * from "./template/values";
export type { ExecResult } from "./template/exec";

/** The functions `templates.Parse` gives every Docker CLI template, on top of Go's builtins. */
export const TEMPLATE_FUNCTIONS: FunctionMap = { ...BUILTIN_FUNCTIONS, ...DOCKER_FUNCTIONS };

export class GoTemplate {
  private constructor(
    readonly source: string,
    private readonly root: ListNode,
    private readonly funcs: FunctionMap,
  ) {}

  /** Parses a template (Go's templates.Parse); throws TemplateError with Go's message. */
  static parse(source: string, funcs: FunctionMap = TEMPLATE_FUNCTIONS): GoTemplate {
    const root = parseTemplate(source, (name) => name in funcs);
    return new GoTemplate(source, root, funcs);
  }

  /** The same parsed template with some functions replaced (Go's tmpl.Funcs). */
  withFunctions(replacements: FunctionMap): GoTemplate {
    return new GoTemplate(this.source, this.root, { ...this.funcs, ...replacements });
  }

  execute(data: GoValue, opts: ExecOptions = {}): ExecResult {
    return executeTemplate(this.root, this.source, data, this.funcs, opts);
  }
}
