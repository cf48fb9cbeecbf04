// The Docker engine's public face (README.md): the engine on a machine, its containers and
// networks, images and the programs they run, signals, logs and stats, and HTTP over the
// simulated network for programs to talk and serve. Its internals (subnet pools, the port
// proxy, the exchange's wire records, DNS and meters) are reached by path inside the package.
export {
  Engine,
  DEFAULT_ENGINE_VERSION,
  type EngineOptions,
  type CreateOptions,
  type EngineEvent,
  type EngineEventType,
  type StatsEntry,
} from "./engine";
export {
  Container,
  type ContainerState,
  type ContainerConfig,
  type ContainerNetworkAttachment,
  type RestartPolicy,
  type ActiveEndpoint,
} from "./container";
export { EngineError } from "./errors";
export { ImageRegistry } from "./images";
export type {
  Program,
  ProgramContext,
  ProgramFactory,
  ProgramSpec,
  ProgramFootprint,
  ImageSpec,
} from "./program";
export { type Signal, parseSignal } from "./signals";
export type { LogLine, LogStream } from "./logs";
export type { EngineNetwork, NetworkDriver, NetworkEndpoint } from "./network";
export type { Resolver, ResolveOrigin } from "./dns";
export { displayPorts, type PortBinding } from "./ports";
export { shortId } from "./ids";
export { humanDuration as goHumanDuration, rfc3339Nano, MONTHS } from "./human";
export { NetError, type NetErrorCode } from "./net/errors";
export type { NetHost } from "./net/host";
export type { VirtualRouter, VirtualRoute } from "./net/virtual";
export { ExchangeClient, Incoming, type Concurrency, type ReplyHandler } from "./net/exchange";
export {
  HttpRequest,
  HttpResponse,
  STATUS_TEXT,
  responseHeadBytes,
  type HttpBody,
  type HttpVersion,
  type HeaderList,
} from "./http/message";
export { HttpClient, type HttpCallback, type HostResolver, type HttpTarget } from "./http/client";
export { serveHttp, replyHttp, type HttpHandler, type ServerHost } from "./http/server";
