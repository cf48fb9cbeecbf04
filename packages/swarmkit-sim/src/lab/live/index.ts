// The live lab: a clock that flows (pacer.ts), terminals on one world (terminal.ts,
// session.ts), the session file and its replay (session-file.ts, replay.ts), node1's published
// ports on the real host (real-ports.ts, host-http.ts), and a runner on a process's streams (run.ts).
export { LiveSession, type LiveSessionOptions, type SessionRecorder } from "./session";
export { LiveTerminal, type TerminalOptions, type TerminalState, splitKeys } from "./terminal";
export { Pacer, type PacerOptions } from "./pacer";
export { type ClockControl, parseSpeed, MAX_SPEED } from "./clock-commands";
export {
  parseSessionFile,
  SESSION_KIND,
  SessionFileError,
  type SessionEvent,
  type SessionFile,
  type SessionHeader,
  type SessionHttp,
} from "./session-file";
export { replaySession, type SessionReplay } from "./replay";
export { RealPorts, publishedPorts, type PublishedPort } from "./real-ports";
export { runLiveLab, fileRecorder, type LiveLabOptions } from "./run";
