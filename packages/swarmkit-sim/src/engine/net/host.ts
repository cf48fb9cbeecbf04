// Where a process sits on the network: its machine, the address its traffic leaves from, the
// addresses its listeners bind to, and the gate that holds its work while its container is
// paused. A container on a bridge network binds its own addresses; one on the host network
// binds every address of the machine (bindAddresses undefined).
import type { Machine } from "../../kernel/machine";
import type { ResourceMeter } from "../meter";

export interface Gate {
  /** False while the process is frozen (docker pause): arriving work waits. */
  readonly runnable: boolean;
  /** False once the process has exited: arriving work is dropped. */
  readonly alive: boolean;
  /** Keeps `fn` until the process is runnable again. */
  hold(fn: () => void): void;
}

export interface NetHost {
  readonly machine: Machine;
  readonly sourceAddress: string;
  readonly bindAddresses: readonly string[] | undefined;
  readonly meter: ResourceMeter | undefined;
  readonly gate: Gate | undefined;
}

/** A process on the machine itself (a browser, a CLI tool): every address, no container. */
export function machineHost(machine: Machine): NetHost {
  return {
    machine,
    sourceAddress: machine.address,
    bindAddresses: undefined,
    meter: undefined,
    gate: undefined,
  };
}

/**
 * A free local port for a client socket. Linux's ephemeral range is 32768-60999; the engine
 * takes ports from the top so that it does not meet the swarm transport's counter, which
 * counts up from the bottom, and checks that nothing listens there already.
 */
export function pickEphemeralPort(host: NetHost): number {
  const m = host.machine;
  const state = portState(m);
  for (let i = 0; i < 28_232; i++) {
    const port = state.next;
    state.next = port <= 32768 ? 60999 : port - 1;
    if (m.isListening(port)) continue;
    if (host.bindAddresses === undefined) {
      if (!m.isListening(port, host.sourceAddress)) return port;
    } else if (!host.bindAddresses.some((a) => m.isListening(port, a))) return port;
  }
  throw new Error(`no free ephemeral port on ${m.name}`);
}

const ports = new WeakMap<Machine, { next: number }>();
function portState(m: Machine): { next: number } {
  let s = ports.get(m);
  if (!s) ports.set(m, (s = { next: 60999 }));
  return s;
}
