// Replaying a live session: the same world (the header's seed, services and plugins), then each
// recorded input applied at its simulated time, through the same session code as live, with no
// wall clock and no real ports (HTTP answers are dropped). The trace hash at the end record is
// the session's when the code has not changed. A session that went back in time (seek records)
// replays its linear history: the inputs the world has really seen.
import type { Lab } from "../lab";
import { LiveSession } from "./session";
import { linearHistory, type SessionFile, SessionFileError, type SessionInput } from "./session-file";
import type { LiveTerminal, TerminalOptions } from "./terminal";

export interface SessionReplay {
  /** The trace hash at the end record (or after the last input, when the file has none). */
  traceHash: string;
  /** The hash the session recorded at its end, if it ended cleanly. */
  recordedHash: string | undefined;
  /** Simulated ms at the end. */
  endedAt: number;
  inputs: number;
}

/** How a replay opens a recorded terminal (a replay's own default: a tty, as a browser's). */
export type OpenTerminal = (session: LiveSession, id: number, tty: boolean) => LiveTerminal;

const openAsTty: OpenTerminal = (session, _id, tty) =>
  session.openTerminal({ mode: "tty", stdoutIsTerminal: tty });

/** Opens a recorded terminal with the options `options(id, tty)` gives (a seek: as live). */
export function openWith(options: (id: number, tty: boolean) => TerminalOptions): OpenTerminal {
  return (session, id, tty) => session.openTerminal(options(id, tty));
}

/**
 * Applies one recorded input to `session`, now (the caller has run the world to its time).
 * Throws SessionFileError when the record names a terminal that is not open.
 */
export function applyRecord(session: LiveSession, e: SessionInput, open: OpenTerminal = openAsTty): void {
  if (e.type === "open") {
    const t = open(session, e.term, e.tty);
    if (t.id !== e.term) throw new SessionFileError(`terminal ${e.term} opened as terminal ${t.id}`);
  } else if (e.type === "close") session.closeTerminal(e.term);
  else if (e.type === "http") {
    const { t: _t, type: _type, ...req } = e;
    session.sendHttp(req, () => {});
  } else {
    if (!session.terminal(e.term))
      throw new SessionFileError(`a record at ${e.t} ms names terminal ${e.term}, which is not open`);
    session.apply(e.term, e.type === "line" ? { type: "line", text: e.text } : { type: "key", key: e.key });
  }
}

/** Throws SessionFileError when `lab` was not built as the session's header says. */
export function checkLabMatches(lab: Lab, session: LiveSession, file: Pick<SessionFile, "header">): void {
  const h = file.header;
  if (String(lab.sim.seed) !== String(h.seed))
    throw new SessionFileError(`the lab's seed ${lab.sim.seed} is not the session's ${h.seed}`);
  if (lab.servicesEnabled !== h.services)
    throw new SessionFileError(`the session was recorded ${h.services ? "with" : "without"} swarm services`);
  const plugins = session.host.pluginNames();
  if (plugins.join(",") !== h.plugins.join(","))
    throw new SessionFileError(
      `the session was recorded with the plugins ${h.plugins.join(", ")}; this lab has ${plugins.join(", ")}`,
    );
}

/**
 * Replays `file` on `lab`, a fresh lab built from the file's header (the caller builds it: the
 * plugins are the caller's). Throws SessionFileError when the lab does not match the header
 * or a record names a terminal that is not open.
 */
export function replaySession(lab: Lab, file: SessionFile): SessionReplay {
  if (String(lab.sim.seed) !== String(file.header.seed))
    throw new SessionFileError(`the lab's seed ${lab.sim.seed} is not the session's ${file.header.seed}`);
  const session = new LiveSession(lab);
  checkLabMatches(lab, session, file);
  let recordedHash: string | undefined;
  let inputs = 0;
  for (const e of linearHistory(file.events)) {
    session.advanceTo(e.t);
    if (e.type === "end") {
      recordedHash = e.traceHash;
      break;
    }
    if (e.type === "seek") continue; // (linearHistory leaves none)
    inputs++;
    applyRecord(session, e);
  }
  return { traceHash: lab.sim.trace.hash(), recordedHash, endedAt: lab.sim.now(), inputs };
}
