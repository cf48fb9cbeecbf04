// Socket errors a client can see, with the errno names and strerror texts programs print.

export type NetErrorCode = "ECONNREFUSED" | "ECONNRESET" | "ETIMEDOUT" | "EHOSTUNREACH" | "ENOTFOUND";

const TEXT: Record<NetErrorCode, string> = {
  ECONNREFUSED: "Connection refused",
  ECONNRESET: "Connection reset by peer",
  ETIMEDOUT: "Connection timed out",
  EHOSTUNREACH: "No route to host",
  ENOTFOUND: "Name or service not known",
};

export class NetError extends Error {
  constructor(
    readonly code: NetErrorCode,
    /** The host or address the client tried, for messages. */
    readonly target = "",
  ) {
    super(TEXT[code]);
    this.name = "NetError";
  }
}

export function strerror(code: NetErrorCode): string {
  return TEXT[code];
}
