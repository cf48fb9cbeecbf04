// The interactive lab on node:readline, which the `swarm-sim lab` bin calls. On a terminal it
// shows the prompt of the current node; Ctrl-C cancels the line being typed, Ctrl-D leaves a
// nested shell (as `exit` does) or, at node1, the lab. With piped input it echoes each line
// after its prompt, so the output reads as a transcript.
import { type Interface, createInterface } from "node:readline";
import type { ScriptHost } from "./script";
import { terminalText } from "./types";

export interface ReplHost extends ScriptHost {
  /** Leaves the current nested shell (Ctrl-D); false when already at the outermost one. */
  leaveShell(): boolean;
}

export interface ReplOptions {
  /** Treat the input as a terminal (default: input.isTTY). */
  terminal?: boolean;
  /** Printed once before the first prompt. */
  banner?: string;
  /** Tab completion (see labCompleter). */
  completer?: (line: string) => [string[], string];
}

function withNewline(s: string): string {
  return s === "" || s.endsWith("\n") ? s : `${s}\n`;
}

/** Runs the lab until the input ends or `exit` leaves node1. */
export function startRepl(
  lab: ReplHost,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  options: ReplOptions = {},
): Promise<void> {
  const terminal = options.terminal ?? (input as { isTTY?: boolean }).isTTY === true;
  if (options.banner) output.write(withNewline(options.banner));
  return new Promise((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      resolve();
    };

    const runLine = (line: string): void => {
      output.write(terminalText(lab.run(line)));
    };

    if (!terminal) {
      // Piped input: a transcript, one prompt + echoed line + output per line.
      const rl = createInterface({ input, terminal: false });
      rl.on("line", (line) => {
        if (finished || lab.exited) return;
        output.write(`${lab.prompt()}${line}\n`);
        runLine(line);
        if (lab.exited) {
          rl.close();
          finish();
        }
      });
      rl.on("close", finish);
      return;
    }

    // Kept across the interfaces that Ctrl-D out of a nested shell replaces.
    let history: string[] = [];
    const open = (): Interface => {
      const rl = createInterface({
        input,
        output,
        terminal: true,
        prompt: lab.prompt(),
        history,
        completer: options.completer,
      });
      let closingOnPurpose = false;
      rl.on("line", (line) => {
        runLine(line);
        if (lab.exited) {
          closingOnPurpose = true;
          rl.close();
          finish();
          return;
        }
        rl.setPrompt(lab.prompt());
        rl.prompt();
      });
      rl.on("SIGINT", () => {
        // Ctrl-C: forget what was typed, show a fresh prompt (the lab's state is untouched).
        rl.write(null, { ctrl: true, name: "e" });
        rl.write(null, { ctrl: true, name: "u" });
        output.write("^C\n");
        rl.setPrompt(lab.prompt());
        rl.prompt();
      });
      rl.on("close", () => {
        history = (rl as unknown as { history?: string[] }).history ?? history;
        if (closingOnPurpose || finished) return;
        // Ctrl-D (or the end of the input): leave a nested shell, else the lab.
        output.write("exit\n");
        const ended = (input as { readableEnded?: boolean }).readableEnded === true;
        if (!ended && lab.leaveShell()) open();
        else finish();
      });
      rl.prompt();
      return rl;
    };
    open();
  });
}
