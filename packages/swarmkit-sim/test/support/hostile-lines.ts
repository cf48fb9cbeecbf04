// The hostile-input fuzzer's material (test/hostile-fuzz.test.ts, and scripts that time it):
// lines generated from the CLI's own grammar (every runnable docker command, its real flags)
// with hostile values (negative and huge numbers, numbers past uint64, format strings,
// templates, paths, shell fragments, unbalanced quotes, long and odd text), and the lab they
// run against: a swarm of two nodes, an overlay network and a service.
import fc from "fast-check";
import { shellQuote } from "../../src/cli/dispatch";
import { dockerTree } from "../../src/cli/grammar/index";
import { allNodes, type CommandNode } from "../../src/cli/grammar/tree";
import type { FlagSpec } from "../../src/cli/grammar/types";
import { Lab } from "../../src/lab/index";
import { swarmOf } from "../../src/lab/world";

/** What no output may hold. */
export const JS_ERROR_TEXT =
  /TypeError|RangeError|ReferenceError|SyntaxError: (?!.*sh:)|Maximum call stack|Invalid string length|Cannot read propert|is not a function|is not iterable|undefined is not|\n\s+at [^\n]*\(|\[object Object\]/;

/**
 * Commands left out: those that end this cluster (leave it, take its nodes down) or the
 * session's shape (a shell pushed, a command left attached): the fuzzer would then test an
 * empty lab. Everything else of the grammar is in.
 */
const LEFT_OUT = new Set([
  "swarm leave",
  "container kill",
  "container stop",
  "container rm",
  "container restart",
  "container pause",
  "container exec",
  "container run",
  "container logs",
  "service logs",
  "compose up",
  "compose logs",
]);

const commands = allNodes(dockerTree()).filter(
  (n) => n.parent && !n.spec.unsupported && n.children.length === 0 && !LEFT_OUT.has(n.id),
);

const HOSTILE: readonly string[] = [
  "-1",
  "-5s",
  "-1ns",
  "0",
  "1",
  "3",
  "00",
  "99999999999999999999",
  "18446744073709551616",
  "-9223372036854775809",
  "1e23",
  "1e308",
  "NaN",
  "Infinity",
  "0x7fffffff",
  "0.0001",
  "1.5",
  "",
  " ",
  "x".repeat(5000),
  "../../../etc/passwd",
  "/etc",
  "/dev/zero",
  "node1",
  "node2",
  "web",
  "net1",
  "$(echo pwned)",
  "`id`",
  "'",
  '"',
  "\\",
  "%0999999999d",
  "%!",
  '{{printf "%0999999999d" 1}}',
  "{{pad .ID 999999999 0}}",
  "{{range .}}{{end}}",
  "{{json .}}",
  "{{.Nope}}",
  "{{",
  "}}",
  "table {{.ID}}\t{{.Name}}",
  "192.168.1.10:0",
  ":0",
  "0.0.0.0:2377",
  "eth0:7777",
  "[::]:2377",
  "a=b=c",
  "=",
  "--",
  "-",
  "--help",
  "node.role==manager",
  "node.id!=",
  "nginx",
  "nginx:latest",
  "busybox",
  "ünïcødé",
  "😀",
  "\u0000",
  "\t",
  "SWMTKN-1-xxx",
  "SWMKEY-1-xxx",
  "80:80",
  "65536:80",
  "mode=host,target=0",
  "type=bind,src=/,dst=/x",
];

/** Raw shell that goes in unquoted now and then. */
const SHELL_FRAGMENTS: readonly string[] = [
  "$(seq 1 200000)",
  `${"$(echo ".repeat(70)}x${")".repeat(70)}`,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: sh's parameter expansion, on purpose
  "${X:-$(echo y)}",
  "'unbalanced",
  '"$(',
  ")",
  ";;",
  "| |",
  "&&&",
  "`echo",
  "| wc -c",
  "| grep -c x",
  "2>&1 | head -1",
  "$((1+1))",
];

const hostile = fc.constantFrom(...HOSTILE);

/** Values of a flag's own kind (numbers for numbers, durations for durations), hostile ones among them. */
const BY_KIND: Partial<Record<FlagSpec["kind"], readonly string[]>> = {
  int: ["-1", "0", "1", "3", "99999999999999999999", "-9223372036854775809", "1e23", "0x7fffffff", "NaN"],
  // Not 100000 itself: a service of 100,000 replicas is legitimate work (tens of seconds in a
  // transcript); hostile-input.test.ts drives one through the host loop's slices and cancels it.
  uint: ["-1", "0", "1", "3", "50", "100001", "99999999999999999999", "18446744073709551616", "1e23"],
  float: ["-1", "0", "0.5", "1.5", "NaN", "Infinity", "1e308", "-0"],
  duration: ["-5s", "-1ns", "0", "1s", "10ms", "1000h", "99999999999h", "1.5", "5"],
  bytes: ["-1", "0", "4m", "99999999999999999999", "1e23", "512q"],
  decimal: ["-1", "0", "0.5", "1e23", "99999999999999999999", "0.0000000001"],
  port: ["80", "80:80", "65536:80", "0:0", "mode=host,target=0", "published=-1,target=80", "8080:80/xyz"],
  "node-addr": ["192.168.1.10:0", ":0", "0.0.0.0:2377", "eth0:7777", "[::]:2377", "x:99999"],
};

function flagWords(f: FlagSpec): fc.Arbitrary<string[]> {
  const names = [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])];
  if (f.kind === "bool")
    return fc
      .tuple(fc.constantFrom(...names), fc.constantFrom("", "", "", "=false", "=x"))
      .map(([n, v]) => [n + v]);
  const own = BY_KIND[f.kind];
  const value = own ? fc.oneof({ arbitrary: fc.constantFrom(...own), weight: 3 }, hostile) : hostile;
  return fc
    .tuple(fc.constantFrom(...names), value, fc.boolean())
    .map(([n, v, joined]) => (joined ? [`${n}=${v}`] : [n, v]));
}

/** A command's flags; --help now and then only (it answers before anything else is looked at). */
function flagsOf(node: CommandNode): fc.Arbitrary<string[]> {
  const own = node.flags.filter((f) => !f.isHelp);
  const help = node.flags.filter((f) => f.isHelp);
  const pick = (fs: FlagSpec[]) => fc.constantFrom(...fs).chain(flagWords);
  const none = fc.constant<string[]>([]);
  if (own.length === 0) return help.length > 0 ? fc.oneof({ arbitrary: none, weight: 9 }, pick(help)) : none;
  return help.length > 0 ? fc.oneof({ arbitrary: pick(own), weight: 15 }, pick(help)) : pick(own);
}

/** One generated line: a command of the grammar, some of its flags, arguments, maybe raw shell. */
export const hostileLine: fc.Arbitrary<string> = fc.constantFrom(...commands).chain((node) =>
  fc
    .tuple(
      fc.array(flagsOf(node), { maxLength: 4 }),
      fc.array(hostile, { maxLength: 3 }),
      fc.option(fc.constantFrom(...SHELL_FRAGMENTS), { freq: 5 }),
    )
    .map(([flags, args, raw]) => {
      const argv = ["docker", ...node.path, ...flags.flat(), ...args];
      return raw === null ? shellQuote(argv) : `${shellQuote(argv)} ${raw}`;
    }),
);

/** A lab with a swarm: node1 manages, node2 works, a service and an overlay network exist. */
export function hostileWorld(seed: number): Lab {
  const lab = new Lab({ seed, services: true });
  for (const l of [
    "docker swarm init",
    "docker run -d --privileged --name node2 docker:dind",
    "docker exec node2 docker swarm join --token $(docker swarm join-token -q worker) 192.168.1.10:2377",
    "docker network create -d overlay net1",
    "docker service create -d --name web --replicas 2 --network net1 nginx",
    "sleep 5",
  ]) {
    const r = lab.run(l);
    if (r.exitCode !== 0) throw new Error(`setup: ${l}: ${r.stderr}`);
  }
  return lab;
}

/** The cluster as a refused line must leave it: its nodes and its leader. */
export function clusterState(lab: Lab): string {
  const m = swarmOf(lab.node("node1"))?.manager;
  if (!m) return "no manager";
  const nodes = m.store
    .nodes()
    .map((n) => `${n.id}:${n.spec.desiredRole}:${n.spec.availability}`)
    .sort();
  return JSON.stringify({ nodes, leader: m.consensus.leaderId() });
}
