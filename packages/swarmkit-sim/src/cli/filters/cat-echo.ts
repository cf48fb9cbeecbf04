// cat copies stdin (the lab has no files to read); echo prints its arguments; true and false
// only set the exit status.
import { done, type Filter, failed } from "./types";

export const cat: Filter = (argv, stdin) => {
  let out = "";
  let errors = "";
  const operands = argv.filter((a) => a === "-" || !a.startsWith("-"));
  const bad = argv.find((a) => a.startsWith("-") && a !== "-");
  if (bad) {
    const opt = bad.startsWith("--") ? `unrecognized option '${bad}'` : `invalid option -- '${bad[1]}'`;
    return failed(`cat: ${opt}\nTry 'cat --help' for more information.`, 1);
  }
  if (operands.length === 0) return done(stdin);
  for (const f of operands) {
    if (f === "-") out += stdin;
    else errors += `cat: ${f}: No such file or directory\n`;
  }
  return { stdout: out, stderr: errors, exitCode: errors ? 1 : 0 };
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
