// The studio's WebSocket protocol: one JSON object per text message, each way. The page asks
// for terminals and types into them, moves the clock, and goes back in time; the lab sends the
// terminals' output, the cluster's view, the timeline, the Raft messages in flight. Everything
// the page sends is checked here (shape, types, bounds) before the studio acts on it: a bad
// message gets an error message back and changes nothing.
import { MAX_SPEED, parseSpeed } from "../live/clock-commands";
import type { FlightBatch } from "./raft-flights";
import type { TimelineSnapshot } from "./timeline";
import type { ClusterView } from "./view";

export const PROTOCOL_VERSION = 1;

/** At most this many characters of keystrokes in one message (a paste). */
export const MAX_INPUT = 64 * 1024;
/** The largest message the server takes (the WebSocket's maxPayload). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export type ClientMessage =
  /** A new terminal on the lab's world (at node1), of this size. */
  | { type: "open"; cols: number; rows: number }
  /** Keystrokes for a terminal, as xterm.js gives them. */
  | { type: "input"; term: number; data: string }
  | { type: "resize"; term: number; cols: number; rows: number }
  /** The terminal's tab was closed (as a window going away: the session records it). */
  | { type: "close"; term: number }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "speed"; speed: number }
  /**
   * Go back to simulated time t (ms), before now, keeping the first `inputs` inputs (as a view
   * or a marker the page got says; default: those recorded before t).
   */
  | { type: "seek"; t: number; inputs?: number };

export interface TerminalInfo {
  id: number;
  /** The node its shell is on now (the tab's title). */
  node: string;
  /** What the terminal has shown (its tail): drawn again in a page that opens it. */
  screen: string;
  /** Whether the page may type into it (a pipe's terminal takes whole lines from its pipe only). */
  input: boolean;
  /** The lab's own terminal (the process's): the page can neither resize nor close it. */
  own: boolean;
}

export interface ClockInfo {
  /** Simulated ms. */
  now: number;
  speed: number;
  paused: boolean;
  /** running, seeking, ended. */
  state: string;
  /** Raft messages are shown in flight (slow enough, few enough managers). */
  flights: boolean;
  /** Why not, when not. */
  flightsOff?: string;
}

export type ServerMessage =
  | {
      type: "hello";
      version: number;
      seed: string;
      canSeek: boolean;
      clock: ClockInfo;
      terminals: TerminalInfo[];
      view: ClusterView;
      /** How many inputs the world had seen at the view. */
      inputs: number;
      timeline: TimelineSnapshot;
    }
  | { type: "output"; term: number; data: string }
  | { type: "opened"; terminal: TerminalInfo; mine: boolean }
  | { type: "closed"; term: number }
  /** The cluster now; `inputs`: how many inputs the world had seen (with view.t, a way back here). */
  | {
      type: "view";
      view: ClusterView;
      inputs: number;
      clock: ClockInfo;
      prompts: { id: number; node: string }[];
    }
  | { type: "timeline"; reset: boolean; timeline: TimelineSnapshot }
  | ({ type: "raft" } & FlightBatch)
  | { type: "seeking"; to: number; now: number }
  | { type: "seeked"; from: number; to: number; dropped: number; terminals: TerminalInfo[] }
  | { type: "ended" }
  | { type: "error"; message: string };

export type Parsed = { ok: true; message: ClientMessage } | { ok: false; error: string };

const MAX_TERMINAL = 256;

function fail(error: string): Parsed {
  return { ok: false, error };
}

function intIn(v: unknown, lo: number, hi: number): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi;
}

/** Parses and checks one message from a page. */
export function parseClientMessage(text: string): Parsed {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return fail("not JSON");
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return fail("not a JSON object");
  const o = v as Record<string, unknown>;
  const term = (): Parsed | number =>
    intIn(o.term, 1, MAX_TERMINAL) ? o.term : fail(`term must be a terminal number (1-${MAX_TERMINAL})`);
  const size = (): Parsed | { cols: number; rows: number } =>
    intIn(o.cols, 2, 1000) && intIn(o.rows, 2, 500)
      ? { cols: o.cols, rows: o.rows }
      : fail("cols must be 2-1000 and rows 2-500");
  switch (o.type) {
    case "open": {
      const s = size();
      return "ok" in s ? s : { ok: true, message: { type: "open", ...s } };
    }
    case "input": {
      const id = term();
      if (typeof id !== "number") return id;
      if (typeof o.data !== "string" || o.data.length > MAX_INPUT)
        return fail(`data must be a string of at most ${MAX_INPUT} characters`);
      return { ok: true, message: { type: "input", term: id, data: o.data } };
    }
    case "resize": {
      const id = term();
      if (typeof id !== "number") return id;
      const s = size();
      return "ok" in s ? s : { ok: true, message: { type: "resize", term: id, ...s } };
    }
    case "close": {
      const id = term();
      return typeof id !== "number" ? id : { ok: true, message: { type: "close", term: id } };
    }
    case "pause":
    case "resume":
      return { ok: true, message: { type: o.type } };
    case "speed": {
      const speed = typeof o.speed === "number" ? parseSpeed(String(o.speed)) : undefined;
      if (speed === undefined) return fail(`speed must be a number above 0, at most ${MAX_SPEED}`);
      return { ok: true, message: { type: "speed", speed } };
    }
    case "seek": {
      if (typeof o.t !== "number" || !Number.isFinite(o.t) || o.t < 0)
        return fail("t must be a simulated time in ms (0 or more)");
      if (o.inputs === undefined) return { ok: true, message: { type: "seek", t: o.t } };
      if (!intIn(o.inputs, 0, Number.MAX_SAFE_INTEGER)) return fail("inputs must be a count (0 or more)");
      return { ok: true, message: { type: "seek", t: o.t, inputs: o.inputs } };
    }
    default:
      return fail(`unknown message type ${JSON.stringify(o.type)}`);
  }
}
