// The lab's text filters, with GNU grep/coreutils behaviour and messages (checked against
// grep 3.8 and coreutils 9.1).
import { describe, expect, it } from "vitest";
import { type FileReader, runFilter } from "../src/cli/filters";

const INFO = " Swarm: active\n  NodeID: abc\n  Is Manager: true\n Kernel Version: 6.1\n";
const run = (name: string, argv: string[], stdin = INFO) => runFilter(name, argv, stdin)!;

describe("grep", () => {
  it("selects matching lines; exit 0 when some, 1 when none", () => {
    expect(run("grep", ["Swarm"])).toEqual({ stdout: " Swarm: active\n", stderr: "", exitCode: 0 });
    expect(run("grep", ["Nope"])).toEqual({ stdout: "", stderr: "", exitCode: 1 });
    expect(run("grep", ["x"], "")).toEqual({ stdout: "", stderr: "", exitCode: 1 });
  });

  it("-i -v -c -w -x -n -o -q -F -E -e", () => {
    expect(run("grep", ["-i", "swarm"]).stdout).toBe(" Swarm: active\n");
    expect(run("grep", ["-v", "a"], "a\nb\nc\n").stdout).toBe("b\nc\n");
    expect(run("grep", ["-c", "a"], "a\nab\nc\n")).toEqual({ stdout: "2\n", stderr: "", exitCode: 0 });
    expect(run("grep", ["-c", "z"], "a\n")).toEqual({ stdout: "0\n", stderr: "", exitCode: 1 });
    expect(run("grep", ["-w", "Swar"]).exitCode).toBe(1);
    expect(run("grep", ["-w", "Swarm"]).stdout).toBe(" Swarm: active\n");
    expect(run("grep", ["-x", "b"], "ab\nb\n").stdout).toBe("b\n");
    expect(run("grep", ["-n", "a"], "a\nb\na\n").stdout).toBe("1:a\n3:a\n");
    expect(run("grep", ["-o", "S[a-z]*"]).stdout).toBe("Swarm\n");
    expect(run("grep", ["-q", "Swarm"])).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    expect(run("grep", ["-F", "a.c"], "abc\na.c\n").stdout).toBe("a.c\n");
    expect(run("grep", ["a.c"], "abc\na.c\n").stdout).toBe("abc\na.c\n");
    expect(run("grep", ["-E", "Swarm|Kernel"]).stdout).toBe(" Swarm: active\n Kernel Version: 6.1\n");
    expect(run("grep", ["-e", "NodeID", "-e", "Manager"]).stdout).toBe("  NodeID: abc\n  Is Manager: true\n");
    expect(run("grep", ["-iv", "swarm"], "Swarm\nx\n").stdout).toBe("x\n");
  });

  it("basic regular expressions: \\| \\( \\) \\+ literal ( | +, anchors, classes", () => {
    expect(run("grep", ["a\\|b"], "a\nb\nc\n").stdout).toBe("a\nb\n");
    expect(run("grep", ["a|b"], "a|b\na\n").stdout).toBe("a|b\n");
    expect(run("grep", ["\\(ab\\)\\+"], "abab\nb\n").stdout).toBe("abab\n");
    expect(run("grep", ["^ Swarm"]).stdout).toBe(" Swarm: active\n");
    expect(run("grep", ["true$"]).stdout).toBe("  Is Manager: true\n");
    expect(run("grep", ["[[:digit:]]"]).stdout).toBe(" Kernel Version: 6.1\n");
    expect(run("grep", ["*a"], "*a\nb\n").stdout).toBe("*a\n");
  });

  it("errors exit 2 with GNU grep's messages", () => {
    expect(run("grep", [])).toEqual({
      stdout: "",
      stderr: "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
      exitCode: 2,
    });
    expect(run("grep", ["-Y", "x"])).toEqual({
      stdout: "",
      stderr:
        "grep: invalid option -- 'Y'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
      exitCode: 2,
    });
    expect(run("grep", ["--bogus", "x"]).stderr.split("\n")[0]).toBe("grep: unrecognized option '--bogus'");
    expect(run("grep", ["-e"]).stderr.split("\n")[0]).toBe("grep: option requires an argument -- 'e'");
    expect(run("grep", ["-E", "(a"])).toEqual({
      stdout: "",
      stderr: "grep: Unmatched ( or \\(\n",
      exitCode: 2,
    });
    expect(run("grep", ["\\(a"]).stderr).toBe("grep: Unmatched ( or \\(\n");
    expect(run("grep", ["x", "nofile"])).toEqual({
      stdout: "",
      stderr: "grep: nofile: No such file or directory\n",
      exitCode: 2,
    });
  });
});

describe("grep context lines", () => {
  const ten = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
  it("-A -B -C, with -- between groups that are not adjacent", () => {
    expect(run("grep", ["-A1", "-e", "3", "-e", "7"], ten).stdout).toBe("3\n4\n--\n7\n8\n");
    expect(run("grep", ["-B", "2", "-n", "5"], ten).stdout).toBe("3-3\n4-4\n5:5\n");
    expect(run("grep", ["-C1", "-e", "4", "-e", "6"], ten).stdout).toBe("3\n4\n5\n6\n7\n");
    expect(run("grep", ["--context=1", "^1$"], ten).stdout).toBe("1\n2\n");
    expect(run("grep", ["-A", "2", "9"], ten).stdout).toBe("9\n10\n");
    expect(run("grep", ["-c", "-A1", "5"], ten).stdout).toBe("1\n");
  });

  it("a bad length is an error", () => {
    expect(run("grep", ["-A", "x", "1"], ten)).toEqual({
      stdout: "",
      stderr: "grep: x: invalid context length argument\n",
      exitCode: 2,
    });
  });
});

describe("head, tail, wc", () => {
  const ten = `${Array.from({ length: 12 }, (_, i) => `l${i + 1}`).join("\n")}\n`;
  it("head -n N, -N, -n -N; tail -n N, -N, -n +N", () => {
    expect(run("head", [], ten).stdout.split("\n").length).toBe(11);
    expect(run("head", ["-n", "2"], ten).stdout).toBe("l1\nl2\n");
    expect(run("head", ["-3"], ten).stdout).toBe("l1\nl2\nl3\n");
    expect(run("head", ["-n", "-10"], ten).stdout).toBe("l1\nl2\n");
    expect(run("tail", ["-n", "2"], ten).stdout).toBe("l11\nl12\n");
    expect(run("tail", ["-1"], ten).stdout).toBe("l12\n");
    expect(run("tail", ["-n", "+11"], ten).stdout).toBe("l11\nl12\n");
    expect(run("head", ["-c", "3"], ten).stdout).toBe("l1\n");
  });

  it("bad counts and options", () => {
    expect(run("head", ["-n", "x"])).toEqual({
      stdout: "",
      stderr: "head: invalid number of lines: ‘x’\n",
      exitCode: 1,
    });
    expect(run("tail", ["-n", "2x"]).stderr).toBe("tail: invalid number of lines: ‘2x’\n");
    expect(run("head", ["-Q"]).stderr).toBe(
      "head: invalid option -- 'Q'\nTry 'head --help' for more information.\n",
    );
    expect(run("head", ["-n"]).stderr).toBe(
      "head: option requires an argument -- 'n'\nTry 'head --help' for more information.\n",
    );
  });

  it("wc counts lines, words and bytes like GNU wc reading a pipe", () => {
    expect(run("wc", ["-l"], "a\nb c\nSwarm: active\n").stdout).toBe("3\n");
    expect(run("wc", [], "a\nb c\nSwarm: active\n").stdout).toBe("      3       5      20\n");
    expect(run("wc", ["-lw"], "a\nb\n").stdout).toBe("      2       2\n");
    expect(run("wc", ["-l"], "a\nb").stdout).toBe("1\n");
    expect(run("wc", ["-c"], "héllo\n").stdout).toBe("7\n");
    expect(run("wc", ["-x"]).stderr).toBe(
      "wc: invalid option -- 'x'\nTry 'wc --help' for more information.\n",
    );
  });
});

describe("sort, cut, cat, echo", () => {
  it("sort in byte order, -r, -n, -u, -V, -k, -t", () => {
    expect(run("sort", [], "b\nB\na\n").stdout).toBe("B\na\nb\n");
    expect(run("sort", ["-r"], "b\na\nSwarm: active\n").stdout).toBe("b\na\nSwarm: active\n");
    expect(run("sort", ["-n"], "10\n9\n1\n").stdout).toBe("1\n9\n10\n");
    expect(run("sort", ["-rn"], "10\n9\n1\n").stdout).toBe("10\n9\n1\n");
    expect(run("sort", ["-u"], "b\nb\na\n").stdout).toBe("a\nb\n");
    expect(run("sort", ["-V"], "node-10\nnode-2\n").stdout).toBe("node-2\nnode-10\n");
    expect(run("sort", ["-k", "2", "-n"], "a 3\nb 1\nc 2\n").stdout).toBe("b 1\nc 2\na 3\n");
    expect(run("sort", ["-t", ":", "-k", "2"], "x:b\ny:a\n").stdout).toBe("y:a\nx:b\n");
    expect(run("sort", ["-Q"]).stderr).toBe(
      "sort: invalid option -- 'Q'\nTry 'sort --help' for more information.\n",
    );
  });

  it("cut -d -f, -c, -s and its errors", () => {
    expect(run("cut", ["-d:", "-f2"], "a\nb\nSwarm: active\n").stdout).toBe("a\nb\n active\n");
    expect(run("cut", ["-d", ":", "-f", "2-"], "a:b:c\n").stdout).toBe("b:c\n");
    expect(run("cut", ["-c1-2"], "Swarm\n").stdout).toBe("Sw\n");
    expect(run("cut", ["-s", "-d", " ", "-f", "2"], "a b\nc\n").stdout).toBe("b\n");
    expect(run("cut", [], "x\n").stderr).toBe(
      "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n",
    );
    expect(run("cut", ["-d::", "-f2"]).stderr).toBe(
      "cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n",
    );
    expect(run("cut", ["-f", "0"]).stderr).toBe(
      "cut: fields are numbered from 1\nTry 'cut --help' for more information.\n",
    );
    expect(run("cut", ["-f", "x"]).stderr).toBe(
      "cut: invalid field value ‘x’\nTry 'cut --help' for more information.\n",
    );
  });

  it("cat copies stdin; echo prints its words", () => {
    expect(run("cat", [], "abc\n")).toEqual({ stdout: "abc\n", stderr: "", exitCode: 0 });
    expect(run("cat", ["-"], "abc\n").stdout).toBe("abc\n");
    expect(run("cat", ["nofile"])).toEqual({
      stdout: "",
      stderr: "cat: nofile: No such file or directory\n",
      exitCode: 1,
    });
    expect(run("echo", ["a", "b"]).stdout).toBe("a b\n");
    expect(run("echo", ["-n", "a"]).stdout).toBe("a");
    expect(run("true", []).exitCode).toBe(0);
    expect(run("false", []).exitCode).toBe(1);
    expect(runFilter("nope", [], "")).toBeUndefined();
  });
});

describe("seq", () => {
  it("LAST, FIRST LAST, FIRST INCREMENT LAST, -s, -w, decimals", () => {
    expect(run("seq", ["3"], "").stdout).toBe("1\n2\n3\n");
    expect(run("seq", ["2", "4"], "").stdout).toBe("2\n3\n4\n");
    expect(run("seq", ["10", "-3", "4"], "").stdout).toBe("10\n7\n4\n");
    expect(run("seq", ["-s", ",", "-2", "0"], "").stdout).toBe("-2,-1,0\n");
    expect(run("seq", ["-s", ",", "1", "2", "9"], "").stdout).toBe("1,3,5,7,9\n");
    expect(run("seq", ["-w", "8", "10"], "").stdout).toBe("08\n09\n10\n");
    expect(run("seq", ["0.5", "0.25", "1"], "").stdout).toBe("0.50\n0.75\n1.00\n");
    expect(run("seq", ["5", "1"], "")).toEqual({ stdout: "", stderr: "", exitCode: 0 });
  });

  it("errors as GNU seq prints them", () => {
    expect(run("seq", [], "")).toEqual({
      stdout: "",
      stderr: "seq: missing operand\nTry 'seq --help' for more information.\n",
      exitCode: 1,
    });
    expect(run("seq", ["x"], "").stderr).toBe(
      "seq: invalid floating point argument: ‘x’\nTry 'seq --help' for more information.\n",
    );
    expect(run("seq", ["1", "0", "3"], "").stderr).toBe(
      "seq: invalid Zero increment value: ‘0’\nTry 'seq --help' for more information.\n",
    );
    expect(run("seq", ["1", "2", "3", "4"], "").stderr).toBe(
      "seq: extra operand ‘4’\nTry 'seq --help' for more information.\n",
    );
  });
});

describe("file operands (GNU coreutils 9.1 / grep 3.8 with files)", () => {
  const TREE: Record<string, string | null> = {
    "a.txt": "one\ntwo\nthree\n",
    "b.txt": "alpha beta\n",
    dir: null,
  };
  const reader: FileReader = (path) => {
    if (!Object.hasOwn(TREE, path)) return { kind: "missing" };
    const text = TREE[path];
    return text === null ? { kind: "directory" } : { kind: "file", text };
  };
  const runF = (name: string, argv: string[], stdin = "") => runFilter(name, argv, stdin, reader)!;

  it("head and tail: one file bare, several with ==> NAME <== headers, -q, -v, - as standard input", () => {
    expect(runF("head", ["-2", "a.txt"])).toEqual({ stdout: "one\ntwo\n", stderr: "", exitCode: 0 });
    expect(runF("head", ["-n", "1", "a.txt", "b.txt"]).stdout).toBe(
      "==> a.txt <==\none\n\n==> b.txt <==\nalpha beta\n",
    );
    expect(runF("head", ["-q", "-n1", "a.txt", "b.txt"]).stdout).toBe("one\nalpha beta\n");
    expect(runF("head", ["-v", "-n1", "a.txt"]).stdout).toBe("==> a.txt <==\none\n");
    expect(runF("head", ["-n1", "-", "a.txt"], "in\n").stdout).toBe(
      "==> standard input <==\nin\n\n==> a.txt <==\none\n",
    );
    expect(runF("tail", ["-n1", "a.txt", "b.txt"]).stdout).toBe(
      "==> a.txt <==\nthree\n\n==> b.txt <==\nalpha beta\n",
    );
    expect(runF("tail", ["-n", "+2", "a.txt"]).stdout).toBe("two\nthree\n");
  });

  it("head and tail: a missing file cannot be opened (no header); a directory opens, its read fails", () => {
    expect(runF("head", ["-n1", "a.txt", "nope", "dir", "b.txt"])).toEqual({
      stdout: "==> a.txt <==\none\n\n==> dir <==\n\n==> b.txt <==\nalpha beta\n",
      stderr:
        "head: cannot open 'nope' for reading: No such file or directory\nhead: error reading 'dir': Is a directory\n",
      exitCode: 1,
      output: [
        { stream: "stdout", text: "==> a.txt <==\none\n" },
        { stream: "stderr", text: "head: cannot open 'nope' for reading: No such file or directory\n" },
        { stream: "stdout", text: "\n==> dir <==\n" },
        { stream: "stderr", text: "head: error reading 'dir': Is a directory\n" },
        { stream: "stdout", text: "\n==> b.txt <==\nalpha beta\n" },
      ],
    });
    expect(runF("tail", ["dir"])).toEqual({
      stdout: "",
      stderr: "tail: error reading 'dir': Is a directory\n",
      exitCode: 1,
    });
    expect(runF("tail", ["it's"]).stderr).toBe(
      'tail: cannot open "it\'s" for reading: No such file or directory\n',
    );
  });

  it("grep: one file bare, several prefixed with the name (-h, -H), -c per file, context across files", () => {
    expect(runF("grep", ["-n", "t", "a.txt"]).stdout).toBe("2:two\n3:three\n");
    expect(runF("grep", ["e", "a.txt", "b.txt"]).stdout).toBe("a.txt:one\na.txt:three\nb.txt:alpha beta\n");
    expect(runF("grep", ["-c", "e", "a.txt", "b.txt"]).stdout).toBe("a.txt:2\nb.txt:1\n");
    expect(runF("grep", ["-h", "e", "a.txt", "b.txt"]).stdout).toBe("one\nthree\nalpha beta\n");
    expect(runF("grep", ["-Hn", "two", "a.txt"]).stdout).toBe("a.txt:2:two\n");
    expect(runF("grep", ["-A1", "-e", "one", "-e", "alpha", "a.txt", "b.txt"]).stdout).toBe(
      "a.txt:one\na.txt-two\n--\nb.txt:alpha beta\n",
    );
    expect(runF("grep", ["two", "-", "a.txt"], "two\n").stdout).toBe("(standard input):two\na.txt:two\n");
  });

  it("grep: a directory and a missing file are errors (exit 2; -s quiets them; -q with a match exits 0)", () => {
    expect(runF("grep", ["x", "dir"])).toEqual({
      stdout: "",
      stderr: "grep: dir: Is a directory\n",
      exitCode: 2,
    });
    expect(runF("grep", ["one", "a.txt", "nope"])).toEqual({
      stdout: "a.txt:one\n",
      stderr: "grep: nope: No such file or directory\n",
      exitCode: 2,
      output: [
        { stream: "stdout", text: "a.txt:one\n" },
        { stream: "stderr", text: "grep: nope: No such file or directory\n" },
      ],
    });
    expect(runF("grep", ["-s", "one", "nope"])).toEqual({ stdout: "", stderr: "", exitCode: 2 });
    expect(runF("grep", ["-q", "one", "nope", "a.txt"])).toMatchObject({
      stderr: "grep: nope: No such file or directory\n",
      exitCode: 0,
    });
  });

  it("wc: per-file lines and a total, padded to the digits of the files' total size", () => {
    expect(runF("wc", ["-l", "a.txt"]).stdout).toBe("3 a.txt\n");
    expect(runF("wc", ["a.txt"]).stdout).toBe(" 3  3 14 a.txt\n");
    expect(runF("wc", ["a.txt", "b.txt"]).stdout).toBe(" 3  3 14 a.txt\n 1  2 11 b.txt\n 4  5 25 total\n");
    expect(runF("wc", ["-l", "a.txt", "b.txt"]).stdout).toBe(" 3 a.txt\n 1 b.txt\n 4 total\n");
    expect(runF("wc", ["-l", "-", "a.txt"], "x\n").stdout).toBe("      1 -\n      3 a.txt\n      4 total\n");
    expect(runF("wc", ["dir"])).toEqual({
      stdout: "      0       0       0 dir\n",
      stderr: "wc: dir: Is a directory\n",
      exitCode: 1,
      output: [
        { stream: "stderr", text: "wc: dir: Is a directory\n" },
        { stream: "stdout", text: "      0       0       0 dir\n" },
      ],
    });
    expect(runF("wc", ["nope", "a.txt"])).toMatchObject({
      stdout: " 3  3 14 a.txt\n 3  3 14 total\n",
      stderr: "wc: nope: No such file or directory\n",
      exitCode: 1,
    });
  });

  it("sort reads every input first; cut and cat go on past a file they cannot read", () => {
    expect(runF("sort", ["b.txt", "a.txt"]).stdout).toBe("alpha beta\none\nthree\ntwo\n");
    expect(runF("sort", ["a.txt", "nope"])).toEqual({
      stdout: "",
      stderr: "sort: cannot read: nope: No such file or directory\n",
      exitCode: 2,
    });
    expect(runF("sort", ["dir"]).stderr).toBe("sort: read failed: dir: Is a directory\n");
    expect(runF("cut", ["-c1-2", "a.txt", "nope", "b.txt"])).toMatchObject({
      stdout: "on\ntw\nth\nal\n",
      stderr: "cut: nope: No such file or directory\n",
      exitCode: 1,
    });
    expect(runF("cut", ["-f1", "dir"]).stderr).toBe("cut: dir: Is a directory\n");
    expect(runF("cat", ["b.txt", "-", "dir"], "in\n")).toMatchObject({
      stdout: "alpha beta\nin\n",
      stderr: "cat: dir: Is a directory\n",
      exitCode: 1,
    });
  });

  it("without a reader every file operand is missing", () => {
    expect(run("wc", ["-l", "a.txt"]).stderr).toBe("wc: a.txt: No such file or directory\n");
    expect(run("head", ["a.txt"]).stderr).toBe(
      "head: cannot open 'a.txt' for reading: No such file or directory\n",
    );
  });
});
