// cat copies stdin or files; echo prints its arguments; true and false only set the exit status.
import { inputsOf } from "./inputs";
import { done, type Filter, FilterOutput, failed, readError } from "./types";

export const cat: Filter = (argv, stdin, readFile) => {
  const bad = argv.find((a) => a.startsWith("-") && a !== "-");
  if (bad) {
    const opt = bad.startsWith("--") ? `unrecognized option '${bad}'` : `invalid option -- '${bad[1]}'`;
    return failed(`cat: ${opt}\nTry 'cat --help' for more information.`, 1);
  }
  const o = new FilterOutput();
  let status = 0;
  for (const { name, read } of inputsOf(argv, stdin, readFile)) {
    if (read.kind === "file") o.out(read.text);
    else {
      o.err(`cat: ${name}: ${readError(read)}\n`);
      status = 1;
    }
  }
  return o.result(status);
};

/** echo with sh's -n (no newline) and -e (interpret \n, \t, \\ escapes). */
export const echo: Filter = (argv) => {
  let i = 0;
  let newline = true;
  let escapes = false;
  while (i < argv.length && /^-[ne]+$/.test(argv[i])) {
    if (argv[i].includes("n")) newline = false;
    if (argv[i].includes("e")) escapes = true;
    i++;
  }
  let text = argv.slice(i).join(" ");
  if (escapes) {
    text = text.replace(/\\([nt\\])/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : "\\"));
  }
  return done(newline ? `${text}\n` : text);
};

export const trueCmd: Filter = () => done("");
export const falseCmd: Filter = () => done("", 1);
