// docs/ARCHITECTURE.md is the map of the code; these checks keep it true: every relative link
// points at a file or folder that exists, every docker command the handlers' tables register
// has a row that links the file defining its handler, and every command of the lab's own plugin
// is named on the page.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  composeCommandHandlers,
  containerCommandHandlers,
  execCommandHandlers,
  networkCommandHandlers,
  serviceCommandHandlers,
  swarmCommandHandlers,
} from "../src/docker/register";
import { Lab } from "../src/lab";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const PAGE = join(ROOT, "docs/ARCHITECTURE.md");
const DOCKER_DIR = join(ROOT, "packages/swarmkit-sim/src/docker");
const text = readFileSync(PAGE, "utf8");

/** Markdown links [label](target) whose target is not a URL or an anchor. */
function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith("#"));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** Each function exported by a docker/ module, to the page's link of the file that defines it. */
async function definingFiles(): Promise<Map<unknown, string>> {
  const files = new Map<unknown, string>();
  // An index.ts re-exports what other files define: those files are read first, and the first
  // file that exports a function is taken as its home.
  const isIndex = (p: string) => p.endsWith("/index.ts");
  const paths = sourceFiles(DOCKER_DIR).sort((a, b) => Number(isIndex(a)) - Number(isIndex(b)));
  for (const path of paths) {
    const mod = (await import(path)) as Record<string, unknown>;
    for (const value of Object.values(mod))
      if (typeof value === "function" && !files.has(value)) files.set(value, relative(dirname(PAGE), path));
  }
  return files;
}

/** How the page names a registered command path: `docker ps` for container ls, and so on. */
function commandName(path: readonly string[]): string {
  if (path[0] !== "container") return `docker ${path.join(" ")}`;
  return path[1] === "ls" ? "docker ps" : `docker ${path[1]}`;
}

/** The page's table row naming `docker X` in backticks, or undefined. */
function rowFor(command: string): string | undefined {
  return text
    .split("\n")
    .find((line) => line.startsWith("|") && line.split("|")[1]?.includes(`\`${command}\``));
}

describe("docs/ARCHITECTURE.md", () => {
  it("links only files and folders that exist", () => {
    const links = relativeLinks(text);
    expect(links.length).toBeGreaterThan(40);
    const missing = links.filter((l) => !existsSync(resolve(dirname(PAGE), l.split("#")[0])));
    expect(missing).toEqual([]);
  });

  it("has a row for every docker command, linking the file that defines its handler", async () => {
    const files = await definingFiles();
    const tables = [
      swarmCommandHandlers,
      serviceCommandHandlers,
      containerCommandHandlers,
      execCommandHandlers,
      networkCommandHandlers,
      composeCommandHandlers,
    ];
    const problems: string[] = [];
    let checked = 0;
    for (const table of tables)
      for (const [path, handler] of table) {
        const command = commandName(path);
        const file = files.get(handler);
        if (!file) {
          problems.push(`${command}: its handler is not exported by a module of src/docker`);
          continue;
        }
        const row = rowFor(command);
        if (!row) problems.push(`${command}: no row on the page`);
        else if (!row.includes(`](${file})`)) problems.push(`${command}: its row does not link ${file}`);
        checked++;
      }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it("names every command of the lab's own plugin", () => {
    const lab = new Lab({ seed: 1 });
    const names = lab.host.shellCommands().map((c) => c.name);
    expect(names.length).toBeGreaterThan(15);
    const missing = names.filter((n) => !text.includes(`\`${n}\``));
    expect(missing).toEqual([]);
  });

  it("fails on a link to a file that does not exist and on a command without its row", () => {
    expect(relativeLinks("see [x](../nowhere.ts) and [y](https://docs.docker.com)")).toEqual([
      "../nowhere.ts",
    ]);
    expect(existsSync(resolve(dirname(PAGE), "../nowhere.ts"))).toBe(false);
    expect(rowFor("docker frobnicate")).toBeUndefined();
    expect(commandName(["container", "ls"])).toBe("docker ps");
  });
});
