// RPC between machines over the kernel network, with mutual TLS modelled at connection setup.
export { GrpcError, type GrpcCode, type WireError, toWire, fromWire, deadlineExceeded } from "./grpc-error";
export type { PeerIdentity, CertChain, CertRole, AuthLevel } from "./identity";
export { RpcServer, type ServerCall, type Handler, type ServerSecurity, type ConnSlot } from "./rpc-server";
export { RpcClient, type ClientSecurity, type Callback } from "./rpc-client";
export type { Forwarded } from "./wire";
