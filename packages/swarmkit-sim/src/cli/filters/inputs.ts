// The inputs of a filter given file operands: each operand read through the host's reader, "-"
// standing for stdin, and stdin alone when there is no operand (as every GNU filter does).
import { type FileRead, type FileReader, NO_FILES } from "./types";

export interface Input {
  /** The operand as typed ("-" for stdin). */
  name: string;
  read: FileRead;
}

export function inputsOf(
  operands: readonly string[],
  stdin: string,
  readFile: FileReader = NO_FILES,
): Input[] {
  const names = operands.length === 0 ? ["-"] : operands;
  return names.map((name) => ({
    name,
    read: name === "-" ? { kind: "file", text: stdin } : readFile(name),
  }));
}
