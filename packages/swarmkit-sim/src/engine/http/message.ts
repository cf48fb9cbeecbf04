// HTTP/1.x requests and responses as plain objects that travel in one message each way.
// Sizes are counted as they would be on the wire (request line, headers, body) for the
// resource meter and for tools such as httping that print header sizes.
import { httpDate } from "../human";

export type HttpBody = Uint8Array | string;
export type HttpVersion = "1.0" | "1.1";
export type HeaderList = readonly (readonly [string, string])[];

export class HttpRequest {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly body: HttpBody | undefined = undefined,
    readonly contentType: string | undefined = undefined,
    /** The Host header (host[:port]) as the client wrote it. */
    readonly hostHeader = "",
    readonly version: HttpVersion = "1.1",
    /** Extra headers beyond Host, Content-Type and Content-Length. */
    readonly headers: HeaderList = NO_HEADERS,
  ) {}

  /** The request line as access logs quote it: GET /32 HTTP/1.1 */
  get requestLine(): string {
    return `${this.method} ${this.path} HTTP/${this.version}`;
  }
}

export class HttpResponse {
  constructor(
    readonly status: number,
    readonly body: HttpBody,
    readonly contentType: string | undefined,
    readonly version: HttpVersion = "1.1",
    /** Server-specific headers (Server, X-Powered-By, ...), usually one shared constant list. */
    readonly headers: HeaderList = NO_HEADERS,
    /** HEAD answers carry Content-Length but no body. */
    readonly headOnly = false,
  ) {}

  get text(): string {
    return typeof this.body === "string" ? this.body : Buffer.from(this.body).toString("latin1");
  }

  get bytes(): Uint8Array {
    return typeof this.body === "string" ? Buffer.from(this.body, "utf8") : this.body;
  }
}

export const NO_HEADERS: HeaderList = [];

export function bodyLength(b: HttpBody | undefined): number {
  if (b === undefined) return 0;
  if (typeof b !== "string") return b.length;
  // Node's byteLength has a fast path for one-byte strings: ~15 ns for a 64-character hex
  // digest, five times less than counting the characters in JavaScript.
  return Buffer.byteLength(b, "utf8");
}

export const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  201: "Created",
  204: "No Content",
  301: "Moved Permanently",
  302: "Found",
  304: "Not Modified",
  400: "Bad Request",
  404: "Not Found",
  405: "Method Not Allowed",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/** The response's header block as text (status line through the blank line). */
export function responseHead(res: HttpResponse, epochMs: number): string {
  let s = `HTTP/${res.version} ${res.status} ${STATUS_TEXT[res.status] ?? ""}\r\n`;
  for (const [k, v] of res.headers) s += `${k}: ${v === "<date>" ? httpDate(epochMs) : v}\r\n`;
  if (res.contentType !== undefined) s += `Content-Type: ${res.contentType}\r\n`;
  s += `Content-Length: ${bodyLength(res.body)}\r\n\r\n`;
  return s;
}

/** Header bytes of a response (what httping prints as "(N bytes)"). */
export function responseHeadBytes(res: HttpResponse, epochMs: number): number {
  return Buffer.byteLength(responseHead(res, epochMs), "latin1");
}

/** Approximate wire size of a response: a fixed allowance for headers, plus the body. */
export function responseBytes(res: HttpResponse): number {
  return 120 + res.headers.length * 30 + (res.headOnly ? 0 : bodyLength(res.body));
}

/** Approximate wire size of a request. */
export function requestBytes(req: HttpRequest): number {
  return (
    60 +
    req.method.length +
    req.path.length +
    req.hostHeader.length +
    req.headers.length * 30 +
    bodyLength(req.body)
  );
}
