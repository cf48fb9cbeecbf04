// A Redis client as redis-py and node-redis use one: a connection opened on first use (the
// name resolved then) and kept; an error drops it, and the next command reconnects.
import type { NetError, ProgramContext } from "@swarm-sim/swarmkit-sim";
import { REDIS_PORT } from "./redis";
import { type RedisReply, RedisErrorReply, type RedisValue } from "./redis-store";

export class RedisClientError extends Error {
  constructor(
    message: string,
    /** "connection" for a network error, "response" for an error reply. */
    readonly kind: "connection" | "response",
    readonly net?: NetError,
  ) {
    super(message);
    this.name = "RedisClientError";
  }
}

export type RedisCallback = (err: RedisClientError | undefined, reply: RedisReply) => void;

const ERRNO: Record<string, number> = {
  ECONNREFUSED: 111,
  ETIMEDOUT: 110,
  EHOSTUNREACH: 113,
  ENOTFOUND: -2,
};

function argBytes(args: readonly RedisValue[]): number {
  let n = 4;
  for (const a of args) n += (typeof a === "string" ? a.length : a.length) + 8;
  return n;
}

export class RedisClient {
  private address: string | undefined;

  constructor(
    private readonly ctx: ProgramContext,
    private readonly host = "redis",
    private readonly port = REDIS_PORT,
    private readonly cpuPerCommand = 0,
  ) {}

  command(args: readonly RedisValue[], cb: RedisCallback): void {
    const ctx = this.ctx;
    if (this.cpuPerCommand > 0) ctx.chargeCpu(this.cpuPerCommand);
    if (this.address === undefined) {
      this.address = ctx.resolve(this.host);
      if (this.address === undefined) {
        ctx.after(0.05, () =>
          cb(
            new RedisClientError(
              `Error -2 connecting to ${this.host}:${this.port}. Name or service not known.`,
              "connection",
            ),
            null,
          ),
        );
        return;
      }
    }
    ctx.exchange.call<RedisReply>(
      { address: this.address, port: this.port },
      args,
      argBytes(args),
      (err, reply) => {
        if (err) {
          this.address = undefined;
          const msg =
            err.code === "ECONNRESET"
              ? "Connection closed by server."
              : `Error ${ERRNO[err.code] ?? 0} connecting to ${this.host}:${this.port}. ${err.message}.`;
          cb(new RedisClientError(msg, "connection", err), null);
          return;
        }
        if (reply instanceof RedisErrorReply) cb(new RedisClientError(reply.message, "response"), null);
        else cb(undefined, reply ?? null);
      },
    );
  }
}
