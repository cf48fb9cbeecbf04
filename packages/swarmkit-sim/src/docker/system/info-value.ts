// What `docker info --format` evaluates: the CLI's dockerInfo (the engine's system.Info inline,
// then ClientInfo), built as Go values in the API's field order so that `{{json .}}` and
// `{{json .Swarm.Cluster}}` print as Docker's do. The Swarm part is swarm.Info over the real
// cluster object: its Version.Index and UpdatedAt move with every write to it, such as the key
// manager's rotation of the network keys every 12 hours (moby api/types/swarm, system).
import type { Cluster } from "../../api/types";
import { parseCertificate } from "../../ca/certificate";
import {
  type GoField,
  type GoValue,
  goBytes,
  goDuration,
  goMap,
  goNil,
  goPointerTo,
  goScalar,
  goSlice,
  goStringMap,
  goStrings,
  goStruct,
  goTime,
  NIL_INTERFACE,
  rfc3339Nano,
} from "../../cli/format/template";
import { Engine } from "../../engine/engine";
import type { SwarmInfo } from "../../node/info";
import type { EngineCounts, SwarmCommandContext } from "../io";

/** The engine facts both renderings of `docker info` print (the text's values, as data). */
export const ENGINE = {
  version: "27.5.1",
  apiVersion: "1.47",
  defaultApiVersion: "1.47",
  goVersion: "go1.22.11",
  gitCommit: "9f9e405",
  buildTime: "Wed Jan 22 13:41:13 2025",
  driver: "overlay2",
  driverStatus: [
    ["Backing Filesystem", "extfs"],
    ["Supports d_type", "true"],
    ["Using metacopy", "false"],
    ["Native Overlay Diff", "true"],
    ["userxattr", "false"],
  ],
  volumePlugins: ["local"],
  networkPlugins: ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"],
  logPlugins: ["awslogs", "fluentd", "gcplogs", "gelf", "journald", "json-file", "local", "splunk", "syslog"],
  loggingDriver: "json-file",
  cgroupDriver: "cgroupfs",
  cgroupVersion: "2",
  kernelVersion: "6.8.0-51-generic",
  operatingSystem: "Alpine Linux v3.21 (containerized)",
  osVersion: "3.21.3",
  osType: "linux",
  architecture: "x86_64",
  dockerRootDir: "/var/lib/docker",
  containerdCommit: "bcc810d6b9066471b0b6fa75f557a15a1cbf31bb",
  runcCommit: "v1.2.4-0-g6c52b3f",
  initCommit: "de40ad0",
  plugins: [
    { name: "buildx", description: "Docker Buildx", version: "v0.20.0", path: "docker-buildx" },
    { name: "compose", description: "Docker Compose", version: "v2.32.4", path: "docker-compose" },
  ],
} as const;

const field = (name: string, value: GoValue, json?: GoField["json"]): GoField => ({ name, value, json });
const omitempty = { omitempty: true } as const;

/** The engine ID: a stable UUID per machine name (Docker prints one per daemon). */
export function engineId(name: string): string {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  const hex = `${h.toString(16).padStart(8, "0")}5e1f7c2a9b3d4e6f0a1b2c3d4e5f6a7b`.slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Tallies container states as dockerd's state counter does: running, paused, and the rest. */
export function countStates(states: Iterable<string>, images: number): EngineCounts {
  const n: EngineCounts = { running: 0, paused: 0, stopped: 0, images };
  for (const s of states) {
    if (s === "running") n.running++;
    else if (s === "paused") n.paused++;
    else n.stopped++;
  }
  return n;
}

/** What `docker info` counts on the command's node: the host's tally, else its Engine's. */
export function engineCounts(ctx: SwarmCommandContext): EngineCounts {
  if (ctx.engineCounts) return ctx.engineCounts();
  const engine = Engine.of(ctx.machine);
  if (!engine) return countStates([], 0);
  return countStates(
    engine.containers({ all: true }).map((c) => c.state),
    engine.localImages().length,
  );
}

const commit = (id: string) => goStruct("system.Commit", [field("ID", id), field("Expected", "", omitempty)]);
const pairs = (list: readonly (readonly [string, string])[]) =>
  goSlice(
    "[][2]string",
    list.map(([a, b]) => goSlice("[2]string", [a, b])),
  );

/** swarm.TLSInfo of the cluster: the trust root, and the issuer certificates are signed by now. */
function clusterTlsInfo(c: Cluster): GoValue {
  const issuerPem = c.rootCA.rootRotation?.caCertPem ?? c.rootCA.caCertPem;
  let subject: Uint8Array = new Uint8Array();
  let publicKey: Uint8Array = new Uint8Array();
  try {
    const issuer = parseCertificate(issuerPem);
    subject = issuer.subjectRaw;
    publicKey = issuer.spkiRaw;
  } catch {
    // A cluster object without a parsable root: Docker would show no issuer either.
  }
  return goStruct("swarm.TLSInfo", [
    field("TrustRoot", c.rootCA.caCertPem, omitempty),
    field("CertIssuerSubject", goBytes(subject), omitempty),
    field("CertIssuerPublicKey", goBytes(publicKey), omitempty),
  ]);
}

/** swarm.ClusterInfo as dockerd converts the cluster object (daemon/cluster/convert/swarm.go). */
export function clusterInfoValue(c: Cluster, epochMs: number, opts: { zero?: boolean } = {}): GoValue {
  const s = c.spec;
  const version = goStruct("swarm.Version", [field("Index", goScalar("uint64", c.version), omitempty)], {
    stringer: () => String(c.version),
  });
  const meta = goStruct("swarm.Meta", [
    field("Version", version, omitempty),
    field("CreatedAt", goTime(epochMs + c.createdAt), omitempty),
    field("UpdatedAt", goTime(epochMs + c.updatedAt), omitempty),
  ]);
  const spec = goStruct("swarm.Spec", [
    {
      name: "Annotations",
      embedded: true,
      value: goStruct("swarm.Annotations", [
        field("Name", s.name, omitempty),
        field("Labels", goStringMap({}), { name: "Labels" }),
      ]),
    },
    field(
      "Orchestration",
      goStruct("swarm.OrchestrationConfig", [
        field(
          "TaskHistoryRetentionLimit",
          goPointerTo("int64", s.orchestration.taskHistoryRetentionLimit),
          omitempty,
        ),
      ]),
      omitempty,
    ),
    field(
      "Raft",
      goStruct("swarm.RaftConfig", [
        field("SnapshotInterval", goScalar("uint64", s.raft.snapshotInterval), omitempty),
        field("KeepOldSnapshots", goPointerTo("uint64", s.raft.keepOldSnapshots), omitempty),
        field("LogEntriesForSlowFollowers", goScalar("uint64", s.raft.logEntriesForSlowFollowers), omitempty),
        field("ElectionTick", s.raft.electionTick),
        field("HeartbeatTick", s.raft.heartbeatTick),
      ]),
      omitempty,
    ),
    field(
      "Dispatcher",
      goStruct("swarm.DispatcherConfig", [
        field("HeartbeatPeriod", goDuration(s.dispatcher.heartbeatPeriodMs), omitempty),
      ]),
      omitempty,
    ),
    field(
      "CAConfig",
      goStruct("swarm.CAConfig", [
        field("NodeCertExpiry", goDuration(s.caConfig.nodeCertExpiryMs), omitempty),
        field("ExternalCAs", goSlice("[]*swarm.ExternalCA", null), omitempty),
        field("SigningCACert", "", omitempty),
        field("SigningCAKey", "", omitempty),
        field("ForceRotate", goScalar("uint64", s.caConfig.forceRotate), omitempty),
      ]),
      omitempty,
    ),
    field(
      "TaskDefaults",
      goStruct("swarm.TaskDefaults", [field("LogDriver", goNil("*swarm.Driver"), omitempty)]),
      omitempty,
    ),
    field(
      "EncryptionConfig",
      goStruct("swarm.EncryptionConfig", [field("AutoLockManagers", s.encryptionConfig.autoLockManagers)]),
      omitempty,
    ),
  ]);
  return goStruct(
    "swarm.ClusterInfo",
    [
      field("ID", c.id),
      { name: "Meta", embedded: true, value: meta },
      field("Spec", spec),
      field("TLSInfo", clusterTlsInfo(c)),
      field("RootRotationInProgress", !!c.rootCA.rootRotation),
      // SwarmKit's control API fills in the built-in pool and port when none were set.
      field("DefaultAddrPool", goStrings(opts.zero ? null : ["10.0.0.0/8"])),
      field("SubnetSize", goScalar("uint32", opts.zero ? 0 : 24)),
      field("DataPathPort", goScalar("uint32", opts.zero ? 0 : 4789)),
    ],
    { pointer: true },
  );
}

/** swarm.Info: the node's state, and on a manager the cluster (daemon/cluster/swarm.go Info). */
export function swarmInfoValue(info: SwarmInfo, epochMs: number): GoValue {
  const peers = info.remotePeers.map((p) =>
    goStruct("swarm.Peer", [field("NodeID", p.nodeId), field("Addr", p.addr)]),
  );
  let cluster: GoValue = goNil("*swarm.ClusterInfo");
  if (info.controlAvailable)
    cluster = info.cluster ? clusterInfoValue(info.cluster, epochMs) : zeroClusterInfo(epochMs);
  const warnings =
    info.controlAvailable && info.managers === 2 && info.localNodeState === "active"
      ? goStrings([TWO_MANAGERS_WARNING])
      : goStrings(null);
  return goStruct("swarm.Info", [
    field("NodeID", info.nodeId),
    field("NodeAddr", info.nodeAddr),
    field("LocalNodeState", goScalar("swarm.LocalNodeState", info.localNodeState)),
    field("ControlAvailable", info.controlAvailable),
    field("Error", info.error),
    field("RemoteManagers", goSlice("[]swarm.Peer", peers.length ? peers : null)),
    field("Nodes", info.nodes, omitempty),
    field("Managers", info.managers, omitempty),
    field("Cluster", cluster, omitempty),
    field("Warnings", warnings, omitempty),
  ]);
}

const TWO_MANAGERS_WARNING = `WARNING: Running Swarm in a two-manager configuration. This configuration provides
         no fault tolerance, and poses a high risk to lose control over the cluster.
         Refer to https://docs.docker.com/engine/swarm/admin_guide/ to configure the
         Swarm for fault-tolerance.`;

/** Go's zero time.Time (0001-01-01 00:00:00 UTC) in Unix milliseconds. */
const ZERO_TIME_MS = -62135596800000;

/** dockerd points Cluster at an empty ClusterInfo when it could not read the cluster. */
function zeroClusterInfo(epochMs: number): GoValue {
  const zero = ZERO_TIME_MS - epochMs;
  const cluster = {
    id: "",
    version: 0,
    createdAt: zero,
    updatedAt: zero,
    spec: {
      name: "",
      orchestration: { taskHistoryRetentionLimit: 0 },
      raft: {
        snapshotInterval: 0,
        keepOldSnapshots: 0,
        logEntriesForSlowFollowers: 0,
        heartbeatTick: 0,
        electionTick: 0,
      },
      dispatcher: { heartbeatPeriodMs: 0 },
      caConfig: { nodeCertExpiryMs: 0, forceRotate: 0 },
      encryptionConfig: { autoLockManagers: false },
    },
    rootCA: { caCertPem: "" },
  } as unknown as Cluster;
  return clusterInfoValue(cluster, epochMs, { zero: true });
}

/** The whole dockerInfo value of `docker info --format`. */
export function dockerInfoValue(ctx: SwarmCommandContext, info: SwarmInfo): GoValue {
  const e = ENGINE;
  const name = ctx.machine.name;
  const counts = engineCounts(ctx);
  const runtime = (path: string) =>
    goStruct("system.RuntimeWithStatus", [
      {
        name: "Runtime",
        embedded: true,
        value: goStruct("system.Runtime", [field("Path", path, { name: "path", omitempty: true })]),
      },
      field("Status", goMap("map[string]string", [], { nil: true }), { name: "status", omitempty: true }),
    ]);
  const system = goStruct(
    "system.Info",
    [
      field("ID", engineId(name)),
      field("Containers", counts.running + counts.paused + counts.stopped),
      field("ContainersRunning", counts.running),
      field("ContainersPaused", counts.paused),
      field("ContainersStopped", counts.stopped),
      field("Images", counts.images),
      field("Driver", e.driver),
      field("DriverStatus", pairs(e.driverStatus)),
      field("SystemStatus", goSlice("[][2]string", null), omitempty),
      field(
        "Plugins",
        goStruct("system.PluginsInfo", [
          field("Volume", goStrings(e.volumePlugins)),
          field("Network", goStrings(e.networkPlugins)),
          field("Authorization", goStrings(null)),
          field("Log", goStrings(e.logPlugins)),
        ]),
      ),
      field("MemoryLimit", true),
      field("SwapLimit", true),
      field("KernelMemory", false, omitempty),
      field("KernelMemoryTCP", false, omitempty),
      field("CPUCfsPeriod", true, { name: "CpuCfsPeriod" }),
      field("CPUCfsQuota", true, { name: "CpuCfsQuota" }),
      field("CPUShares", true),
      field("CPUSet", true),
      field("PidsLimit", true),
      field("IPv4Forwarding", true),
      field("Debug", false),
      field("NFd", 33),
      field("OomKillDisable", false),
      field("NGoroutines", 52),
      field("SystemTime", rfc3339Nano(ctx.sim.wallNow())),
      field("LoggingDriver", e.loggingDriver),
      field("CgroupDriver", e.cgroupDriver),
      field("CgroupVersion", e.cgroupVersion, omitempty),
      field("NEventsListener", 0),
      field("KernelVersion", e.kernelVersion),
      field("OperatingSystem", e.operatingSystem),
      field("OSVersion", e.osVersion),
      field("OSType", e.osType),
      field("Architecture", e.architecture),
      field("IndexServerAddress", "https://index.docker.io/v1/"),
      field(
        "RegistryConfig",
        goStruct(
          "registry.ServiceConfig",
          [
            field("InsecureRegistryCIDRs", goSlice("[]*registry.NetIPNet", ["127.0.0.0/8"])),
            field(
              "IndexConfigs",
              goMap("map[string]*registry.IndexInfo", [
                [
                  "docker.io",
                  goStruct(
                    "registry.IndexInfo",
                    [
                      field("Name", "docker.io"),
                      field("Mirrors", goStrings([])),
                      field("Secure", true),
                      field("Official", true),
                    ],
                    { pointer: true },
                  ),
                ],
              ]),
            ),
            field("Mirrors", goStrings(null)),
          ],
          { pointer: true },
        ),
      ),
      // The machine's size, as the text shows it.
      field("NCPU", ctx.machine.cores),
      field("MemTotal", goScalar("int64", ctx.machine.memoryBytes)),
      field("GenericResources", goSlice("[]swarm.GenericResource", null)),
      field("DockerRootDir", e.dockerRootDir),
      field("HTTPProxy", "", { name: "HttpProxy" }),
      field("HTTPSProxy", "", { name: "HttpsProxy" }),
      field("NoProxy", ""),
      field("Name", name),
      field("Labels", goStrings([])),
      field("ExperimentalBuild", false),
      field("ServerVersion", e.version),
      field(
        "Runtimes",
        goMap("map[string]system.RuntimeWithStatus", [
          ["io.containerd.runc.v2", runtime("runc")],
          ["runc", runtime("runc")],
        ]),
      ),
      field("DefaultRuntime", "runc"),
      field("Swarm", swarmInfoValue(info, ctx.sim.epochMs)),
      field("LiveRestoreEnabled", false),
      field("Isolation", goScalar("container.Isolation", "")),
      field("InitBinary", "docker-init"),
      field("ContainerdCommit", commit(e.containerdCommit)),
      field("RuncCommit", commit(e.runcCommit)),
      field("InitCommit", commit(e.initCommit)),
      field("SecurityOptions", goStrings(["name=seccomp,profile=builtin", "name=cgroupns"])),
      field("ProductLicense", "Community Engine", omitempty),
      field("DefaultAddressPools", goSlice("[]system.NetworkAddressPool", null), omitempty),
      field("FirewallBackend", goNil("*system.FirewallInfo"), { name: "FirewallBackend", omitempty: true }),
      field("CDISpecDirs", goStrings(["/etc/cdi", "/var/run/cdi"])),
      field("DiscoveredDevices", goSlice("[]system.DeviceInfo", null), omitempty),
      field(
        "Containerd",
        goStruct(
          "system.ContainerdInfo",
          [
            field("Address", "/var/run/docker/containerd/containerd.sock", omitempty),
            field(
              "Namespaces",
              goStruct("system.ContainerdNamespaces", [
                field("Containers", "moby"),
                field("Plugins", "plugins.moby"),
              ]),
            ),
          ],
          { pointer: true },
        ),
        omitempty,
      ),
      field("Warnings", goStrings(null)),
    ],
    { pointer: true },
  );
  const plugins = e.plugins.map((p) =>
    goStruct("manager.Plugin", [
      {
        name: "Metadata",
        embedded: true,
        value: goStruct("metadata.Metadata", [
          field("SchemaVersion", "0.1.0", omitempty),
          field("Vendor", "Docker Inc.", omitempty),
          field("Version", p.version, omitempty),
          field("ShortDescription", p.description, omitempty),
          field("URL", "", omitempty),
        ]),
      },
      field("Name", p.name, omitempty),
      field("Path", `/usr/local/libexec/docker/cli-plugins/${p.path}`, omitempty),
      field("Err", NIL_INTERFACE, omitempty),
      field("ShadowedPaths", goStrings(null), omitempty),
    ]),
  );
  const clientVersion = goStruct("system.clientVersion", [
    field("Platform", goNil("*system.platformInfo"), { name: "Platform", omitempty: true }),
    field("Version", e.version, { name: "Version", omitempty: true }),
    field("APIVersion", "", { name: "ApiVersion", omitempty: true }),
    field("DefaultAPIVersion", e.defaultApiVersion, { name: "DefaultAPIVersion", omitempty: true }),
    field("GitCommit", e.gitCommit, { name: "GitCommit", omitempty: true }),
    field("GoVersion", e.goVersion, { name: "GoVersion", omitempty: true }),
    field("Os", e.osType, { name: "Os", omitempty: true }),
    field("Arch", "amd64", { name: "Arch", omitempty: true }),
    field("BuildTime", e.buildTime, { name: "BuildTime", omitempty: true }),
    field("Context", "default", { name: "Context" }),
  ]);
  const clientInfo = goStruct(
    "system.clientInfo",
    [
      field("Debug", false),
      { name: "clientVersion", embedded: true, value: clientVersion },
      field("Plugins", goSlice("[]manager.Plugin", plugins)),
      field("Warnings", goStrings(null)),
    ],
    { pointer: true },
  );
  return goStruct("system.dockerInfo", [
    { name: "Info", embedded: true, value: system, json: { omitempty: true } },
    field("ServerErrors", goStrings(null), omitempty),
    { name: "UserName", value: "", json: { skip: true } },
    field("ClientInfo", clientInfo, omitempty),
    field("ClientErrors", goStrings(null), omitempty),
  ]);
}
