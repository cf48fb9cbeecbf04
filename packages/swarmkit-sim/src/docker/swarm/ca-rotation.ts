// `docker swarm ca --rotate` following the rotation (cli/command/swarm/ca.go attach,
// cli/command/swarm/progress/root_rotation.go). The CLI draws three progress lines through
// jsonmessage; on a terminal they are redrawn in place, on anything else (a pipe, a file, a
// transcript) jsonmessage drops every message that carries a progress bar and prints the rest
// one per line. The lab shows that non-terminal form, since its output is a transcript and has
// no cursor to move: the three headings, then "desired root digest: sha256:..." once per poll
// (every 200 ms) until the rotation has converged, then the new trust root.
import type { Cluster, Node } from "../../api/types";
import { CONTROL } from "../../api/methods";
import { forMs, type Job } from "../../cli/job";
import { caDigest } from "../../ca/jointoken";
import { certificateSignedBy } from "../../ca/verify";
import { type DockerIO, fail, request, type SwarmCommandContext } from "../io";

/** The CLI waits 200 ms between polls. */
export const ROTATION_POLL_MS = 200;
/** How long the lab follows a rotation before it stops as a user's Ctrl-C would. */
export const CA_ROTATION_WAIT_MS = 10 * 60_000;

/** progress.Update(out, id, action) with no bar, as jsonmessage prints it off a terminal. */
const statusLine = (id: string, action: string) => `${id}: ${action}\n`;

export type RotationOutcome = "converged" | "interrupted" | "failed";

/**
 * Polls the cluster and the nodes until every node holds a certificate from the new root and
 * the rotation is finished (RootRotationProgress). With `quiet` nothing is written.
 */
export function* followRootRotation(
  io: DockerIO,
  ctx: SwarmCommandContext,
  quiet: boolean,
): Job<RotationOutcome> {
  const write = (text: string) => {
    if (!quiet) io.out(text);
  };
  write(statusLine("desired root digest", ""));
  write(statusLine("  rotated TLS certificates", ""));
  write(statusLine("  rotated CA certificates", " "));
  const until = ctx.sim.now() + CA_ROTATION_WAIT_MS;
  let done = false;
  for (;;) {
    const c = yield* request<{ cluster: Cluster }>((cb) => ctx.swarm.control(CONTROL.getCluster, {}, cb));
    if (c.err) {
      fail(io, c.err);
      return "failed";
    }
    if (done) return "converged";
    const n = yield* request<{ nodes: Node[] }>((cb) => ctx.swarm.control(CONTROL.listNodes, {}, cb));
    if (n.err) {
      fail(io, n.err);
      return "failed";
    }
    const cluster = c.res!.cluster;
    // The digest of the trust root the cluster hands out: the old root until the rotation ends.
    write(statusLine("desired root digest", caDigest(cluster.rootCA.caCertPem)));
    // The two bars ("rotated TLS certificates", "rotated CA certificates") carry a total, so
    // off a terminal jsonmessage prints nothing for them.
    done = converged(cluster, n.res!.nodes);
    if (!done && ctx.sim.now() >= until) {
      write(
        "Operation continuing in background.\nUse `swarmctl cluster inspect default` to check progress.\n",
      );
      return "interrupted";
    }
    yield* forMs(ROTATION_POLL_MS);
  }
}

/**
 * updateProgress's test: every node's certificate comes from the issuer the cluster signs with,
 * the rotation is over, and every node trusts the new root (a node learns it with the same
 * session message that ends its rotation, so this follows its certificate here).
 */
function converged(cluster: Cluster, nodes: readonly Node[]): boolean {
  const issuer = cluster.rootCA.rootRotation?.caCertPem ?? cluster.rootCA.caCertPem;
  const certsRight = nodes.filter(
    (x) => x.certificate.pem && certificateSignedBy(x.certificate.pem, issuer),
  ).length;
  return certsRight === nodes.length && !cluster.rootCA.rootRotation;
}
