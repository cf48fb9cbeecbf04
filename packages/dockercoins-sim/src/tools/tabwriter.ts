// Tables as the Docker CLI lays them out: Go's text/tabwriter with minwidth 10, tabwidth 1,
// padding 3, padding with spaces. Every cell but a row's last is padded to its column's
// width (the widest cell plus the padding, at least the minimum width); the last cell is
// written as is.

export interface TabwriterOptions {
  minWidth?: number;
  padding?: number;
}

export function tabwrite(rows: readonly (readonly string[])[], opts: TabwriterOptions = {}): string {
  const minWidth = opts.minWidth ?? 10;
  const padding = opts.padding ?? 3;
  const widths: number[] = [];
  for (const row of rows) {
    for (let j = 0; j < row.length - 1; j++) {
      const w = Math.max(minWidth, [...row[j]].length + padding);
      if (!(widths[j] >= w)) widths[j] = w;
    }
  }
  return rows
    .map((row) =>
      row
        .map((cell, j) => (j < row.length - 1 ? cell + " ".repeat(widths[j] - [...cell].length) : cell))
        .join(""),
    )
    .map((line) => `${line}\n`)
    .join("");
}
