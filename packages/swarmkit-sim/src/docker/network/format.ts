// `docker network ls` rows as the CLI's network formatter sees them
// (cli/command/network/formatter.go): ID, Name, Driver, Scope, IPv4, IPv6, Internal, Labels,
// CreatedAt and Label "key", the default table and the raw layout.
import { type HeaderMap, listContext, listFormat } from "../../cli/format/formatter";
import { truncateId } from "../../cli/format/text";
import { formatValue, type GoStruct, goTime } from "../../cli/format/template";

const NETWORK_TABLE_FORMAT = "table {{.ID}}\\t{{.Name}}\\t{{.Driver}}\\t{{.Scope}}";

export const NETWORK_HEADER: HeaderMap = {
  ID: "NETWORK ID",
  Name: "NAME",
  Driver: "DRIVER",
  Scope: "SCOPE",
  IPv4: "IPV4",
  IPv6: "IPV6",
  Internal: "INTERNAL",
  Labels: "LABELS",
  CreatedAt: "CREATED AT",
};

/** network.NewFormat. */
export function networkListFormat(source: string, quiet: boolean): string {
  return listFormat(source, quiet, NETWORK_TABLE_FORMAT, {
    quiet: "network_id: {{.ID}}",
    full: "network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n",
  });
}

/** A network as `docker network ls` lists it (network.Summary). */
export interface NetworkSummary {
  id: string;
  name: string;
  driver: string;
  scope: string;
  internal: boolean;
  labels: Readonly<Record<string, string>>;
  /** Wall-clock ms. */
  created: number;
}

export function networkContext(n: NetworkSummary, trunc: boolean): GoStruct {
  return listContext(
    "network.networkContext",
    {
      ID: () => (trunc ? truncateId(n.id) : n.id),
      Name: () => n.name,
      Driver: () => n.driver,
      Scope: () => n.scope,
      IPv4: () => "true",
      IPv6: () => "false",
      Internal: () => String(n.internal),
      // Go ranges over the label map in random order; sorted here so runs repeat.
      Labels: () =>
        Object.keys(n.labels)
          .sort()
          .map((k) => `${k}=${n.labels[k]}`)
          .join(","),
      CreatedAt: () => formatValue(goTime(n.created)),
    },
    { Label: { params: ["string"], call: (key) => n.labels[key as string] ?? "" } },
  );
}
