// Reading what Docker prints: `docker service ps` rows, `docker info` fields, and the tables of
// a line that ran several commands (`docker node ls; docker service ps web`).

export interface ServicePsRow {
  id: string;
  /** `web.1`; history rows (older tasks of a slot) have the same name and `history` set. */
  name: string;
  history: boolean;
  node: string;
  desiredState: string;
  /** `Running 8 seconds ago` */
  currentState: string;
}

/** `docker service ps` rows as objects, cut at the header's column positions. */
export function parseServicePs(out: string): ServicePsRow[] {
  const lines = out.split("\n").filter((l) => l.trim() !== "");
  if (lines.length === 0) return [];
  const header = lines[0];
  const at = (name: string) => header.indexOf(name);
  const [nm, im, nd, ds, cs, er] = [
    at("NAME"),
    at("IMAGE"),
    at("NODE"),
    at("DESIRED STATE"),
    at("CURRENT STATE"),
    at("ERROR"),
  ];
  const cut = (l: string, from: number, to: number) => l.slice(from, to).trim();
  return lines.slice(1).map((l) => {
    const name = cut(l, nm, im);
    return {
      id: cut(l, 0, nm),
      name: name.replace(/^\\_\s*/, ""),
      history: name.startsWith("\\_"),
      node: cut(l, nd, ds),
      desiredState: cut(l, ds, cs),
      currentState: cut(l, cs, er),
    };
  });
}

/** The output of several table commands, split where each table's `ID ...` header starts. */
export function splitTables(out: string): string[] {
  const tables: string[][] = [];
  for (const line of out.split("\n")) {
    if (line.startsWith("ID ")) tables.push([]);
    tables.at(-1)?.push(line);
  }
  return tables.map((t) => t.join("\n"));
}

/** A `Name: value` line of `docker info` ("" when absent, e.g. ClusterID on a worker). */
export function infoField(info: string, name: string): string {
  const m = new RegExp(`^\\s*${name}: (.*)$`, "m").exec(info);
  return m ? m[1].trim() : "";
}
