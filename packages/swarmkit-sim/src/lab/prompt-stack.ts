// One terminal's prompt stack: node1's shell at the bottom, and one shell more for every
// `docker exec -it NODE sh` typed in it; `exit` or Ctrl-D pops one. A transcript has one stack
// (the world's); a live lab has one per terminal, so that several terminals share one world
// and each has its own nodes and directories, as several windows on one laptop do.
//
// Leaving the outermost shell ends the lab. What that means is the stack's end policy: a
// transcript ends at once ("end"); a live terminal asks first ("ask": the stack waits in
// "confirming" until the user answers, see confirmEnd / cancelEnd), because the whole cluster
// lives in this process and is lost with it.
import type { LabNode, Shell, ShellStack } from "./node";
import { newShell } from "./node";

/** open: shells run lines; confirming: `exit` at node1 asked whether to end; ended: the lab is over. */
export type PromptStackState = "open" | "confirming" | "ended";

export type EndPolicy = "end" | "ask";

const TRANSITIONS: Record<PromptStackState, readonly PromptStackState[]> = {
  open: ["confirming", "ended"],
  confirming: ["open", "ended"],
  ended: [],
};

export class PromptStack implements ShellStack {
  private readonly shells: Shell[] = [];
  private stateNow: PromptStackState = "open";

  constructor(
    root: LabNode,
    /** What leaving the outermost shell does (see the header). */
    public endPolicy: EndPolicy = "end",
  ) {
    this.shells.push(newShell(root, true, this));
  }

  get state(): PromptStackState {
    return this.stateNow;
  }

  private moveTo(next: PromptStackState): void {
    if (!TRANSITIONS[this.stateNow].includes(next))
      throw new Error(`PromptStack: cannot go from ${this.stateNow} to ${next}`);
    this.stateNow = next;
  }

  /** The shell at the top of the stack (where the next line runs). */
  current(): Shell {
    return this.shells[this.shells.length - 1];
  }

  /** Nesting depth: 1 at the outermost shell. */
  depth(): number {
    return this.shells.length;
  }

  /** `docker exec -it NODE sh`: a new interactive shell on the node (with `from`'s cwd and variables). */
  enter(node: LabNode, from?: Shell): void {
    const sh = newShell(node, true, this);
    if (from) {
      sh.cwd = from.cwd;
      for (const [k, v] of from.vars) sh.vars.set(k, v);
    }
    this.shells.push(sh);
  }

  /**
   * `exit` or Ctrl-D: pops the current shell and returns true; at the outermost one, ends the
   * lab (policy "end") or asks first (policy "ask": the state becomes "confirming") and
   * returns false. The shell below gets the left one's last status as its $?: what `docker
   * exec -it NODE sh` exits with when that shell ends.
   */
  leave(): boolean {
    if (this.shells.length > 1) {
      const left = this.shells.pop()!;
      this.current().lastStatus = left.lastStatus;
      return true;
    }
    if (this.stateNow === "open") this.moveTo(this.endPolicy === "ask" ? "confirming" : "ended");
    return false;
  }

  /** The user said yes: the lab ends. */
  confirmEnd(): void {
    this.moveTo("ended");
  }

  /** The user said no: back to the prompt. */
  cancelEnd(): void {
    this.moveTo("open");
  }

  /** Pops shells (never the outermost) for which `isDead` holds, innermost first; returns them. */
  dropWhile(isDead: (sh: Shell) => boolean): Shell[] {
    const dropped: Shell[] = [];
    while (this.shells.length > 1 && isDead(this.current())) dropped.push(this.shells.pop()!);
    return dropped;
  }

  prompt(): string {
    const sh = this.current();
    return `[${sh.node.name}] ${sh.node.files.display(sh.cwd)} ${sh.busybox ? "#" : "$"} `;
  }
}
