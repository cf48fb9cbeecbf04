// Small text helpers the Docker CLI applies to its columns.
import { displayWidth, runeWidth } from "./width";

/** formatter.PrettyPrint: first letter upper case, the rest lower case ("READY" -> "Ready"). */
export function prettyPrint(value: string): string {
  if (value.length === 0) return value;
  return value[0].toUpperCase() + value.slice(1).toLowerCase();
}

/** stringid.TruncateID: strips an "algo:" prefix and keeps the first 12 characters. */
export function truncateId(id: string): string {
  const colon = id.indexOf(":");
  const bare = colon >= 0 ? id.slice(colon + 1) : id;
  return bare.length > 12 ? bare.slice(0, 12) : bare;
}

/**
 * formatter.Ellipsis: cuts text to at most maxWidth display columns, ending in "…" when cut
 * (task errors are cut to 30). A width of 1 keeps just the first character, as the CLI does.
 */
export function ellipsis(text: string, maxWidth: number): string {
  if (maxWidth <= 0) return "";
  const chars = [...text];
  if (maxWidth === 1) return chars[0] ?? "";
  if (displayWidth(text) <= maxWidth) return text;
  let width = 0;
  let kept = "";
  for (const ch of chars) {
    const w = runeWidth(ch.codePointAt(0)!);
    if (width + w > maxWidth - 1) break;
    width += w;
    kept += ch;
  }
  return `${kept}…`;
}
