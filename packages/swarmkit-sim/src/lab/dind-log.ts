// What a docker:dind container prints while it starts (the entrypoint's TLS set-up, then
// dockerd's logrus lines) and when dockerd shuts down on SIGTERM or SIGINT. Without --privileged the entrypoint cannot mount what dockerd needs
// and dockerd dies on iptables, as it does for real (the container exits with status 1).
import type { Random } from "../kernel/random";

/** Go's RFC 3339 with nanoseconds, as logrus prints `time="..."`. */
function logTime(wallMs: number, rng: Random): string {
  const iso = new Date(wallMs).toISOString(); // "2026-01-01T00:00:05.123Z"
  const nanos = String(rng.int(1_000_000)).padStart(6, "0");
  return `${iso.slice(0, 23)}${nanos}Z`;
}

function info(wallMs: number, rng: Random, msg: string, extra = ""): string {
  return `time="${logTime(wallMs, rng)}" level=info msg="${msg}"${extra}`;
}

const TLS_SETUP = [
  "Certificate request self-signature ok",
  "subject=CN = docker:dind server",
  "/certs/server/cert.pem: OK",
  "Certificate request self-signature ok",
  "subject=CN = docker:dind client",
  "/certs/client/cert.pem: OK",
];

/** The log of a privileged docker:dind that comes up; `wallMs` is the start instant. */
export function dindStartupLog(wallMs: number, rng: Random, engineVersion: string): string[] {
  let t = wallMs + 150;
  const step = (ms: number) => (t += ms);
  return [
    ...TLS_SETUP,
    info(step(10), rng, "Starting up"),
    info(
      step(30),
      rng,
      `containerd successfully booted in 0.0${20 + rng.int(30)}${String(rng.int(10000)).padStart(4, "0")}s`,
    ),
    info(step(40), rng, "Loading containers: start."),
    info(step(60), rng, "Loading containers: done."),
    info(
      step(5),
      rng,
      "Docker daemon",
      ` commit=${rng.int(0xfffffff).toString(16).padStart(7, "0")} containerd-snapshotter=false storage-driver=overlay2 version=${engineVersion}`,
    ),
    info(step(2), rng, "Daemon has completed initialization"),
    info(step(1), rng, "API listen on /var/run/docker.sock"),
    info(step(1), rng, "API listen on [::]:2376"),
  ];
}

/** The log of a docker:dind started without --privileged: it exits with status 1. */
export function dindUnprivilegedLog(wallMs: number, rng: Random): string[] {
  let t = wallMs + 150;
  const step = (ms: number) => (t += ms);
  return [
    ...TLS_SETUP,
    "mount: permission denied (are you root?)",
    "Could not mount /sys/kernel/security.",
    "AppArmor detection and --privileged mode might break.",
    "mount: permission denied (are you root?)",
    info(step(10), rng, "Starting up"),
    "failed to start daemon: Error initializing network controller: error obtaining controller instance: " +
      'failed to register "bridge" driver: failed to create NAT chain DOCKER: iptables failed: ' +
      "iptables --wait -t nat -N DOCKER: iptables v1.8.11 (legacy): can't initialize iptables table `nat': " +
      "Permission denied (you must be root)",
    "Perhaps iptables or your kernel needs to be upgraded.",
    " (exit status 3)",
  ];
}

/** dockerd's first line on a signal that shuts it down ("terminated" is SIGTERM's name in Go). */
export function dindSignalLog(wallMs: number, rng: Random, signal: "SIGTERM" | "SIGINT"): string[] {
  return [info(wallMs, rng, `Processing signal '${signal === "SIGTERM" ? "terminated" : "interrupt"}'`)];
}

/** dockerd's last lines once it has stopped what it ran, as the daemon exits (status 0). */
export function dindShutdownLog(wallMs: number, rng: Random): string[] {
  let t = wallMs - 4;
  const step = (ms: number) => (t += ms);
  return [
    info(
      step(1),
      rng,
      "stopping event stream following graceful shutdown",
      ' error="<nil>" module=libcontainerd namespace=moby',
    ),
    info(step(1), rng, "Daemon shutdown complete"),
    info(
      step(1),
      rng,
      "stopping event stream following graceful shutdown",
      ' error="context canceled" module=libcontainerd namespace=plugins.moby',
    ),
  ];
}
