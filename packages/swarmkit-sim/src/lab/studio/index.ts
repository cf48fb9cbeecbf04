// The Swarm studio: a web page a live lab serves on its own port, with the lab's terminals,
// the cluster as docker-swarm-visualizer draws it, a timeline that can go back in time, and
// Raft's messages in flight. view.ts and timeline.ts read a world; studio.ts shows a live lab
// to pages through protocol.ts's messages; server.ts serves the page (studio-files/) and the WebSocket.
export {
  clusterView,
  colourNames,
  SERVICE_COLOURS,
  type ClusterView,
  type NodeView,
  type ServiceView,
  type TaskView,
  type ContainerView as StudioContainerView,
  type RaftView,
  type EngineState,
  type SwarmRole,
} from "./view";
export { machineActions, type MachineAction, type MachineFacts } from "./actions";
export {
  Timeline,
  commandKind,
  RATE_WINDOW_MS,
  type StudioMetric,
  type TimelineEvent,
  type TimelineEventKind,
  type TimelineSnapshot,
  type LeaderSpan,
  type MetricSeries,
} from "./timeline";
export { RaftFlights, type RaftFlight, type FlightBatch } from "./raft-flights";
export {
  parseClientMessage,
  PROTOCOL_VERSION,
  MAX_INPUT,
  type ClientMessage,
  type ServerMessage,
  type TerminalInfo,
  type ClockInfo,
} from "./protocol";
export {
  Studio,
  toCrlf,
  FLIGHTS_MAX_SPEED,
  FLIGHTS_MAX_MANAGERS,
  type StudioOptions,
  type StudioClient,
  type StudioConnection,
} from "./studio";
export {
  startStudioServer,
  hostAllowed,
  originAllowed,
  DEFAULT_WEB_PORT,
  type StudioServer,
  type StudioServerOptions,
} from "./server";
export { startStudio, studioFrontEnd, type StudioFrontEnd, type StudioFrontEndOptions } from "./front-end";
