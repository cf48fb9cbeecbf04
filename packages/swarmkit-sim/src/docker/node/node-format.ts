// `docker node ls` rows as the CLI's node formatter sees them (cli/command/node/formatter.go):
// the columns ID, Self, Hostname, Status, Availability, ManagerStatus, EngineVersion and
// TLSStatus, the default table, the raw layout, and the header of each column.
import type { Cluster, Node } from "../../api/types";
import { type HeaderMap, listContext, listFormat } from "../../cli/format/formatter";
import { prettyPrint } from "../../cli/format/text";
import type { GoStruct } from "../../cli/format/template";
import { certificateSignedBy } from "../../ca/verify";

export const NODE_TABLE_FORMAT =
  "table {{.ID}} {{if .Self}}*{{else}} {{ end }}\\t{{.Hostname}}\\t{{.Status}}\\t{{.Availability}}\\t{{.ManagerStatus}}\\t{{.EngineVersion}}";

const NODE_RAW_FORMAT = {
  quiet: "node_id: {{.ID}}",
  full: "node_id: {{.ID}}\\nhostname: {{.Hostname}}\\nstatus: {{.Status}}\\navailability: {{.Availability}}\\nmanager_status: {{.ManagerStatus}}\\n",
};

export const NODE_HEADER: HeaderMap = {
  ID: "ID",
  Self: "",
  Hostname: "HOSTNAME",
  Status: "STATUS",
  Availability: "AVAILABILITY",
  ManagerStatus: "MANAGER STATUS",
  EngineVersion: "ENGINE VERSION",
  TLSStatus: "TLS STATUS",
};

/** node.NewFormat. */
export function nodeListFormat(source: string, quiet: boolean): string {
  return listFormat(source, quiet, NODE_TABLE_FORMAT, NODE_RAW_FORMAT);
}

export function managerStatus(n: Node): string {
  if (!n.managerStatus) return "";
  return prettyPrint(n.managerStatus.leader ? "Leader" : n.managerStatus.reachability);
}

/**
 * TLSStatus: "Ready" when the node's certificate comes from the issuer the cluster signs with
 * now, "Needs Rotation" when it does not (a root rotation is under way), "Unknown" without a
 * cluster to compare with (`node ls -q` does not fetch it) or a certificate.
 */
function tlsStatus(n: Node, cluster: Cluster | undefined): string {
  if (!cluster || !n.certificate.pem) return "Unknown";
  const issuer = cluster.rootCA.rootRotation?.caCertPem ?? cluster.rootCA.caCertPem;
  return certificateSignedBy(n.certificate.pem, issuer) ? "Ready" : "Needs Rotation";
}

/** One row: `self` is the ID of the node the daemon runs on ("" when not fetched). */
export function nodeContext(n: Node, self: string, cluster: Cluster | undefined): GoStruct {
  return listContext("node.nodeContext", {
    ID: () => n.id,
    Self: () => self !== "" && n.id === self,
    Hostname: () => n.description?.hostname ?? "",
    Status: () => prettyPrint(n.status.state),
    Availability: () => prettyPrint(n.spec.availability),
    ManagerStatus: () => managerStatus(n),
    TLSStatus: () => tlsStatus(n, cluster),
    EngineVersion: () => n.description?.engine.engineVersion ?? "",
  });
}
