// Raft messages straight over the kernel network, for tests of raft without managers: each
// member listens on its port (SwarmKit's 2377) and sends plain messages, with no certificates
// (so the source carries no node ID).
import type { RaftWireMessage } from "../../api/raft";
import type { Machine } from "../../kernel/machine";
import type { Message as NetMessage } from "../../kernel/addresses";
import { splitAddr } from "../../api/address";
import type { RaftDeliver, RaftTransport } from "./transport";

export const DEFAULT_RAFT_PORT = 2377;

export class KernelRaftTransport implements RaftTransport {
  private unlisten: (() => void) | null = null;
  sent = 0;
  received = 0;

  constructor(
    private readonly machine: Machine,
    private readonly port = DEFAULT_RAFT_PORT,
  ) {}

  listen(deliver: RaftDeliver): void {
    this.unlisten?.();
    this.unlisten = this.machine.listen(this.port, (nm: NetMessage) => {
      this.received++;
      deliver(nm.payload as RaftWireMessage, { host: nm.from.address });
    });
  }

  send(addr: string, wire: RaftWireMessage): void {
    const [address, port] = splitAddr(addr);
    this.sent++;
    this.machine.send({ address, port }, wire, this.port);
  }

  close(): void {
    this.unlisten?.();
    this.unlisten = null;
  }
}
