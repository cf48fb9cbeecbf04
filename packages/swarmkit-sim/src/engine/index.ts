// The Docker engine on a machine: containers, programs, signals, networks and DNS, published
// ports, logs, resource meters, and HTTP over the simulated network.
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
  type ActiveEndpoint,
} from "./container";
export { ContainerContext } from "./context";
export { EngineError, noSuchContainer, noSuchNetwork } from "./errors";
export { ImageRegistry, normalizeImageName, displayImageName } from "./images";
export type {
  Program,
  ProgramContext,
  ProgramFactory,
  ProgramSpec,
  ProgramFootprint,
  ImageSpec,
} from "./program";
export { type Signal, signalNumber, exitCodeForSignal, parseSignal } from "./signals";
export { ContainerLog, DEFAULT_MAX_LOG_LINES, type LogLine, type LogStream, type LogRender } from "./logs";
export { ResourceMeter, HostCpu } from "./meter";
export { EngineNetwork, type NetworkDriver, type NetworkEndpoint } from "./network";
export { DnsResolver, type Resolver, type ResolveOrigin } from "./dns";
export { Subnet, allocateSubnet, releaseSubnet, ipToInt, intToIp } from "./subnets";
export { PortProxy, parsePortSpec, displayPorts, type PortBinding } from "./ports";
export { newId, shortId, SHORT_ID_LENGTH } from "./ids";
export { randomContainerName } from "./names";
export { humanDuration as goHumanDuration, rfc3339Nano, httpDate, MONTHS, WEEKDAYS } from "./human";
export { NetError, strerror, type NetErrorCode } from "./net/errors";
export { type NetHost, type Gate, machineHost, pickEphemeralPort } from "./net/host";
export { addVirtualRouter, routeVirtual, type VirtualRouter, type VirtualRoute } from "./net/virtual";
export {
  ExchangeClient,
  ExchangeServer,
  Incoming,
  WireRequest,
  WireReply,
  HOST_UNREACHABLE_MS,
  CONNECT_TIMEOUT_MS,
  type Concurrency,
  type ReplyHandler,
} from "./net/exchange";
export {
  HttpRequest,
  HttpResponse,
  STATUS_TEXT,
  NO_HEADERS,
  bodyLength,
  responseHead,
  responseHeadBytes,
  responseBytes,
  requestBytes,
  type HttpBody,
  type HttpVersion,
  type HeaderList,
} from "./http/message";
export {
  HttpClient,
  hostHeader,
  isIPv4Literal,
  type HttpCallback,
  type HostResolver,
  type HttpTarget,
} from "./http/client";
export { serveHttp, replyHttp, type HttpHandler, type ServerHost } from "./http/server";
