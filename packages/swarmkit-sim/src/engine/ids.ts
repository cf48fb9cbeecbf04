// Container and network IDs as Docker makes them: 32 random bytes in hex (64 characters),
// shown truncated to 12. Docker skips an ID whose 12-character short form is all digits,
// because the CLI would read it as a number (moby pkg/stringid). Our bytes come from a
// seeded stream, so IDs are reproducible.
import type { Random } from "../kernel/random";

export const SHORT_ID_LENGTH = 12;

export function newId(random: Random): string {
  for (;;) {
    const id = Buffer.from(random.bytes(32)).toString("hex");
    if (!/^\d+$/.test(id.slice(0, SHORT_ID_LENGTH))) return id;
  }
}

export function shortId(id: string): string {
  return id.slice(0, SHORT_ID_LENGTH);
}
