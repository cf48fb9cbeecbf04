// `docker info`: the engine's report, with the Swarm section exactly as the CLI prints it
// (cli/command/system/info.go printSwarmInfo, SWARMKIT.md §6.2). The other sections describe
// a docker:dind engine plausibly; they are not what the lecture examines. `--format` runs a
// template over the same report as Go values (info-value.ts), as the CLI's formatInfo does.
import { bytesSize } from "../../cli/format/size";
import { humanDuration } from "../../cli/format/duration";
import { GoTemplate, TemplateError } from "../../cli/format/template";
import type { ParsedCommand } from "../../cli/grammar/types";
import { type SwarmInfo, swarmInfo } from "../../node/info";
import type { Job } from "../../cli/job";
import { type DockerIO, flagString, request, type SwarmCommandContext } from "../io";
import { dockerInfoValue, ENGINE, engineCounts, engineId } from "./info-value";

export const ENGINE_VERSION = ENGINE.version;

export function* infoCommand(cmd: ParsedCommand, io: DockerIO, ctx: SwarmCommandContext): Job<number> {
  const r = yield* request<SwarmInfo>((done) => swarmInfo(ctx.swarm, (i) => done(null, i)));
  const info = r.res!;
  const format = flagString(cmd, "format");
  if (format === "") {
    io.out(renderInfo(ctx, info));
    return 0;
  }
  return formatInfo(io, dockerInfoValue(ctx, info), format);
}

/**
 * The CLI's formatInfo: "json" is {{json .}}; a template that does not parse exits 64
 * ("template parsing error: ..."); one that fails while running prints what it wrote, a
 * newline, and the error (exit 1).
 */
function formatInfo(io: DockerIO, value: ReturnType<typeof dockerInfoValue>, format: string): number {
  let tmpl: GoTemplate;
  try {
    tmpl = GoTemplate.parse(format === "json" ? "{{json .}}" : format);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    io.err(`template parsing error: ${e.message}\n`);
    return 64;
  }
  const r = tmpl.execute(value);
  io.out(`${r.output}\n`);
  if (!r.error) return 0;
  io.err(`${r.error.message}\n`);
  return 1;
}

export function renderSwarmSection(info: SwarmInfo): string {
  const l: string[] = [` Swarm: ${info.localNodeState}`];
  if (info.localNodeState === "inactive" || info.localNodeState === "locked") return `${l.join("\n")}\n`;
  l.push(`  NodeID: ${info.nodeId}`);
  if (info.error) l.push(`  Error: ${info.error}`);
  l.push(`  Is Manager: ${info.controlAvailable}`);
  const c = info.cluster;
  if (c && info.controlAvailable && !info.error && info.localNodeState !== "error") {
    l.push(`  ClusterID: ${c.id}`);
    l.push(`  Managers: ${info.managers}`);
    l.push(`  Nodes: ${info.nodes}`);
    l.push("  Default Address Pool: 10.0.0.0/8  ");
    l.push("  SubnetSize: 24");
    l.push("  Data Path Port: 4789");
    l.push("  Orchestration:");
    l.push(`   Task History Retention Limit: ${c.spec.orchestration.taskHistoryRetentionLimit}`);
    l.push("  Raft:");
    l.push(`   Snapshot Interval: ${c.spec.raft.snapshotInterval}`);
    l.push(`   Number of Old Snapshots to Retain: ${c.spec.raft.keepOldSnapshots}`);
    l.push(`   Heartbeat Tick: ${c.spec.raft.heartbeatTick}`);
    l.push(`   Election Tick: ${c.spec.raft.electionTick}`);
    l.push("  Dispatcher:");
    l.push(`   Heartbeat Period: ${humanDuration(c.spec.dispatcher.heartbeatPeriodMs)}`);
    l.push("  CA Configuration:");
    l.push(`   Expiry Duration: ${humanDuration(c.spec.caConfig.nodeCertExpiryMs)}`);
    l.push(`   Force Rotate: ${c.spec.caConfig.forceRotate}`);
    l.push(`  Autolock Managers: ${c.spec.encryptionConfig.autoLockManagers}`);
    l.push(`  Root Rotation In Progress: ${!!c.rootCA.rootRotation}`);
  }
  l.push(`  Node Address: ${info.nodeAddr}`);
  if (info.remoteManagers.length > 0) {
    l.push("  Manager Addresses:");
    for (const a of [...info.remoteManagers].sort()) l.push(`   ${a}`);
  }
  return `${l.join("\n")}\n`;
}

function renderInfo(ctx: SwarmCommandContext, info: SwarmInfo): string {
  const m = ctx.machine;
  const n = engineCounts(ctx);
  return `Client:
 Version:    ${ENGINE_VERSION}
 Context:    default
 Debug Mode: false
 Plugins:
  buildx: Docker Buildx (Docker Inc.)
    Version:  v0.20.0
    Path:     /usr/local/libexec/docker/cli-plugins/docker-buildx
  compose: Docker Compose (Docker Inc.)
    Version:  v2.32.4
    Path:     /usr/local/libexec/docker/cli-plugins/docker-compose

Server:
 Containers: ${n.running + n.paused + n.stopped}
  Running: ${n.running}
  Paused: ${n.paused}
  Stopped: ${n.stopped}
 Images: ${n.images}
 Server Version: ${ENGINE_VERSION}
 Storage Driver: overlay2
  Backing Filesystem: extfs
  Supports d_type: true
  Using metacopy: false
  Native Overlay Diff: true
  userxattr: false
 Logging Driver: json-file
 Cgroup Driver: cgroupfs
 Cgroup Version: 2
 Plugins:
  Volume: local
  Network: bridge host ipvlan macvlan null overlay
  Log: awslogs fluentd gcplogs gelf journald json-file local splunk syslog
${renderSwarmSection(info)} Runtimes: io.containerd.runc.v2 runc
 Default Runtime: runc
 Init Binary: docker-init
 containerd version: bcc810d6b9066471b0b6fa75f557a15a1cbf31bb
 runc version: v1.2.4-0-g6c52b3f
 init version: de40ad0
 Security Options:
  seccomp
   Profile: builtin
  cgroupns
 Kernel Version: 6.8.0-51-generic
 Operating System: Alpine Linux v3.21 (containerized)
 OSType: linux
 Architecture: x86_64
 CPUs: ${m.cores}
 Total Memory: ${bytesSize(m.memoryBytes)}
 Name: ${m.name}
 ID: ${engineId(m.name)}
 Docker Root Dir: /var/lib/docker
 Debug Mode: false
 Experimental: false
 Insecure Registries:
  127.0.0.0/8
 Live Restore Enabled: false
 Product License: Community Engine

`;
}
