// Reading a compose file from text, as `docker compose` does before it acts: the file found
// in the working directory (compose.yaml, compose.yml, docker-compose.yaml,
// docker-compose.yml, in that order, then in the parent directories), its YAML parsed and
// its variables substituted, and the project named after its `name:` or its directory.
import { loadComposeDocument } from "../stack/compose-file";
import type { ComposeFile, ComposeService } from "./file";

/** The names compose v2 looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES = [
  "compose.yaml",
  "compose.yml",
  "docker-compose.yaml",
  "docker-compose.yml",
];

/** What the loader needs of a file system (the lab's file tree fits). */
export interface ComposeFiles {
  exists(path: string): boolean;
  isDir(path: string): boolean;
  readFile(path: string): string;
}

/** The compose file compose would use from `dir`: the first candidate there or above. */
export function findComposeFile(files: ComposeFiles, dir: string): string | undefined {
  for (let d = dir; ; d = d.slice(0, d.lastIndexOf("/")) || "/") {
    for (const name of COMPOSE_FILE_NAMES) {
      const p = d === "/" ? `/${name}` : `${d}/${name}`;
      if (files.exists(p) && !files.isDir(p)) return p;
    }
    if (d === "/") return undefined;
  }
}

/** Compose's project name rule: lower case, only [a-z0-9_-], starting with a letter or digit. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "")
    .replace(/^[_-]+/, "");
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function strings(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map(String);
  return [String(v)];
}

/** `command: a b` (a string is split on blanks, as compose's shell-words split does here). */
function words(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map(String);
  return String(v).split(/\s+/).filter(Boolean);
}

function environment(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const kv of v.map(String)) {
      const eq = kv.indexOf("=");
      if (eq > 0) out[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
  } else if (isObj(v)) for (const [k, x] of Object.entries(v)) out[k] = x === null ? "" : String(x);
  return out;
}

/** Long-syntax ports ({target, published}) in the short form the runtime reads. */
function ports(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.map((p) => {
    if (!isObj(p)) return String(p);
    const proto = p.protocol && p.protocol !== "tcp" ? `/${p.protocol}` : "";
    return p.published !== undefined ? `${p.published}:${p.target}${proto}` : `${p.target}${proto}`;
  });
}

/**
 * A compose file's text as the runtime's model. `projectDir` names the project when the file
 * has no `name:`; `env` is what variables are substituted from.
 */
export function parseComposeText(
  text: string,
  projectDir: string,
  env: Readonly<Record<string, string>> = {},
): ComposeFile {
  const doc = loadComposeDocument(text, env);
  const services: Record<string, ComposeService> = {};
  for (const [key, raw] of Object.entries(doc.services as Obj)) {
    if (!isObj(raw)) throw new Error(`services.${key} must be a mapping`);
    if (!raw.image && !raw.build)
      throw new Error(
        `service "${key}" has neither an image nor a build context specified: invalid compose project`,
      );
    const deploy = isObj(raw.deploy) ? raw.deploy : {};
    const s: ComposeService = {
      image: raw.image === undefined ? undefined : String(raw.image),
      // `build: ./rng` or `build: {context: rng}`: the context is what names the build.
      build: isObj(raw.build)
        ? String(raw.build.context ?? ".")
        : raw.build === undefined
          ? undefined
          : String(raw.build),
      ports: ports(raw.ports),
      volumes: strings(raw.volumes),
      command: words(raw.command),
      entrypoint: words(raw.entrypoint),
      environment: environment(raw.environment),
      scale:
        raw.scale !== undefined
          ? Number(raw.scale)
          : deploy.replicas !== undefined
            ? Number(deploy.replicas)
            : undefined,
      stop_grace_period: raw.stop_grace_period === undefined ? undefined : String(raw.stop_grace_period),
      stop_signal: raw.stop_signal === undefined ? undefined : String(raw.stop_signal),
      init: raw.init === undefined ? undefined : raw.init === true,
      container_name: raw.container_name === undefined ? undefined : String(raw.container_name),
    };
    for (const k of Object.keys(s) as (keyof ComposeService)[]) if (s[k] === undefined) delete s[k];
    services[key] = s;
  }
  const base = projectDir.replace(/\/+$/, "");
  const name = normalizeProjectName(
    doc.name !== undefined ? String(doc.name) : base.slice(base.lastIndexOf("/") + 1),
  );
  return { name: name || "default", services };
}

/** The build context a service names, as the key of the builds table ("./rng/" -> "rng"). */
export function buildKey(context: string): string {
  return context.replace(/^\.\//, "").replace(/\/+$/, "");
}
