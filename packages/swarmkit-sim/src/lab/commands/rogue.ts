// The attacker in the lab: `rogue ...` acts from a machine on node1's network that never joined
// the swarm (created on first use), with the attacker's toolbox (src/attack/rogue.ts), so a
// student can try issue 17's attacks against the cluster they built and see each refused:
//
//   rogue call node1 Control.GetCluster               no certificate: the handshake fails
//   rogue call --cert node2 node1 Control.GetCluster  node2's certificate stolen without its key
//   rogue call --cert node2 --key node1 Dispatcher.Heartbeat   ... with its key: a worker's share only
//   rogue replay node1 Control.GetCluster             the certificate node1 shows anyone, replayed
//   rogue guess node1 300                             requests naming connection numbers 1..300
//   rogue flood node1 400                             400 unauthenticated handshakes in a burst
//
// A target is a lab node (its swarm address, or its address and port 2377) or HOST:PORT. The
// command waits for answers as a job (the host loop moves the clock, as for `sleep`).
import { Rogue, type RogueAnswer, stealIdentity } from "../../attack/rogue";
import { call, forMs, type Job, until } from "../../cli/job";
import type { LabIO, LabShellCommand } from "../plugin";
import { swarmOf, type LabWorld } from "../world";
import { usage } from "./usage";

const ROGUE_MACHINE = "rogue";
/** How long a call may wait for its answer (the rogue's own deadline is 5 s). */
const CALL_LIMIT_MS = 10_000;
/** How long guesses and a flood are given before the command reports. */
const SETTLE_MS = 2_000;
/** The most guesses or handshakes one line may send. */
const MAX_BURST = 10_000;
/** The longest answer printed. */
const MAX_SHOWN = 300;
/** What an answer must not carry (the control API redacts them, as SwarmKit's does). */
const SECRETS: readonly (readonly [string, RegExp])[] = [
  ["a private key", /PRIVATE KEY/],
  ["the unlock key", /SWMKEY-1-/],
  ["network keys", /"networkBootstrapKeys":\[\{/],
];

export function rogueCommand(world: LabWorld): LabShellCommand {
  let rogue: Rogue | undefined;
  const machine = (io: LabIO): Rogue => {
    if (rogue) return rogue;
    let host = 66;
    while (world.sim.addresses.has(`192.168.1.${host}`)) host++;
    rogue = Rogue.create(world.sim, ROGUE_MACHINE, { address: `192.168.1.${host}` });
    io.out(`[lab] rogue machine ${rogue.machine.address} on node1's network (it never joined the swarm)\n`);
    return rogue;
  };

  /** A lab node's swarm address (host:port), or HOST:PORT as typed. */
  const target = (ref: string): string | undefined => {
    if (world.hasNode(ref)) {
      const node = world.node(ref);
      return swarmOf(node)?.advertiseAddr || `${node.machine.address}:2377`;
    }
    const m = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(ref);
    return m && Number(m[2]) >= 1 && Number(m[2]) <= 65535 ? ref : undefined;
  };

  function* callAndReport(r: Rogue, to: string, method: string, body: unknown, io: LabIO): Job<number> {
    const out = yield* call<RogueAnswer>(
      (done) => r.call(to, method, body, (a) => done(null, a)),
      CALL_LIMIT_MS,
    );
    const answer = out?.res ?? { err: "DeadlineExceeded: no answer" };
    if (answer.err !== null) {
      io.out(`[rogue] ${method} at ${to}: refused: ${answer.err}\n`);
      return 1;
    }
    const text = JSON.stringify(answer.res ?? {});
    io.out(
      `[rogue] ${method} at ${to}: served: ${text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text}\n`,
    );
    const secrets = SECRETS.filter(([, pattern]) => pattern.test(text)).map(([what]) => what);
    io.out(`[rogue] secrets in the answer: ${secrets.length > 0 ? secrets.join(", ") : "none"}\n`);
    return 0;
  }

  const cmd: LabShellCommand = {
    name: "rogue",
    group: "attacks",
    synopsis: "rogue call|replay|guess|flood ...",
    description: "attack the swarm from a machine that never joined (rogue help)",
    *run(argv, io) {
      const [sub, ...rest] = argv;
      if (sub === undefined || sub === "help" || sub === "--help") {
        io.out(ROGUE_HELP);
        return sub === undefined ? 2 : 0;
      }
      if (sub === "call") {
        let certFrom: string | undefined;
        let withKey = false;
        const args: string[] = [];
        for (let i = 0; i < rest.length; i++) {
          if (rest[i] === "--cert" && i + 1 < rest.length) certFrom = rest[++i];
          else if (rest[i] === "--key") withKey = true;
          else args.push(rest[i]);
        }
        if (args.length < 2 || args.length > 3 || (withKey && certFrom === undefined)) return usage(io, cmd);
        if (certFrom !== undefined && !world.hasNode(certFrom)) {
          io.err(`rogue: no such node: ${certFrom}\n`);
          return 1;
        }
        const to = target(args[0]);
        if (!to) return badTarget(io, args[0]);
        let body: unknown = {};
        if (args[2] !== undefined) {
          try {
            body = JSON.parse(args[2]);
          } catch {
            io.err(`rogue: the request body is not JSON: ${args[2]}\n`);
            return 2;
          }
        }
        const r = machine(io);
        const stolen =
          certFrom === undefined ? null : stealIdentity(world.node(certFrom).machine, { withKey });
        if (stolen && !stolen.chain) {
          io.err(`rogue: ${certFrom} holds no swarm certificate\n`);
          return 1;
        }
        r.present(stolen);
        return yield* callAndReport(r, to, args[1], body, io);
      }
      if (sub === "replay") {
        if (rest.length !== 2) return usage(io, cmd);
        const to = target(rest[0]);
        if (!to) return badTarget(io, rest[0]);
        const r = machine(io);
        const h = r.startHarvest(to);
        yield* until(() => h.chain() !== "", CALL_LIMIT_MS);
        h.stop();
        if (!h.chain()) {
          io.out(`[rogue] ${to} sent no certificate\n`);
          return 1;
        }
        io.out(`[rogue] harvested the certificate ${to} presents in its handshake (no key with it)\n`);
        r.present({ chain: h.chain(), keyPem: null });
        return yield* callAndReport(r, to, rest[1], {}, io);
      }
      if (sub === "guess" || sub === "flood") {
        if (rest.length < 1 || rest.length > 2) return usage(io, cmd);
        const to = target(rest[0]);
        if (!to) return badTarget(io, rest[0]);
        const n = rest[1] === undefined ? (sub === "guess" ? 300 : 400) : Number(rest[1]);
        if (!/^\d+$/.test(rest[1] ?? "1") || !Number.isSafeInteger(n) || n < 1 || n > MAX_BURST) {
          io.err(`rogue: the count must be a whole number from 1 to ${MAX_BURST}\n`);
          return 2;
        }
        const r = machine(io);
        if (sub === "guess") {
          const numbers = Array.from({ length: n }, (_, i) => i + 1);
          const g = r.startGuess(to, numbers, "Control.ListNodes");
          yield* forMs(SETTLE_MS);
          g.stop();
          const served = g.served();
          io.out(
            `[rogue] ${n} requests without a handshake, naming connection numbers 1..${n}: ${served.length} answered as served${served.length > 0 ? ` (${served.slice(0, 20).join(" ")})` : ""}\n`,
          );
          return 0;
        }
        r.flood(to, n);
        yield* forMs(SETTLE_MS);
        io.out(
          `[rogue] ${n} unauthenticated handshakes sent to ${to} from ${n} ports; see who leads: docker node ls\n`,
        );
        return 0;
      }
      return usage(io, cmd);
    },
  };
  return cmd;
}

function badTarget(io: LabIO, ref: string): number {
  io.err(`rogue: ${ref} is neither a lab node nor an address HOST:PORT\n`);
  return 1;
}

const ROGUE_HELP = `Usage: rogue COMMAND ...

Attacks from a machine on node1's network that never joined the swarm (issue 17's list).
TARGET is a lab node (its swarm address) or HOST:PORT.

  rogue call [--cert NODE [--key]] TARGET METHOD [JSON]
      one RPC, e.g. Control.GetCluster, presenting nothing, or NODE's certificate stolen from
      its disk (with --key: its private key too, as when NODE is owned)
  rogue replay TARGET METHOD
      the certificate TARGET presents to anyone in its handshake, replayed without its key
  rogue guess TARGET [N]
      N requests without a handshake, naming connection numbers 1..N (default 300)
  rogue flood TARGET [N]
      N unauthenticated handshakes in a burst (default 400)
`;
