// Raft in flight: the messages between managers (votes, appends, heartbeats and their answers),
// taken from the lab's raft wire tap (manager/raft's RaftWireTap, which every manager's raft
// host calls as it sends and as it takes a message in). Each message sent becomes a flight from
// one machine to another; when the receiving member takes it in, the flight has landed; one
// that never lands was lost (a partition, a dead peer). The studio hands the flights to the page,
// which animates them as RaftScope does. It is attached only while a page watches at a slow
// speed: otherwise the tap has no handlers and costs nothing. It only looks at the messages.
import type { Message } from "@swarm-sim/raft";
import { splitHostPort } from "../../api/address";
import type { Machine } from "../../kernel/machine";
import type { LabWorld } from "../world";

export interface RaftFlight {
  id: number;
  /** Simulated ms it was sent at. */
  t: number;
  from: string;
  to: string;
  /** Raft's message type without "Msg": Vote, VoteResp, PreVote, App, AppResp, Heartbeat... */
  type: string;
  term: number;
  /** Entries carried (App). */
  entries: number;
  /** The log index it speaks of (App: the one before its entries; AppResp: the last accepted). */
  index: number;
  commit: number;
  reject: boolean;
}

export interface FlightBatch {
  flights: RaftFlight[];
  /** Ids of flights that landed since the last batch. */
  landed: number[];
}

/** Flights waiting to land are forgotten (lost) after this much simulated time. */
const LOST_AFTER_MS = 10_000;
/** At most this many flights wait to land, and at most this many are kept for a page. */
const MAX_PENDING = 4000;
const MAX_BATCH = 2000;

function key(from: string, to: string, m: Message): string {
  return `${from}>${to}|${m.type}|${m.term}|${m.index}|${m.logTerm}|${m.commit}|${m.entries.length}|${m.reject}`;
}

export class RaftFlights {
  private world: LabWorld | undefined;
  private nextId = 1;
  /** Flights in the air, by message key, oldest first (a link delivers in order). */
  private readonly pending = new Map<string, { id: number; t: number }[]>();
  private pendingCount = 0;
  private batch: FlightBatch = { flights: [], landed: [] };

  get attached(): boolean {
    return this.world !== undefined;
  }

  /** Starts watching `world`'s managers (handlers on its raft wire tap). */
  attach(world: LabWorld): void {
    if (this.world === world) return;
    this.detach();
    this.world = world;
    const tap = world.raftWire;
    tap.sent = (machine, toAddr, m) => this.sent(machine, toAddr, m);
    tap.received = (machine, fromHost, m) => this.received(machine, fromHost, m);
  }

  /** Stops watching (the tap's handlers go: the hot path is back to a property read). */
  detach(): void {
    const w = this.world;
    if (!w) return;
    w.raftWire.sent = undefined;
    w.raftWire.received = undefined;
    this.world = undefined;
    this.pending.clear();
    this.pendingCount = 0;
    this.batch = { flights: [], landed: [] };
  }

  private nameAt(host: string): string | undefined {
    const ip = splitHostPort(host)?.host ?? host;
    return this.world?.sim.machineAt(ip)?.name;
  }

  private sent(machine: Machine, toAddr: string, m: Message): void {
    const to = this.nameAt(toAddr);
    if (!to || !this.world) return;
    const t = this.world.sim.now();
    const f: RaftFlight = {
      id: this.nextId++,
      t,
      from: machine.name,
      to,
      type: m.type.replace(/^Msg/, ""),
      term: m.term,
      entries: m.entries.length,
      index: m.index,
      commit: m.commit,
      reject: m.reject,
    };
    if (this.batch.flights.length < MAX_BATCH) this.batch.flights.push(f);
    if (this.pendingCount >= MAX_PENDING) this.forgetOld(t, true);
    const k = key(f.from, to, m);
    const list = this.pending.get(k);
    if (list) list.push({ id: f.id, t });
    else this.pending.set(k, [{ id: f.id, t }]);
    this.pendingCount++;
  }

  private received(machine: Machine, fromHost: string, m: Message): void {
    const from = this.nameAt(fromHost);
    if (!from) return;
    const k = key(from, machine.name, m);
    const list = this.pending.get(k);
    const f = list?.shift();
    if (!f) return;
    if (list!.length === 0) this.pending.delete(k);
    this.pendingCount--;
    if (this.batch.landed.length < MAX_BATCH) this.batch.landed.push(f.id);
  }

  /** Forgets flights older than LOST_AFTER_MS (all the oldest when `hard`). */
  private forgetOld(now: number, hard = false): void {
    for (const [k, list] of this.pending) {
      while (list.length > 0 && (hard || now - list[0].t > LOST_AFTER_MS)) {
        list.shift();
        this.pendingCount--;
        if (hard) break;
      }
      if (list.length === 0) this.pending.delete(k);
    }
  }

  /** The flights sent and landed since the last call. */
  drain(): FlightBatch {
    if (this.world) this.forgetOld(this.world.sim.now());
    const b = this.batch;
    this.batch = { flights: [], landed: [] };
    return b;
  }
}
