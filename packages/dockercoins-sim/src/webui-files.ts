// The web UI's static files (what `files/` holds in the original: the page, its script, its
// style, and our small canvas chart), read once from src/webui-files/. The simulated webui
// serves them, and the cloned repository shows them under dockercoins/webui/files/.
import { readFileSync } from "node:fs";

export interface StaticFile {
  contentType: string;
  body: string;
}

const NAMES: Record<string, string> = {
  "index.html": "text/html; charset=UTF-8",
  "webui.css": "text/css; charset=UTF-8",
  "graph.js": "application/javascript; charset=UTF-8",
  "miner.js": "application/javascript; charset=UTF-8",
};

let files: ReadonlyMap<string, StaticFile> | undefined;

/** The files by name ("index.html", "miner.js", ...). */
export function webuiFiles(): ReadonlyMap<string, StaticFile> {
  if (!files) {
    const m = new Map<string, StaticFile>();
    for (const [name, contentType] of Object.entries(NAMES))
      m.set(name, {
        contentType,
        body: readFileSync(new URL(`./webui-files/${name}`, import.meta.url), "utf8"),
      });
    files = m;
  }
  return files;
}
