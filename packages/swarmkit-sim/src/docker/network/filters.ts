// `docker network ls -f` as dockerd filters networks (moby daemon/network/filter.go): driver
// and scope exact, name and id as the filters package's Match (equal, or a regular expression
// found in it), every label given must match, type=custom|builtin, dangling=true|false.
import { DaemonError } from "../../node/errors";
import { groupFilters, labelsMatch, matchesAny, matchesFilters } from "../list-filters";
import type { NetworkSummary } from "./format";

const NETWORK_FILTERS = new Set(["dangling", "driver", "id", "label", "name", "scope", "type"]);

/** runconfig.IsPreDefinedNetwork: the networks every engine has, and the swarm's ingress. */
const PREDEFINED = new Set(["bridge", "host", "none", "default", "ingress"]);

/**
 * The networks the filters select. `inUse` says whether a network has containers or (a swarm
 * network) services on it, for `dangling`.
 */
export function filterNetworks(
  networks: readonly NetworkSummary[],
  items: readonly string[],
  inUse: (n: NetworkSummary) => boolean,
): NetworkSummary[] | DaemonError {
  const filters = groupFilters(items, NETWORK_FILTERS);
  if (filters instanceof Error) return filters;
  const types = filters.get("type") ?? [];
  const badType = types.find((t) => t !== "custom" && t !== "builtin");
  if (badType !== undefined) return new DaemonError(`invalid filter 'type=${badType}'`);
  const dangling = filters.get("dangling") ?? [];
  if (dangling.length > 1) return new DaemonError('got more than one value for filter key "dangling"');
  const danglingOnly = dangling.length === 0 ? undefined : parseDangling(dangling[0]);
  if (danglingOnly instanceof Error) return danglingOnly;
  return networks.filter((n) =>
    matchesFilters(filters, (key, values) => {
      const predefined = PREDEFINED.has(n.name);
      switch (key) {
        case "driver":
          return values.includes(n.driver);
        case "scope":
          return values.includes(n.scope);
        case "name":
          return matchesAny(n.name, values);
        case "id":
          return matchesAny(n.id, values);
        case "label":
          return labelsMatch(n.labels, values);
        case "type":
          return values.includes(predefined ? "builtin" : "custom");
        default:
          return danglingOnly ? !predefined && !inUse(n) : predefined || inUse(n);
      }
    }),
  );
}

function parseDangling(v: string): boolean | DaemonError {
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  return new DaemonError(`invalid filter 'dangling=${v}'`);
}
