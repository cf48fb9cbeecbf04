// `explain TASK`: why the scheduler put a task where it did (or could not place it), from the
// managers' decision logs: each candidate node's verdict per filter, in SwarmKit's order, and
// how the chosen node ranked. TASK is what `docker service ps` shows: a task ID (or a unique
// prefix), `service.slot` or `service.nodeID`. `--json` prints the explanation as data (the
// same object the library's explainTask returns, which a web page can show).
import { tabwriter } from "../../cli/format/tabwriter";
import { truncateId } from "../../cli/format/text";
import {
  type CandidateVerdict,
  explainTask,
  resolveTask,
  type TaskExplanation,
} from "../../manager/scheduler/explain";
import type { DecisionLog } from "../../manager/scheduler/decisions";
import type { LabNode } from "../node";
import type { LabShellCommand } from "../plugin";
import { swarmOf, type LabWorld } from "../world";
import { simClock, usage } from "./usage";

/** Past this many nodes the table shows the chosen node and some of each kind, then counts. */
const MAX_ROWS = 30;
const SOME = 10;

function headline(x: TaskExplanation): string {
  const who = `task ${x.task.name} (${truncateId(x.task.id)})`;
  if (x.decidedAt < 0) return `${who}: ${x.note}`;
  const at = simClock(x.decidedAt);
  switch (x.outcome) {
    case "assigned":
      return `${who} was assigned to ${x.node?.hostname} at ${at}: ${x.message}`;
    case "preassigned":
      return `${who} was confirmed on ${x.node?.hostname} at ${at}: ${x.message}`;
    case "unschedulable":
      return `${who} could not be scheduled at ${at}: ${x.message}`;
  }
}

function cell(c: CandidateVerdict, filter: string): string {
  return c.verdicts.find((v) => v.filter === filter)?.verdict ?? "";
}

function result(c: CandidateVerdict): string {
  if (c.result !== "filtered out") return c.result;
  const failed = c.verdicts.find((v) => v.verdict === "fail");
  return failed?.reason ? `filtered out: ${failed.reason}` : "filtered out";
}

/** The rows to show: all of them, or for many nodes the chosen one and some of each kind. */
function shown(cands: readonly CandidateVerdict[]): { rows: CandidateVerdict[]; more: string } {
  if (cands.length <= MAX_ROWS) return { rows: [...cands], more: "" };
  const chosen = cands.filter((c) => c.result === "chosen");
  const eligible = cands.filter((c) => c.result === "eligible");
  const out = cands.filter((c) => c.result === "filtered out");
  const rows = [...chosen, ...eligible.slice(0, SOME), ...out.slice(0, SOME)];
  const byFilter = new Map<string, number>();
  for (const c of out.slice(SOME)) {
    const f = c.verdicts.find((v) => v.verdict === "fail")?.filter ?? "?";
    byFilter.set(f, (byFilter.get(f) ?? 0) + 1);
  }
  const hidden = [
    eligible.length > SOME ? `${eligible.length - SOME} more eligible` : "",
    ...[...byFilter].map(([f, n]) => `${n} more filtered out by ${f}`),
  ].filter(Boolean);
  return { rows, more: hidden.length ? `... and ${hidden.join(", ")}\n` : "" };
}

export function explainText(x: TaskExplanation): string {
  let out = `${headline(x)}\n`;
  if (x.decidedAt < 0) return out;
  const applied = x.filters.filter((f) => f.enabled).map((f) => f.name);
  const skipped = x.filters.filter((f) => !f.enabled).map((f) => f.name);
  out += "filters, in SwarmKit's order (a node stops at the first it fails):\n";
  out += `  applied: ${applied.join(", ") || "none"}\n`;
  if (skipped.length) out += `  not applicable to this task: ${skipped.join(", ")}\n`;
  if (x.candidates) {
    const { rows, more } = shown(x.candidates);
    const table = [["NODE", ...applied, "RESULT"]];
    for (const c of rows) table.push([c.hostname || c.nodeId, ...applied.map((f) => cell(c, f)), result(c)]);
    out += tabwriter(table);
    out += more;
  } else if (x.note) out += `${x.note}\n`;
  if (x.ranking) {
    const eligible = x.ranking.candidates;
    out += `how ${x.node?.hostname} was ranked (${eligible} eligible ${eligible === 1 ? "node" : "nodes"}):\n`;
    for (const r of x.ranking.rules) out += `  ${r}\n`;
  }
  return out;
}

/**
 * "Why this node" in a lab, as data (what the command prints with --json, and what a web page
 * shows): TASK resolved on `node`'s manager (node1 by default), explained from every manager's
 * decision log. An error text when the node cannot answer or no task has that name.
 */
export function labExplain(
  world: LabWorld,
  ref: string,
  node: LabNode = world.node1,
): TaskExplanation | { error: string } {
  // The shell's node answers when it is in a swarm (a worker refuses, as Docker does); a node in
  // no swarm (node1 beside the swarm its docker:dind nodes form, as in the studio) asks a
  // manager of the lab that can answer, the leader first.
  const swarm = swarmOf(node);
  const inSwarm = swarm !== undefined && swarm.state !== "inactive";
  const managers = world
    .nodeNames()
    .map((n) => swarmOf(world.node(n)))
    .filter((s) => s?.manager?.store && !s.controlError());
  const asked = inSwarm ? swarm : (managers.find((s) => s?.manager?.isLeader()) ?? managers[0]);
  const store = asked && !asked.controlError() ? asked.manager?.store : undefined;
  if (!store) {
    const err = swarm ? swarm.controlError() : new Error("This node is not a swarm manager.");
    return { error: `Error response from daemon: ${(err ?? new Error("manager not ready")).message}` };
  }
  const task = resolveTask(store, ref);
  if (typeof task === "string") return { error: task };
  const logs: DecisionLog[] = [];
  for (const name of world.nodeNames()) {
    const m = swarmOf(world.node(name))?.manager;
    if (m) logs.push(m.decisions);
  }
  return explainTask(store, logs, task);
}

export function explainCommand(world: LabWorld): LabShellCommand {
  const cmd: LabShellCommand = {
    name: "explain",
    group: "nodes",
    synopsis: "explain [--json] TASK",
    description:
      "why the scheduler put a task on its node: each node's filter verdicts and the ranking (asks this node, or else the lab's swarm)",
    run: (argv, io, sh) => {
      const json = argv[0] === "--json";
      const refs = json ? argv.slice(1) : argv;
      if (refs.length !== 1) return usage(io, cmd);
      const x = labExplain(world, refs[0], sh.node);
      if ("error" in x) {
        io.err(`${x.error}\n`);
        return 1;
      }
      io.out(json ? `${JSON.stringify(x)}\n` : explainText(x));
      return 0;
    },
  };
  return cmd;
}
