// SwarmKit's defaults for a service spec (api/defaults/service.go) and the Docker CLI's flag
// defaults: restart any / 5 s / unlimited; update and rollback parallelism 1, delay 0, failure
// action pause, monitor 5 s, ratio 0, stop-first; stop grace period 10 s; VIP endpoint mode.
import type { ServiceSpec, TaskSpec, UpdateConfig } from "../../api/types";

export const DEFAULT_UPDATE_CONFIG: UpdateConfig = {
  parallelism: 1,
  delayMs: 0,
  failureAction: "pause",
  monitorMs: 5000,
  maxFailureRatio: 0,
  order: "stop-first",
};

export function defaultTaskSpec(image: string): TaskSpec {
  return {
    container: { image, env: [], stopGracePeriodMs: 10_000 },
    resources: { reservations: { nanoCPUs: 0, memoryBytes: 0 }, limits: { nanoCPUs: 0, memoryBytes: 0 } },
    restartPolicy: { condition: "any", delayMs: 5000, maxAttempts: 0, windowMs: 0 },
    placement: { constraints: [], preferences: [], maxReplicas: 0 },
    networks: [],
    forceUpdate: 0,
  };
}

export function defaultServiceSpec(name: string, image: string): ServiceSpec {
  return {
    name,
    labels: {},
    task: defaultTaskSpec(image),
    mode: { kind: "replicated", replicas: 1 },
    update: { ...DEFAULT_UPDATE_CONFIG },
    rollback: { ...DEFAULT_UPDATE_CONFIG },
    endpoint: { mode: "vip", ports: [] },
  };
}
