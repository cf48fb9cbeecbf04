// How the worker's Python libraries word the exceptions it logs: `requests` (through
// urllib3) for HTTP, redis-py for Redis.
import type { NetError } from "@swarm-sim/swarmkit-sim";
import type { RedisClientError } from "./redis-client";

const ERRNO: Record<string, number> = { ECONNREFUSED: 111, ETIMEDOUT: 110, EHOSTUNREACH: 113 };

/** The last line of the traceback for a failed `requests` call to http://host:port/path. */
export function requestsError(
  err: NetError,
  host: string,
  port: number,
  path: string,
  objectAddress: string,
): string {
  const pool = `HTTPConnectionPool(host='${host}', port=${port}): Max retries exceeded with url: ${path}`;
  const conn = `<urllib3.connection.HTTPConnection object at ${objectAddress}>`;
  switch (err.code) {
    case "ENOTFOUND":
      return `requests.exceptions.ConnectionError: ${pool} (Caused by NameResolutionError("${conn}: Failed to resolve '${host}' ([Errno -2] Name or service not known)"))`;
    case "ECONNRESET":
      return "requests.exceptions.ConnectionError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))";
    default:
      return `requests.exceptions.ConnectionError: ${pool} (Caused by NewConnectionError('${conn}: Failed to establish a new connection: [Errno ${ERRNO[err.code] ?? 0}] ${err.message}'))`;
  }
}

export function redisError(err: RedisClientError): string {
  return `redis.exceptions.${err.kind === "response" ? "ResponseError" : "ConnectionError"}: ${err.message}`;
}

/** The frames of worker.py between the top level and the failing call. */
export function workerTraceback(
  failingCall: "get_random_bytes" | "hash_bytes" | "incrby" | "hset" | "sleep",
  last: string,
): string[] {
  const lines = [
    "Traceback (most recent call last):",
    '  File "/worker.py", line 71, in <module>',
    "    work_loop()",
  ];
  if (failingCall === "incrby") {
    lines.push('  File "/worker.py", line 43, in work_loop', '    redis.incrby("hashes", loops_done)');
  } else {
    lines.push('  File "/worker.py", line 47, in work_loop', "    work_once()");
    const frame: Record<string, string[]> = {
      sleep: ['  File "/worker.py", line 53, in work_once', "    time.sleep(0.1)"],
      get_random_bytes: [
        '  File "/worker.py", line 54, in work_once',
        "    random_bytes = get_random_bytes()",
      ],
      hash_bytes: ['  File "/worker.py", line 55, in work_once', "    hex_hash = hash_bytes(random_bytes)"],
      hset: [
        '  File "/worker.py", line 60, in work_once',
        '    created = redis.hset("wallet", hex_hash, random_bytes)',
      ],
    };
    lines.push(...frame[failingCall]);
  }
  lines.push(last);
  return lines;
}
