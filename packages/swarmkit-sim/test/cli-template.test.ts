// The Go text/template engine behind --format (src/cli/format/template.ts). Expected outputs
// and error texts were taken from Go's text/template with the Docker CLI's functions, run over
// values of the same shape (a swarm.Info-like struct, a list row with methods, decoded JSON).
import { describe, expect, it } from "vitest";
import { listContext, writeFormatted } from "../src/cli/format/formatter";
import { renderInspect } from "../src/cli/format/inspect-format";
import {
  type GoValue,
  GoTemplate,
  goDuration,
  goJson,
  goMap,
  goNil,
  goPointerTo,
  goScalar,
  goSlice,
  goStrings,
  goStruct,
  goTime,
  NIL_INTERFACE,
  TemplateError,
} from "../src/cli/format/template";

const T0 = Date.UTC(2026, 0, 1);

const cluster = goStruct(
  "swarm.ClusterInfo",
  [
    { name: "ID", value: "cid" },
    {
      name: "Meta",
      embedded: true,
      value: goStruct("swarm.Meta", [
        {
          name: "Version",
          value: goStruct("swarm.Version", [{ name: "Index", value: goScalar("uint64", 42) }], {
            stringer: () => "42",
          }),
        },
        { name: "CreatedAt", value: goTime(T0) },
        { name: "UpdatedAt", value: goTime(T0 + 12 * 3600_000 + 500) },
      ]),
    },
    {
      name: "Spec",
      value: goStruct("swarm.Spec", [
        { name: "KeepOldSnapshots", value: goPointerTo("uint64", 0), json: { omitempty: true } },
        { name: "HeartbeatPeriod", value: goDuration(5000), json: { omitempty: true } },
        { name: "Labels", value: goMap("map[string]string", []) },
      ]),
    },
    { name: "DefaultAddrPool", value: goStrings(["10.0.0.0/8"]) },
    { name: "Warnings", value: goStrings(null), json: { omitempty: true } },
  ],
  { pointer: true },
);

const info = goStruct("system.dockerInfo", [
  {
    name: "Info",
    embedded: true,
    value: goStruct(
      "system.Info",
      [
        { name: "ID", value: "eid" },
        { name: "Labels", value: goStrings(null) },
        {
          name: "Swarm",
          value: goStruct("swarm.Info", [
            { name: "NodeID", value: "nid" },
            { name: "LocalNodeState", value: goScalar("swarm.LocalNodeState", "active") },
            { name: "ControlAvailable", value: true },
            {
              name: "RemoteManagers",
              value: goSlice("[]swarm.Peer", [
                goStruct("swarm.Peer", [
                  { name: "NodeID", value: "nid" },
                  { name: "Addr", value: "10.0.0.2:2377" },
                ]),
              ]),
            },
            { name: "Nodes", value: 3, json: { omitempty: true } },
            { name: "Cluster", value: cluster, json: { omitempty: true } },
            { name: "Nil", value: goNil("*swarm.ClusterInfo") },
          ]),
        },
        { name: "Any", value: NIL_INTERFACE, type: "interface {}" },
      ],
      { pointer: true },
    ),
  },
]);

const row = listContext(
  "node.nodeContext",
  { ID: () => "abc", Self: () => true, Hostname: () => "node1<&>" },
  { Label: { params: ["string"], call: (n) => `L${n}` } },
);

/** Output, or the error text. */
function run(src: string, data: GoValue = info): string {
  try {
    const r = GoTemplate.parse(src).execute(data);
    return r.error ? `ERR ${r.error.message}` : r.output;
  } catch (e) {
    if (e instanceof TemplateError) return `PARSE ${e.message}`;
    throw e;
  }
}

describe("Go template engine: evaluation", () => {
  it.each([
    ["{{.Swarm.NodeID}}", "nid"],
    ["{{.Swarm.Cluster.UpdatedAt}}", "2026-01-01 12:00:00.5 +0000 UTC"],
    ["{{.Swarm.Cluster.Version}} {{.Swarm.Cluster.Version.Index}}", "42 42"],
    ["{{.Swarm.Cluster.Spec.HeartbeatPeriod}}", "5s"],
    ["{{.Swarm.Cluster.Spec.KeepOldSnapshots}}", "0"],
    ["{{.Swarm.RemoteManagers}}", "[{nid 10.0.0.2:2377}]"],
    ["{{.Swarm.Nil}} {{.Any}} {{.Labels}}", "<nil> <no value> []"],
    ["{{json .Labels}} {{json .Swarm.Cluster.DefaultAddrPool}}", 'null ["10.0.0.0/8"]'],
    ["{{if .Swarm.ControlAvailable}}yes{{else}}no{{end}}", "yes"],
    ["{{range .Swarm.RemoteManagers}}{{.Addr}} {{end}}", "10.0.0.2:2377 "],
    ["{{range $i, $m := .Swarm.RemoteManagers}}{{$i}}:{{$m.NodeID}}{{end}}", "0:nid"],
    ["{{with .Swarm.Cluster}}{{.ID}}{{end}}", "cid"],
    ["{{.Swarm.NodeID | upper}}", "NID"],
    ["  {{- .Swarm.NodeID -}}  x", "nidx"],
    ["{{pad .Swarm.NodeID 2 1}}|{{truncate .Swarm.NodeID 2}}", "  nid |ni"],
    ['{{join .Swarm.Cluster.DefaultAddrPool ","}} {{split "a,b" ","}}', "10.0.0.0/8 [a b]"],
    ['{{title "hello world-foo bar_baz"}}', "Hello World-Foo Bar_baz"],
    ["{{println .Swarm.NodeID}}", "nid\n"],
    ['{{if eq .Swarm.LocalNodeState "active"}}A{{end}}', "A"],
    ["{{.Swarm.Cluster.CreatedAt.Unix}}", "1767225600"],
    ['{{printf "%5s|%-5s|%05d|%x|%.2f" "ab" "cd" 42 255 3.14159}}', "   ab|cd   |00042|ff|3.14"],
    ['{{range split "a,b,c" ","}}{{if eq . "b"}}{{break}}{{end}}{{.}}{{end}}', "a"],
    ['{{range split "a,b,c" ","}}{{if eq . "b"}}{{continue}}{{end}}{{.}}{{end}}', "ac"],
    ['{{range split "" ","}}[{{.}}]{{else}}empty{{end}}', "[]"],
    ["{{$x := 1}}{{$x = 2}}{{$x}}", "2"],
    ["{{/* comment */}}x", "x"],
  ])("%s", (src, want) => {
    expect(run(src)).toBe(want);
  });

  it("encodes structs in declaration order, embedded fields inline, omitempty honoured", () => {
    expect(run("{{json .Swarm.Cluster}}")).toBe(
      '{"ID":"cid","Version":{"Index":42},"CreatedAt":"2026-01-01T00:00:00Z","UpdatedAt":"2026-01-01T12:00:00.5Z",' +
        '"Spec":{"KeepOldSnapshots":0,"HeartbeatPeriod":5000000000,"Labels":{}},"DefaultAddrPool":["10.0.0.0/8"]}',
    );
  });

  it("calls methods before fields, and a list row encodes its columns sorted, HTML-escaped", () => {
    expect(run('{{.ID}} {{.Self}} {{.Hostname}} {{.Label "x"}}', row)).toBe("abc true node1<&> Lx");
    expect(run("{{json .}}", row)).toBe('{"Hostname":"node1\\u003c\\u0026\\u003e","ID":"abc","Self":true}');
    expect(run("{{json .Hostname}}", row)).toBe('"node1<&>"');
    expect(goJson("a<b", { escapeHTML: false })).toBe('"a<b"');
  });
});

describe("Go template engine: errors as Go words them", () => {
  it.each([
    ["{{.Name}", "PARSE template: :1: bad character U+007D '}'"],
    ["{{.Name }", 'PARSE template: :1: unexpected "}" in operand'],
    ["{{}}", "PARSE template: :1: missing value for command"],
    ["{{if}}", "PARSE template: :1: missing value for if"],
    ["{{end}}", "PARSE template: :1: unexpected {{end}}"],
    ["{{if .X}}", "PARSE template: :1: unexpected EOF"],
    ["{{.Swarm.NodeID", "PARSE template: :1: unclosed action"],
    ["{{foo .X}}", 'PARSE template: :1: function "foo" not defined'],
    ["{{$nope}}", 'PARSE template: :1: undefined variable "$nope"'],
    ["{{| .ID}}", 'PARSE template: :1: unexpected "|" in command'],
    ["{{3abc}}", 'PARSE template: :1: bad number syntax: "3a"'],
    ['{{"open}}', "PARSE template: :1: unterminated quoted string"],
    [
      "{{.Nope}}",
      'ERR template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type system.dockerInfo',
    ],
    [
      "{{.Swarm.Nope}}",
      'ERR template: :1:8: executing "" at <.Swarm.Nope>: can\'t evaluate field Nope in type swarm.Info',
    ],
    [
      "{{.Swarm.Nil.ID}}",
      'ERR template: :1:8: executing "" at <.Swarm.Nil.ID>: nil pointer evaluating *swarm.ClusterInfo.ID',
    ],
    [
      "{{upper .Swarm.LocalNodeState}}",
      'ERR template: :1:14: executing "" at <.Swarm.LocalNodeState>: wrong type for value; expected string; got swarm.LocalNodeState',
    ],
    [
      "{{.Swarm.Nodes.X}}",
      'ERR template: :1:8: executing "" at <.Swarm.Nodes.X>: can\'t evaluate field X in type int',
    ],
    ["{{nil}}", 'ERR template: :1:2: executing "" at <nil>: nil is not a command'],
    [
      "{{upper}}",
      'ERR template: :1:2: executing "" at <upper>: wrong number of args for upper: want 1 got 0',
    ],
    ["{{upper 1}}", 'ERR template: :1:8: executing "" at <1>: expected string; found 1'],
    [
      "line1\n{{.Nope}}",
      'ERR template: :2:2: executing "" at <.Nope>: can\'t evaluate field Nope in type system.dockerInfo',
    ],
    [
      "{{range .Swarm.NodeID}}x{{end}}",
      'ERR template: :1:14: executing "" at <.Swarm.NodeID>: range can\'t iterate over nid',
    ],
    [
      "{{index .Swarm.NodeID 5}}",
      'ERR template: :1:2: executing "" at <index .Swarm.NodeID 5>: error calling index: index out of range: 5',
    ],
  ])("%j", (src, want) => {
    expect(run(src)).toBe(want);
  });

  it("keeps what was written before an execution error", () => {
    const r = GoTemplate.parse("a{{.Swarm.NodeID}}b{{.Nope}}c").execute(info);
    expect(r.output).toBe("anidb");
    expect(r.error?.phase).toBe("exec");
  });

  it("errors on a method called with the wrong arguments", () => {
    expect(run("{{.Label}}", row)).toBe(
      'ERR template: :1:2: executing "" at <.Label>: wrong number of args for Label: want 1 got 0',
    );
    expect(run('{{.ID "x"}}', row)).toBe(
      'ERR template: :1:2: executing "" at <.ID>: wrong number of args for ID: want 0 got 1',
    );
    expect(run("{{.Self | upper}}", row)).toBe(
      'ERR template: :1:10: executing "" at <upper>: wrong type for value; expected string; got bool',
    );
  });
});

describe("the Docker CLI's list formatter", () => {
  const header = { ID: "ID", Self: "", Hostname: "HOSTNAME" };
  const rows = [
    row,
    listContext("node.nodeContext", { ID: () => "longer-id", Self: () => false, Hostname: () => "n2" }),
  ];

  it("table: a header from the column names, through the tabwriter", () => {
    expect(
      writeFormatted("table {{.ID}} {{if .Self}}*{{else}} {{ end }}\\t{{upper .Hostname}}", header, rows),
    ).toBe("ID            HOSTNAME\nabc *         NODE1<&>\nlonger-id     N2\n");
  });

  it("json: one object per line; a template: one line per row", () => {
    expect(writeFormatted("json", header, rows).split("\n")).toHaveLength(3);
    expect(writeFormatted("{{.ID}}:{{.Self}}", header, rows)).toBe("abc:true\nlonger-id:false\n");
  });

  it("a bad template is a 'template parsing error', whether it fails to parse or to run", () => {
    expect(() => writeFormatted("{{.Nope}}", header, rows)).toThrow(
      'template parsing error: template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type *node.nodeContext',
    );
    expect(() => writeFormatted("{{.ID", header, rows)).toThrow(
      "template parsing error: template: :1: unclosed action",
    );
  });
});

describe("inspect --format", () => {
  const node = { ID: "n1", CreatedAt: "2026-01-01T00:00:01Z", Spec: { Labels: { a: "b" }, Role: "manager" } };

  it("evaluates over the object inspect prints: typed times, maps, JSON in the object's order", () => {
    const o = renderInspect([node], [], "{{.ID}} {{.CreatedAt}} {{.Spec.Labels}} {{json .Spec}}");
    expect(o).toEqual({
      stdout:
        '{"Labels":{"a":"b"},"Role":"manager"}'.replace(/^/, "n1 2026-01-01 00:00:01 +0000 UTC map[a:b] ") +
        "\n",
      stderr: "",
      exitCode: 0,
    });
  });

  it("falls back to the raw JSON and reports its error where the CLI kept it (network inspect)", () => {
    const o = renderInspect([node], [], "{{.Nope}}", { rawFallback: true });
    expect(o.stdout).toBe("\n");
    expect(o.stderr).toBe(
      'template parsing error: template: :1:2: executing "" at <.Nope>: map has no entry for key "Nope"\n',
    );
    expect(o.exitCode).toBe(1);
  });

  it("a template that does not parse exits 64; json is compact; lookups that failed come last", () => {
    expect(renderInspect([node], [], "{{.ID").exitCode).toBe(64);
    expect(renderInspect([node], ["Error: no such service: x"], "json")).toEqual({
      stdout: `${JSON.stringify([node])}\n`,
      stderr: "Error: no such service: x\n",
      exitCode: 1,
    });
  });
});
