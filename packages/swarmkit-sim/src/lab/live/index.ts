// The live lab: a clock that flows (pacer.ts), terminals on one world (terminal.ts,
// session.ts), the session file and its replay (session-file.ts, replay.ts), going back in time
// (seek.ts), node1's published ports on the real host (real-ports.ts, host-http.ts), the live lab
// as its front-ends see it (live-lab.ts), and a runner on a process's streams (run.ts).
export {
  LiveSession,
  type LiveSessionOptions,
  type LiveSessionState,
  type SessionRecorder,
} from "./session";
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
  type SessionInput,
  linearHistory,
} from "./session-file";
export { replaySession, applyRecord, type SessionReplay } from "./replay";
export { SessionSeek, inputsBefore, type SeekOptions } from "./seek";
export { LiveLab, type LiveLabConfig, type LiveLabState, type SeekDone } from "./live-lab";
export { RealPorts, publishedPorts, type PublishedPort } from "./real-ports";
export { runLiveLab, fileRecorder, type FrontEnd, type LiveLabOptions } from "./run";
