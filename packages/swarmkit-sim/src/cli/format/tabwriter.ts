// Go's text/tabwriter (elastic tabstops) as the Docker CLI configures it for every table it
// prints: tabwriter.NewWriter(out, minwidth 10, tabwidth 1, padding 3, ' ', 0)
// (cli/command/formatter/formatter.go). Cells are tab-terminated; the text after the last tab
// of a line is not part of any column and is written as is. A line without any tab ends the
// current block of columns, exactly as the Go writer flushes on such a line.
import { displayWidth } from "./width";

export interface TabwriterOptions {
  /** Minimal column width including padding (Docker: 10). */
  minwidth?: number;
  /** Added to the widest cell of a column (Docker: 3). */
  padding?: number;
  /** Character used for padding (Docker: a space). */
  padchar?: string;
}

interface Cell {
  text: string;
  width: number;
}

type Line = Cell[];

/** Every table the Docker CLI prints through its formatter (node ls, service ls/ps, ps, stats...). */
export const DOCKER_TABLE: TabwriterOptions = { minwidth: 10, padding: 3 };
/** `docker version` (system/version.go). */
export const VERSION_TABLE: TabwriterOptions = { minwidth: 20, padding: 1 };
/** `docker top` (container/top.go). */
export const TOP_TABLE: TabwriterOptions = { minwidth: 20, padding: 3 };

/** Aligns text whose columns are separated by tabs; returns it with the same line breaks. */
export function tabwriteText(text: string, options: TabwriterOptions = {}): string {
  const minwidth = options.minwidth ?? 10;
  const padding = options.padding ?? 3;
  const padchar = options.padchar ?? " ";
  const rawLines = text.split("\n");
  const out: string[] = [];
  let block: Line[] = [];
  const flush = () => {
    if (block.length > 0) for (const l of formatBlock(block, minwidth, padding, padchar)) out.push(l);
    block = [];
  };
  for (const raw of rawLines) {
    const cells = raw.split("\t").map((t) => ({ text: t, width: displayWidth(t) }));
    block.push(cells);
    // A single-cell line cannot continue any column, so the Go writer formats what it has.
    if (cells.length === 1) flush();
  }
  flush();
  return out.join("\n");
}

/** Aligns rows of cells; every row ends with a newline, as the Docker CLI's tables do. */
export function tabwriter(rows: readonly (readonly string[])[], options: TabwriterOptions = {}): string {
  if (rows.length === 0) return "";
  return tabwriteText(`${rows.map((r) => r.join("\t")).join("\n")}\n`, options);
}

function formatBlock(lines: Line[], minwidth: number, padding: number, padchar: string): string[] {
  const widths: number[] = [];
  const rendered: string[] = new Array(lines.length);
  // Column `column` spans a run of consecutive lines that have a tab-terminated cell there; its
  // width is fixed per run, and runs of deeper columns nest inside it (the elastic rule).
  const layout = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    let i = line0;
    while (i < line1) {
      if (column >= lines[i].length - 1) {
        i++;
        continue;
      }
      writeLines(start, i);
      start = i;
      let width = minwidth;
      for (; i < line1 && column < lines[i].length - 1; i++) {
        width = Math.max(width, lines[i][column].width + padding);
      }
      widths.push(width);
      layout(start, i);
      widths.pop();
      start = i;
    }
    writeLines(start, line1);
  };
  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      if (rendered[i] !== undefined) continue;
      let s = "";
      const line = lines[i];
      for (let j = 0; j < line.length; j++) {
        const cell = line[j];
        s += cell.text;
        if (j < line.length - 1 && j < widths.length)
          s += padchar.repeat(Math.max(0, widths[j] - cell.width));
      }
      rendered[i] = s;
    }
  };
  layout(0, lines.length);
  return rendered;
}
