// The lab's shell line reader: words, quotes, escapes, pipes, lists, comments, assignments,
// expansion and command substitution; syntax errors worded as BusyBox sh words them.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is shell syntax under test.
import { describe, expect, it } from "vitest";
import { parseShell, type Script, type SimpleCommand, splitCommandLine } from "../src/cli/shell";
import { done, runWithoutWaiting } from "../src/cli/job";
import { expandWords } from "../src/cli/shell/expand";

const words = (line: string, vars: Record<string, string> = {}, subst: (s: string) => string = () => "") => {
  const r = splitCommandLine(line, vars, subst);
  if (!r.ok) throw new Error(r.error);
  return r.commands;
};

const error = (line: string) => {
  const r = parseShell(line);
  return r.ok ? "" : r.error;
};

function shape(script: Script): unknown {
  return script.lists.map((l) => ({
    first: l.first.commands.length,
    rest: l.rest.map((r) => `${r.op}${r.pipeline.commands.length}`),
  }));
}

describe("words and quoting", () => {
  it("splits on blanks and keeps quoted text together", () => {
    expect(words("docker   swarm\tinit")).toEqual([["docker", "swarm", "init"]]);
    expect(words(`echo 'a  b' "c  d" e\\ f`)).toEqual([["echo", "a  b", "c  d", "e f"]]);
    expect(words(`echo 'a'"b"c`)).toEqual([["echo", "abc"]]);
    expect(words(`echo "" ''`)).toEqual([["echo", "", ""]]);
    expect(words('docker run --network="host" img')).toEqual([["docker", "run", "--network=host", "img"]]);
  });

  it('backslashes inside double quotes escape only $ ` " \\ and newline', () => {
    expect(words(`echo "a\\$b\\"c\\\\d\\e"`)).toEqual([["echo", 'a$b"c\\d\\e']]);
    expect(words(`echo 'a\\b'`)).toEqual([["echo", "a\\b"]]);
    expect(words("echo a\\\nb")).toEqual([["echo", "ab"]]);
  });

  it("comments start at a word boundary", () => {
    expect(words("echo a#b # the rest")).toEqual([["echo", "a#b"]]);
    expect(words("# only a comment")).toEqual([]);
  });
});

describe("pipes and lists", () => {
  it("parses | ; && || and newlines", () => {
    const r = parseShell("docker info | grep Swarm; a && b || c\nd | e | f");
    expect(r.ok && shape(r.script)).toEqual([
      { first: 2, rest: [] },
      { first: 1, rest: ["&&1", "||1"] },
      { first: 3, rest: [] },
    ]);
    expect(words("docker info|grep Swarm")).toEqual([
      ["docker", "info"],
      ["grep", "Swarm"],
    ]);
  });

  it("negation and redirections", () => {
    const r = parseShell("! grep x >/dev/null 2>&1");
    expect(r.ok && r.script.lists[0].first.negated).toBe(true);
    const cmd = r.ok ? (r.script.lists[0].first.commands[0] as SimpleCommand) : undefined;
    expect(cmd?.words.map((w) => w.source)).toEqual(["grep", "x"]);
    expect(cmd?.redirects.map((x) => [x.fd, x.op])).toEqual([
      [1, ">"],
      [2, ">&"],
    ]);
  });
});

describe("assignments and expansion", () => {
  it("NAME=value at the start of a command is an assignment", () => {
    const r = parseShell("TOKEN=abc X=1 docker swarm join --token $TOKEN");
    const cmd = r.ok ? (r.script.lists[0].first.commands[0] as SimpleCommand) : undefined;
    expect(cmd?.assignments.map((a) => a.name)).toEqual(["TOKEN", "X"]);
    expect(cmd?.words.map((w) => w.source)).toEqual(["docker", "swarm", "join", "--token", "$TOKEN"]);
    // Not at the start, or quoted: an ordinary word.
    expect(words("echo A=1 'B'=2")).toEqual([["echo", "A=1", "B=2"]]);
  });

  it("$VAR ${VAR} ${VAR:-word} ${#VAR}, unquoted results split into fields", () => {
    const vars = { A: "abc", X: "a  b", E: "" };
    expect(words("echo $A ${A}x ${B:-dflt} ${E:-empty} ${E-set} ${#A}", vars)).toEqual([
      // E is set (to ""), so ${E-set} is empty and the empty unquoted field disappears.
      ["echo", "abc", "abcx", "dflt", "empty", "3"],
    ]);
    expect(words('echo $X "$X" ${B:-x y}', vars)).toEqual([["echo", "a", "b", "a  b", "x", "y"]]);
    expect(words("echo $E $NOPE x", vars)).toEqual([["echo", "x"]]);
    expect(words('echo "$E"', vars)).toEqual([["echo", ""]]);
    expect(words("echo $ a$", vars)).toEqual([["echo", "$", "a$"]]);
  });

  it("$(...) and `...` run through the callback; trailing newlines are dropped", () => {
    const seen: string[] = [];
    const subst = (s: string) => {
      seen.push(s);
      return s.includes("-q") ? "SWMTKN-1-abc\n\n" : "one two\n";
    };
    expect(
      words("docker swarm join --token $(docker swarm join-token -q worker) 10.0.0.1:2377", {}, subst),
    ).toEqual([["docker", "swarm", "join", "--token", "SWMTKN-1-abc", "10.0.0.1:2377"]]);
    expect(seen).toEqual(["docker swarm join-token -q worker"]);
    expect(words('echo $(x) "$(x)" `x`', {}, subst)).toEqual([
      ["echo", "one", "two", "one two", "one", "two"],
    ]);
    expect(words('echo "$(echo "a b")"', {}, () => "a b")).toEqual([["echo", "a b"]]);
  });

  it("expansion assigns for ${VAR:=word}", () => {
    const vars = new Map<string, string>();
    const r = parseShell("echo ${V:=set} $V");
    if (!r.ok) throw new Error(r.error);
    const argv = runWithoutWaiting(
      expandWords(r.script.lists[0].first.commands[0].words, {
        lookup: (n) => vars.get(n),
        assign: (n, v) => vars.set(n, v),
        substitute: () => done(""),
      }),
    );
    expect(argv).toEqual(["echo", "set", "set"]);
  });
});

describe("for loops", () => {
  it("parse into the loop variable, its words and a body", () => {
    const r = parseShell('for n in node2 "node 3" $X; do docker run --name $n x; echo ok; done');
    const loop = r.ok ? r.script.lists[0].first.commands[0] : undefined;
    expect(
      loop && "type" in loop ? [loop.name, loop.words.map((w) => w.source), loop.body.lists.length] : loop,
    ).toEqual(["n", ["node2", '"node 3"', "$X"], 2]);
  });

  it("words of the body count as commands for splitCommandLine", () => {
    expect(words("for i in 1 2; do docker ps; done")).toEqual([["docker", "ps"]]);
  });
});

describe("syntax errors as BusyBox sh prints them", () => {
  it.each([
    ['echo "abc', "sh: syntax error: unterminated quoted string"],
    ["echo 'abc", "sh: syntax error: unterminated quoted string"],
    ["echo abc |", "sh: syntax error: unexpected end of file"],
    ["| grep x", 'sh: syntax error: unexpected "|"'],
    ["echo a ;; echo b", 'sh: syntax error: unexpected ";;"'],
    ["; echo a", 'sh: syntax error: unexpected ";"'],
    ["echo a && && echo b", 'sh: syntax error: unexpected "&&"'],
    ["echo a &&", "sh: syntax error: unexpected end of file"],
    ["echo $(echo a", 'sh: syntax error: unexpected end of file (expecting ")")'],
    ['echo "$(echo a"', "sh: syntax error: unterminated quoted string"],
    ["echo ${A", "sh: syntax error: missing '}'"],
    ["echo ${A B}", "sh: syntax error: bad substitution"],
    ["echo ${}", "sh: syntax error: bad substitution"],
    ["echo `echo a", "sh: syntax error: EOF in backquote substitution"],
    ["echo a)", 'sh: syntax error: unexpected ")"'],
    ["echo a >", "sh: syntax error: unexpected end of file"],
    ["for i in 1 2; do echo $i", 'sh: syntax error: unexpected end of file (expecting "done")'],
    ["for i in 1 2; echo $i; done", 'sh: syntax error: unexpected word (expecting "do")'],
    ["for i in 1 2; do echo $i done", 'sh: syntax error: unexpected end of file (expecting "done")'],
    ["for 1 in a; do echo; done", "sh: syntax error: bad for loop variable"],
    ["done", 'sh: syntax error: unexpected "done"'],
    ["echo a; do echo b", 'sh: syntax error: unexpected "do"'],
  ])("%s", (line, message) => {
    expect(error(line)).toBe(message);
  });

  it("accepts what sh accepts", () => {
    for (const line of [
      "",
      "   ",
      "echo a;",
      "echo a ; echo b",
      "a && b || c",
      "X=1",
      "echo ${A:-x y}",
      "echo a > /dev/null",
      "for i in 1 2; do echo $i; done",
      "for i in a b\ndo\necho $i\ndone",
      "for i; do echo; done",
      "for i in $(seq 3); do echo $i; done | wc -l && echo done",
      "echo for in do done",
    ]) {
      expect(error(line)).toBe("");
    }
  });
});
