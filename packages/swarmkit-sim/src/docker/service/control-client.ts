// The docker CLI's side of the control API's service and network calls (the Docker CLI's
// client.ServiceCreate, ServiceUpdate, ServiceRemove, NetworkCreate, NetworkRemove through
// dockerd): references are resolved on this manager's replica, as dockerd resolves them (with
// its own errors, src/node/lookup.ts), and the write is a control-API call that the leader
// serves (src/manager/controlapi/services.ts validates it there). An update sends the whole new
// spec, as the CLI does.
import type { Network, Service, ServiceSpec } from "../../api/types";
import { CONTROL } from "../../api/methods";
import type { RandomSource } from "../../ca/random";
import type { NetworkOptions } from "../../manager/controlapi/services";
import type { MemoryStore } from "../../manager/store/memory-store";
import { lookupNetwork, lookupService } from "../../node/lookup";

export { lookupNetwork, lookupService };

/** What a service command holds: the local replica (reads) and the control API (writes). */
export interface ServiceControl {
  store: MemoryStore;
  call<T>(method: string, req: unknown, done: (err: Error | null, res?: T) => void): void;
  /** For what the CLI itself picks (a service's random name). */
  random: RandomSource;
  now(): number;
}

type Done<T> = (err: Error | null, res?: T) => void;

function answer<T>(key: string, done: Done<T>) {
  return (err: Error | null, res?: Record<string, T>) => done(err, err ? undefined : res?.[key]);
}

/** What `lookup` finds in the local store, or undefined after handing its error to `done`. */
function found<T, R>(lookup: () => T, done: Done<R>): T | undefined {
  try {
    return lookup();
  } catch (e) {
    done(e as Error);
    return undefined;
  }
}

export function createService(c: ServiceControl, spec: ServiceSpec, done: Done<Service>): void {
  c.call(CONTROL.createService, { spec }, answer("service", done));
}

/** docker service update / scale: the service's spec as `edit` makes it, sent whole. */
export function updateService(
  c: ServiceControl,
  ref: string,
  edit: (spec: ServiceSpec) => ServiceSpec,
  done: Done<Service>,
): void {
  const edited = found(() => {
    const s = lookupService(c.store, ref);
    return { s, spec: edit(structuredClone(s.spec) as ServiceSpec) };
  }, done);
  if (!edited) return;
  c.call(CONTROL.updateService, { serviceId: edited.s.id, spec: edited.spec }, answer("service", done));
}

/** docker service rollback (update --rollback): the leader puts the previous spec back. */
export function rollbackService(c: ServiceControl, ref: string, done: Done<Service>): void {
  const s = found(() => lookupService(c.store, ref), done);
  if (!s) return;
  c.call(CONTROL.updateService, { serviceId: s.id, rollback: "previous" }, answer("service", done));
}

export function removeService(c: ServiceControl, ref: string, done: Done<Service>): void {
  const s = found(() => lookupService(c.store, ref), done);
  if (!s) return;
  c.call(CONTROL.removeService, { serviceId: s.id }, answer("service", done));
}

export function createNetwork(c: ServiceControl, o: NetworkOptions, done: Done<Network>): void {
  c.call(CONTROL.createNetwork, o, answer("network", done));
}

export function removeNetwork(c: ServiceControl, ref: string, done: Done<Network>): void {
  const n = found(() => lookupNetwork(c.store, ref), done);
  if (!n) return;
  c.call(CONTROL.removeNetwork, { networkId: n.id }, answer("network", done));
}
