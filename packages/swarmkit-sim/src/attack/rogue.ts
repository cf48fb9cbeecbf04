// An attacker's toolbox, for tests, scenarios and the lab: a rogue machine on the simulated
// network that talks to the swarm only through the kernel, as a compromised or foreign host
// would. It may never have joined (it presents no certificate), or hold what it stole from a
// node's disk: the certificate alone (a PEM handed out in a handshake, or read from a backup)
// or the certificate with its key (the node itself is owned). With a certificate but not its
// key it signs the handshake with a key of its own, which cannot match.
//
//   const rogue = Rogue.create(sim, "rogue");
//   rogue.present(stealIdentity(leader.machine, { withKey: false }));
//   rogue.callNow(leader.advertiseAddr, "Control.GetCluster");   // refused: no proof of possession
//
// Everything here acts through the kernel (messages from the rogue's own machine), so what it
// achieves is what the simulated swarm lets an attacker achieve. callNow, harvestChain and
// guessConnections run the simulation until the answer comes (tests and scenarios); call,
// startHarvest, startGuess and flood return at once, for a host that owns time (the lab's
// `rogue` command).
import type { IssueRequest } from "../api/ca";
import { CA_METHODS } from "../api/methods";
import { MANAGER_ROLE, type NodeRole, WORKER_ROLE } from "../ca/constants";
import { newId } from "../ca/identity";
import { generateKeyPair, signingKeyFromPem } from "../ca/keys";
import { RootCA } from "../ca/rootca";
import type { Machine } from "../kernel/machine";
import type { Random } from "../kernel/random";
import type { Sim } from "../kernel/sim";
import { NODE_CERT, NODE_KEY } from "../node/state";
import { GrpcError } from "../transport/grpc-error";
import {
  isBytes,
  NONCE_BYTES,
  SHARE_BYTES,
  clientTranscript,
  connectionBinder,
  serverTranscript,
} from "../transport/handshake";
import type { Credentials } from "../transport/identity";
import { RpcClient } from "../transport/rpc-client";
import { RpcServer } from "../transport/rpc-server";
import { asWire } from "../transport/wire";

/** What the rogue presents: a chain, and the key it signs with (the chain's own, or not). */
export interface StolenIdentity {
  chain: string;
  /** The chain's private key (PEM) when it was stolen too; null: the rogue signs with its own. */
  keyPem: string | null;
}

/**
 * What an attacker who can read `victim`'s disk takes: its certificate, and with `withKey` its
 * private key too (null when the key is sealed by autolock: it cannot be read).
 */
export function stealIdentity(victim: Machine, opts: { withKey: boolean }): StolenIdentity {
  const chain = (victim.disk.read(NODE_CERT) as string | undefined) ?? "";
  const stored = victim.disk.read(NODE_KEY) as { pem?: string } | undefined;
  return { chain, keyPem: opts.withKey ? (stored?.pem ?? null) : null };
}

/** A call's outcome: null when served (with the answer), else `Code: description`. */
export interface RogueAnswer {
  err: string | null;
  res?: unknown;
}

const answerOf = (err: GrpcError | null, res?: unknown): RogueAnswer =>
  err ? { err: `${err.code}: ${err.desc}` } : { err: null, res };

function splitTarget(target: string): { address: string; port: number } {
  const i = target.lastIndexOf(":");
  return { address: target.slice(0, i), port: Number(target.slice(i + 1)) };
}

/** Options for a fake manager the rogue serves (to catch joining nodes). */
export interface FakeManagerOptions {
  /** The root CA certificate it hands out (a real swarm's public root, to match a token's digest). */
  rootPem: string;
  /**
   * What it presents in handshakes: a stolen manager identity (with or without its key), or by
   * default a manager certificate of a CA of its own.
   */
  identity?: StolenIdentity;
  /** The certificate it answers a join with (default: one from its own CA, for a node ID it picks). */
  issue?: (req: IssueRequest) => { nodeId: string; certificatePem: string; role: NodeRole };
  port?: number;
}

/** What a fake manager saw. */
export interface FakeManager {
  /** Join tokens joining nodes sent it. */
  readonly tokens: string[];
  /** Root CA requests it answered. */
  rootRequests: number;
  stop(): void;
}

export class Rogue {
  private identity: StolenIdentity | null = null;
  private readonly rand: Random;

  private constructor(
    readonly sim: Sim,
    readonly machine: Machine,
  ) {
    this.rand = sim.random.fork(`rogue/${machine.name}`);
  }

  /** A machine that never joined anything, on the simulated network. */
  static create(sim: Sim, name = "rogue", opts: { address?: string } = {}): Rogue {
    const m = sim.addMachine(name, opts.address ? { addresses: [opts.address] } : {});
    return new Rogue(sim, m);
  }

  /** The rogue acting from an existing machine (a node it owns). */
  static on(sim: Sim, machine: Machine): Rogue {
    return new Rogue(sim, machine);
  }

  /** Presents this identity from now on (null: no certificate at all). */
  present(identity: StolenIdentity | null): this {
    this.identity = identity;
    return this;
  }

  /** The credentials it handshakes with: the stolen key, or a key of its own that cannot match. */
  credentials(): Credentials | null {
    const id = this.identity;
    if (!id?.chain) return null;
    const key = id.keyPem ? signingKeyFromPem(id.keyPem) : generateKeyPair(this.rand).privateKey;
    return { chain: id.chain, key };
  }

  /** One call to a manager's port (host:port), with what the rogue presents. */
  call(target: string, method: string, body: unknown, done: (a: RogueAnswer) => void): void {
    const creds = this.credentials();
    const c = new RpcClient(this.machine, splitTarget(target), { credentials: () => creds });
    c.call(method, body, 5000, (err, res) => {
      c.close();
      done(answerOf(err, res));
    });
  }

  /** `call`, running the simulation until the answer comes (tests and scenarios). */
  callNow(target: string, method: string, body: unknown = {}): RogueAnswer {
    let out: RogueAnswer | undefined;
    this.call(target, method, body, (a) => {
      out = a;
    });
    this.sim.runUntil(() => out !== undefined, 10_000);
    return out ?? { err: "DeadlineExceeded: no answer" };
  }

  /**
   * The certificate chain a server presents to anyone who says hello (public, as in TLS): the
   * raw material of a replay. Runs the simulation until the ServerHello comes ("" if none).
   */
  harvestChain(target: string): string {
    const h = this.startHarvest(target);
    this.sim.runUntil(() => h.chain() !== "", 5000);
    h.stop();
    return h.chain();
  }

  /** Says hello to `target` and keeps the chain of its ServerHello; `chain()` is "" until it comes. */
  startHarvest(target: string): { chain(): string; stop(): void } {
    const port = 40_000 + this.rand.int(20_000);
    let chain = "";
    const stop = this.machine.listen(port, (msg) => {
      const w = asWire(msg.payload);
      if (w?.t === "shello" && typeof w.chain === "string") chain = w.chain;
    });
    this.machine.send(
      splitTarget(target),
      { t: "hello", c: 1, n: this.rand.bytes(NONCE_BYTES), k: this.rand.bytes(SHARE_BYTES) },
      port,
    );
    return { chain: () => chain, stop };
  }

  /**
   * Requests sent with no handshake of its own, each naming a guessed connection number, as
   * the client's and as the server's (both are small and sequential): the numbers whose
   * request was answered as served. A server that bound requests to their connection's source
   * answers none.
   */
  guessConnections(target: string, numbers: readonly number[], method: string, body: unknown = {}): number[] {
    const g = this.startGuess(target, numbers, method, body);
    this.sim.runFor(2000);
    g.stop();
    return g.served();
  }

  /** Sends the guesses of `guessConnections`; `served()` lists the numbers answered so far. */
  startGuess(
    target: string,
    numbers: readonly number[],
    method: string,
    body: unknown = {},
  ): { served(): number[]; stop(): void } {
    const port = 40_000 + this.rand.int(20_000);
    const served: number[] = [];
    const byId = new Map<number, number>();
    const stop = this.machine.listen(port, (msg) => {
      const w = asWire(msg.payload);
      if (w?.t === "res" && !w.e && byId.has(w.id)) served.push(byId.get(w.id)!);
    });
    let id = 1;
    for (const c of numbers) {
      byId.set(id, c);
      this.machine.send(
        splitTarget(target),
        { t: "req", c, s: c, k: "", id: id++, m: method, b: body },
        port,
      );
    }
    return { served: () => [...served].sort((a, b) => a - b), stop };
  }

  /**
   * `n` unauthenticated handshakes in a burst, completed (hello, then Finished with the binder
   * the server's answer gives) from one port each, with the connection numbers `numbers` (by
   * default 1..n: the numbers legitimate clients hold). Returns at once; the simulation runs on.
   */
  flood(target: string, n: number, numbers?: readonly number[]): void {
    const to = splitTarget(target);
    for (let i = 0; i < n; i++) {
      const c = numbers ? numbers[i % numbers.length] : i + 1;
      const port = 20_000 + i;
      const nonce = this.rand.bytes(NONCE_BYTES);
      const share = this.rand.bytes(SHARE_BYTES);
      const stop = this.machine.listen(port, (msg) => {
        const w = asWire(msg.payload);
        if (w?.t !== "shello" || !isBytes(w.n, NONCE_BYTES) || !isBytes(w.k, SHARE_BYTES)) return;
        const th = clientTranscript(serverTranscript(nonce, share, w.n, w.k, w.chain), null);
        this.machine.send(
          to,
          { t: "fin", c, chain: null, sig: null, k: connectionBinder(share, w.k, th) },
          port,
        );
        stop();
      });
      this.machine.send(to, { t: "hello", c, n: nonce, k: share }, port);
    }
  }

  /**
   * Serves a fake manager on the rogue's machine (port 2377 by default): the public root CA to
   * anyone, and a certificate for any join token (which it keeps). Joining nodes pointed at it
   * must refuse it before they send their token.
   */
  serveFakeManager(o: FakeManagerOptions): FakeManager {
    const own = RootCA.create(this.rand, { now: this.sim.now(), epochMs: this.sim.epochMs });
    const ownKey = generateKeyPair(this.rand);
    const ownCert = own.issueNodeCertificate({
      nodeId: newId(this.rand),
      role: MANAGER_ROLE,
      clusterId: newId(this.rand),
      publicKey: ownKey,
      now: this.sim.now(),
      rand: this.rand,
    }).certPem;
    const presented = o.identity ?? { chain: ownCert, keyPem: ownKey.privateKeyPem };
    const key = presented.keyPem
      ? signingKeyFromPem(presented.keyPem)
      : generateKeyPair(this.rand).privateKey;
    const fake: FakeManager = { tokens: [], rootRequests: 0, stop: () => server.stop() };
    const issued = new Map<string, { certificatePem: string; role: NodeRole }>();
    const server = new RpcServer(this.machine, o.port ?? 2377, {
      verifyClient: () => null,
      serverCredentials: () => ({ chain: presented.chain, key }),
      authorize: () => null,
      authorizeForwarded: () => null,
    });
    server.handle(CA_METHODS.getRootCA, "insecure", (_req, call) => {
      fake.rootRequests++;
      call.reply({ certificatePem: o.rootPem });
    });
    server.handle(CA_METHODS.issue, "insecure", (req: IssueRequest, call) => {
      if (typeof req?.token === "string") fake.tokens.push(req.token);
      const answer =
        o.issue?.(req) ??
        (() => {
          const nodeId = newId(this.rand);
          const certificatePem = own.issueNodeCertificate({
            nodeId,
            role: WORKER_ROLE,
            clusterId: newId(this.rand),
            publicKey: req.publicKeyPem,
            now: this.sim.now(),
            rand: this.rand,
          }).certPem;
          return { nodeId, certificatePem, role: "worker" as NodeRole };
        })();
      issued.set(answer.nodeId, answer);
      call.reply({ nodeId: answer.nodeId });
    });
    server.handle(CA_METHODS.status, "insecure", (req: { nodeId: string }, call) => {
      const a = issued.get(req?.nodeId) ?? [...issued.values()][0];
      if (!a) return call.fail(new GrpcError("NotFound", "NotFound"));
      call.reply({ state: "issued", certificatePem: a.certificatePem, role: a.role });
    });
    server.start();
    return fake;
  }
}
