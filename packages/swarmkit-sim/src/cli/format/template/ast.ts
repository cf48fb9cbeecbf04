// The parsed template. `pos` is where a node starts in the source; errors name a node by the
// text `nodeText` gives it ("<.Swarm.Nope>"), as Go's node String methods do.

export type ListNode = { type: "list"; nodes: Node[] };

export type Node =
  | ListNode
  | { type: "text"; text: string }
  | { type: "action"; pos: number; pipe: PipeNode }
  | ControlNode
  | { type: "break" | "continue"; pos: number };

export type ControlNode = {
  type: "if" | "range" | "with";
  pos: number;
  pipe: PipeNode;
  list: ListNode;
  elseList?: ListNode;
};

export type PipeNode = {
  type: "pipe";
  pos: number;
  /** Variables declared (`$x :=`) or assigned (`$x =`) by the pipeline. */
  decl: VariableNode[];
  isAssign: boolean;
  cmds: CommandNode[];
};

export type CommandNode = { type: "command"; pos: number; args: ArgNode[] };

export type FieldNode = { type: "field"; pos: number; idents: string[] };
export type VariableNode = { type: "variable"; pos: number; idents: string[] };
export type ChainNode = { type: "chain"; pos: number; node: ArgNode; fields: string[] };
export type IdentifierNode = { type: "identifier"; pos: number; name: string };
export type StringNode = { type: "string"; pos: number; quoted: string; text: string };
export type NumberNode = {
  type: "number";
  pos: number;
  text: string;
  /** Set when the constant is an integer (Go's IsInt), including character constants. */
  int?: number;
  float?: number;
};

export type ArgNode =
  | FieldNode
  | VariableNode
  | ChainNode
  | IdentifierNode
  | StringNode
  | NumberNode
  | PipeNode
  | { type: "dot"; pos: number }
  | { type: "nil"; pos: number }
  | { type: "bool"; pos: number; value: boolean };

/** The node as Go's String methods print it, for "executing ... at <...>". */
export function nodeText(n: ArgNode | CommandNode | ControlNode): string {
  switch (n.type) {
    case "field":
      return n.idents.map((i) => `.${i}`).join("");
    case "variable":
      return n.idents.join(".");
    case "chain": {
      const inner = n.node.type === "pipe" ? `(${nodeText(n.node)})` : nodeText(n.node);
      return inner + n.fields.map((f) => `.${f}`).join("");
    }
    case "identifier":
      return n.name;
    case "string":
      return n.quoted;
    case "number":
      return n.text;
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "bool":
      return String(n.value);
    case "command":
      return n.args.map((a) => (a.type === "pipe" ? `(${nodeText(a)})` : nodeText(a))).join(" ");
    case "pipe": {
      const decl = n.decl.length ? `${n.decl.map(nodeText).join(", ")} ${n.isAssign ? "=" : ":="} ` : "";
      return decl + n.cmds.map(nodeText).join(" | ");
    }
    default:
      return `{{${n.type} ${nodeText(n.pipe)}}}`;
  }
}
