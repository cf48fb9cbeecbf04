// `docker service inspect`: the service in the Docker Engine API's shape (types/swarm/service.go),
// for the fields the simulator models. Durations are nanoseconds, times RFC 3339.
import {
  isJobMode,
  type PortConfig,
  type Service,
  type ServiceMode,
  type ServiceSpec,
  type UpdateConfig,
} from "../../api/types";
import { rfc3339Nano } from "../../cli/format/template";

const ns = (ms: number) => Math.round(ms * 1e6);
const time = (epochMs: number, t: number) => rfc3339Nano(epochMs + t);

function update(c: UpdateConfig) {
  return {
    Parallelism: c.parallelism,
    ...(c.delayMs ? { Delay: ns(c.delayMs) } : {}),
    FailureAction: c.failureAction,
    Monitor: ns(c.monitorMs),
    MaxFailureRatio: c.maxFailureRatio,
    Order: c.order,
  };
}

function port(p: PortConfig) {
  return {
    Protocol: p.protocol,
    TargetPort: p.targetPort,
    ...(p.publishedPort ? { PublishedPort: p.publishedPort } : {}),
    PublishMode: p.publishMode,
  };
}

function mode(m: ServiceMode) {
  switch (m.kind) {
    case "replicated":
      return { Replicated: { Replicas: m.replicas } };
    case "global":
      return { Global: {} };
    case "replicated-job":
      return { ReplicatedJob: { MaxConcurrent: m.maxConcurrent, TotalCompletions: m.totalCompletions } };
    case "global-job":
      return { GlobalJob: {} };
  }
}

function spec(s: ServiceSpec) {
  const t = s.task;
  return {
    Name: s.name,
    Labels: s.labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: t.container.image,
        ...(t.container.labels && Object.keys(t.container.labels).length
          ? { Labels: t.container.labels }
          : {}),
        ...(t.container.command?.length ? { Command: t.container.command } : {}),
        ...(t.container.args ? { Args: t.container.args } : {}),
        ...(t.container.env.length ? { Env: t.container.env } : {}),
        ...(t.container.hostname ? { Hostname: t.container.hostname } : {}),
        StopGracePeriod: ns(t.container.stopGracePeriodMs),
        DNSConfig: {},
        Isolation: "default",
      },
      Resources: {
        Limits: {
          ...(t.resources.limits.nanoCPUs ? { NanoCPUs: t.resources.limits.nanoCPUs } : {}),
          ...(t.resources.limits.memoryBytes ? { MemoryBytes: t.resources.limits.memoryBytes } : {}),
        },
        Reservations: {
          ...(t.resources.reservations.nanoCPUs ? { NanoCPUs: t.resources.reservations.nanoCPUs } : {}),
          ...(t.resources.reservations.memoryBytes
            ? { MemoryBytes: t.resources.reservations.memoryBytes }
            : {}),
        },
      },
      RestartPolicy: {
        Condition: t.restartPolicy.condition,
        Delay: ns(t.restartPolicy.delayMs),
        MaxAttempts: t.restartPolicy.maxAttempts,
        ...(t.restartPolicy.windowMs ? { Window: ns(t.restartPolicy.windowMs) } : {}),
      },
      Placement: {
        ...(t.placement.constraints.length ? { Constraints: t.placement.constraints } : {}),
        ...(t.placement.preferences.length
          ? {
              Preferences: t.placement.preferences.map((p) => ({
                Spread: { SpreadDescriptor: p.spreadDescriptor },
              })),
            }
          : {}),
        ...(t.placement.maxReplicas ? { MaxReplicas: t.placement.maxReplicas } : {}),
      },
      ...(t.networks.length
        ? {
            Networks: t.networks.map((n) => ({
              Target: n.target,
              ...(n.aliases ? { Aliases: n.aliases } : {}),
            })),
          }
        : {}),
      ForceUpdate: t.forceUpdate,
      Runtime: "container",
    },
    Mode: mode(s.mode),
    // Jobs have no update or rollback config (SwarmKit refuses one).
    ...(isJobMode(s.mode) ? {} : { UpdateConfig: update(s.update), RollbackConfig: update(s.rollback) }),
    EndpointSpec: {
      Mode: s.endpoint.mode,
      ...(s.endpoint.ports.length ? { Ports: s.endpoint.ports.map(port) } : {}),
    },
  };
}

export function serviceToApi(s: Service, epochMs: number) {
  return {
    ID: s.id,
    Version: { Index: s.version },
    CreatedAt: time(epochMs, s.createdAt),
    UpdatedAt: time(epochMs, s.updatedAt),
    Spec: spec(s.spec),
    ...(s.previousSpec ? { PreviousSpec: spec(s.previousSpec) } : {}),
    Endpoint: {
      Spec: {
        Mode: s.spec.endpoint.mode,
        ...(s.spec.endpoint.ports.length ? { Ports: s.spec.endpoint.ports.map(port) } : {}),
      },
      ...(s.endpoint?.ports.length ? { Ports: s.endpoint.ports.map(port) } : {}),
      ...(s.endpoint?.virtualIPs.length
        ? { VirtualIPs: s.endpoint.virtualIPs.map((v) => ({ NetworkID: v.networkId, Addr: v.addr })) }
        : {}),
    },
    ...(s.jobStatus
      ? {
          JobStatus: {
            JobIteration: { Index: s.jobStatus.jobIteration },
            LastExecution: time(epochMs, s.jobStatus.lastExecution),
          },
        }
      : {}),
    ...(s.updateStatus
      ? {
          UpdateStatus: {
            State: s.updateStatus.state,
            ...(s.updateStatus.startedAt !== undefined
              ? { StartedAt: time(epochMs, s.updateStatus.startedAt) }
              : {}),
            ...(s.updateStatus.completedAt !== undefined
              ? { CompletedAt: time(epochMs, s.updateStatus.completedAt) }
              : {}),
            Message: s.updateStatus.message,
          },
        }
      : {}),
  };
}
