// The Docker CLI's usage-error texts. "modern" is Docker 28 and later (checked against the
// docker 28.2.2 binary); "classic" is Docker 27 and earlier (cli/required.go and cli/cobra.go
// of v27.5.1). The Compose plugin prints flag errors bare and exits 1.
import { goQuote } from "./go-values";
import { helpText } from "./help";
import type { CommandNode } from "./tree";
import { hasSubCommands, useLine } from "./tree";
import type { ArgsRule } from "./types";

export type CliStyle = "modern" | "classic";

export interface UsageError {
  message: string;
  exitCode: number;
}

const plural = (n: number) => (n === 1 ? "argument" : "arguments");

function rootName(node: CommandNode): string {
  let n = node;
  while (n.parent) n = n.parent;
  return n.name;
}

function isCompose(node: CommandNode): boolean {
  return node.spec.family === "compose";
}

/** cobra's FlagErrorFunc, as the Docker CLI (exit 125) or Compose (exit 1) sets it. */
export function flagError(node: CommandNode, err: string, style: CliStyle): UsageError {
  if (isCompose(node)) return { message: err, exitCode: 1 };
  if (style === "modern") {
    return {
      message: `${err}\n\nUsage:  ${useLine(node)}\n\nRun '${node.commandPath} --help' for more information`,
      exitCode: 125,
    };
  }
  const usage = hasSubCommands(node) ? `\n\n${helpText(node).replace(/^\n/, "")}` : "";
  return { message: `${err}\nSee '${node.commandPath} --help'.${usage}`, exitCode: 125 };
}

/** The argument-count check (cli/required.go); undefined when the count is fine. */
export function argsError(
  node: CommandNode,
  rule: ArgsRule,
  args: readonly string[],
  style: CliStyle,
): UsageError | undefined {
  const n = args.length;
  if (isCompose(node)) return composeArgsError(node, rule, args);
  const path = node.commandPath;
  const use = useLine(node);
  const bin = rootName(node);
  const modern = style === "modern";
  const tail = (verb: "Run" | "See") => `\n\nUsage:  ${use}\n\n${verb} '${path} --help' for more information`;
  const classic = (what: string) => ({
    message: `${goQuote(path)} ${what}.\nSee '${path} --help'.\n\nUsage:  ${use}\n\n${node.spec.short}`,
    exitCode: 1,
  });
  switch (rule.kind) {
    case "any":
      return undefined;
    case "none":
      if (n === 0) return undefined;
      if (hasSubCommands(node)) return undefined; // reported as an unknown sub-command
      return modern
        ? { message: `${bin}: '${path}' accepts no arguments${tail("Run")}`, exitCode: 1 }
        : classic("accepts no arguments");
    case "exact":
      if (n === rule.n) return undefined;
      return modern
        ? { message: `${bin}: '${path}' requires ${rule.n} ${plural(rule.n)}${tail("Run")}`, exitCode: 1 }
        : classic(`requires exactly ${rule.n} ${plural(rule.n)}`);
    case "min":
      if (n >= rule.n) return undefined;
      return modern
        ? {
            message: `${bin}: '${path}' requires at least ${rule.n} ${plural(rule.n)}${tail("See")}`,
            exitCode: 1,
          }
        : classic(`requires at least ${rule.n} ${plural(rule.n)}`);
    case "max":
      if (n <= rule.n) return undefined;
      return modern
        ? {
            message: `${bin}: '${path}' requires at most ${rule.n} ${plural(rule.n)}${tail("Run")}`,
            exitCode: 1,
          }
        : classic(`requires at most ${rule.n} ${plural(rule.n)}`);
    case "range":
      if (n >= rule.min && n <= rule.max) return undefined;
      return modern
        ? {
            message: `${bin}: '${path}' requires at least ${rule.min} and at most ${rule.max} ${plural(rule.max)}${tail("Run")}`,
            exitCode: 1,
          }
        : classic(`requires at least ${rule.min} and at most ${rule.max} ${plural(rule.max)}`);
  }
}

/** Compose uses cobra's own validators (cobra.NoArgs, cobra.MinimumNArgs): bare texts, exit 1. */
function composeArgsError(
  node: CommandNode,
  rule: ArgsRule,
  args: readonly string[],
): UsageError | undefined {
  if (rule.kind === "none" && args.length > 0) {
    return { message: `unknown command ${goQuote(args[0])} for ${goQuote(node.commandPath)}`, exitCode: 1 };
  }
  if (rule.kind === "min" && args.length < rule.n) {
    return { message: `requires at least ${rule.n} arg(s), only received ${args.length}`, exitCode: 1 };
  }
  return undefined;
}

/** `docker swarm foo`: a management command given an unknown sub-command. */
export function unknownSubcommand(node: CommandNode, word: string, style: CliStyle): UsageError {
  if (style === "modern") {
    return {
      message: `${rootName(node)}: unknown command: ${node.commandPath} ${word}\n\nUsage:  ${useLine(node)}\n\nRun '${node.commandPath} --help' for more information`,
      exitCode: 1,
    };
  }
  return { message: `\n${helpText(node).replace(/^\n/, "").trimEnd()}`, exitCode: 1 };
}

/** `docker foo`. */
export function unknownCommand(word: string, style: CliStyle): UsageError {
  return style === "modern"
    ? {
        message: `docker: unknown command: docker ${word}\n\nRun 'docker --help' for more information`,
        exitCode: 1,
      }
    : { message: `docker: '${word}' is not a docker command.\nSee 'docker --help'`, exitCode: 1 };
}

/** `docker compose foo`: Compose prints its help on stdout, then this. */
export function unknownComposeCommand(word: string): UsageError {
  return { message: `unknown docker command: ${goQuote(`compose ${word}`)}`, exitCode: 1 };
}

/** A Docker command the simulator does not model. */
export function notSupported(commandPath: string): UsageError {
  return { message: `swarm-sim: '${commandPath}' is not supported in the simulator`, exitCode: 1 };
}
