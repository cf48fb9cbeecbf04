// A program the image does not have (`docker run -it alpine bash`, the classic): runc cannot
// exec it, so the container never starts (it stays Created), the CLI prints the daemon's error
// and exits 127 (run.go runStartContainerErr), and a swarm task fails with the executor's
// "starting container failed: ...". Inside a `sh -c` script the same program is sh's "not
// found"; an applet the image has but the simulator does not model is said so in a [lab] line.
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

const RUNC = (what: string) =>
  `failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${what}: unknown`;

function run(l: Lab, line: string) {
  const r = l.run(line);
  return { code: r.exitCode, out: r.stdout, err: r.stderr };
}

describe("programs an image does not have", () => {
  it("docker run alpine bash: runc's error, exit 127, and the container stays Created", () => {
    const l = new Lab({ seed: 9, services: true });
    run(l, "docker run --rm alpine true");
    const r = run(l, "docker run --name nobash alpine bash");
    expect(r.code).toBe(127);
    expect(r.err).toBe(
      `docker: Error response from daemon: ${RUNC('exec: "bash": executable file not found in $PATH')}.\nSee 'docker run --help'.\n`,
    );
    expect(run(l, "docker ps -a --filter name=nobash --format '{{.Status}}'").out).toBe("Created\n");
    // docker start fails the same way, and start.go names the containers it could not start.
    expect(run(l, "docker start nobash nosuch")).toEqual({
      code: 1,
      out: "",
      err:
        `Error response from daemon: ${RUNC('exec: "bash": executable file not found in $PATH')}\n` +
        "Error response from daemon: No such container: nosuch\n" +
        "Error: failed to start containers: nobash, nosuch\n",
    });
    const path = run(l, "docker run --rm alpine /bin/bash");
    expect(path.code).toBe(127);
    expect(path.err).toContain(RUNC('exec: "/bin/bash": stat /bin/bash: no such file or directory'));
    // exit is a builtin of sh, no program: only a script can run it.
    expect(run(l, "docker run --rm alpine exit 3").err).toContain(
      RUNC('exec: "exit": executable file not found in $PATH'),
    );
    expect(run(l, `docker run --rm alpine sh -c "exit 3"`).code).toBe(3);
    // --rm removes what could not start.
    expect(run(l, "docker ps -aq").out.trim().split("\n")).toHaveLength(1);
  });

  it("inside sh -c it is sh's 'not found'; an unmodelled applet is named in a [lab] line", () => {
    const l = new Lab({ seed: 9, services: true });
    const script = run(l, `docker run --rm alpine sh -c "echo hi; bash"`);
    expect(script.out).toBe("hi\n");
    expect(script.err.endsWith("sh: bash: not found\n")).toBe(true);
    expect(script.code).toBe(127);
    expect(run(l, `docker run --rm alpine sh -c "nosuch"`).err.endsWith("sh: nosuch: not found\n")).toBe(
      true,
    );
    const ls = run(l, "docker run --rm busybox ls");
    expect(ls.err).toMatch(/^\[lab\] ls is not simulated in this image; it runs sleep, /m);
    // A path to a modelled applet runs it.
    expect(run(l, "docker run --rm alpine /bin/echo hello").out).toBe("hello\n");
  });

  it("a swarm task with such a command fails with the executor's wrapping of runc's error", () => {
    const l = new Lab({ seed: 9, services: true });
    run(l, "docker swarm init");
    run(l, "docker service create -d --name b alpine bash");
    run(l, "sleep 3");
    const errors = run(l, "docker service ps --no-trunc b --format '{{.Error}}'").out;
    expect(errors).toContain(
      `"starting container failed: ${RUNC('exec: "bash": executable file not found in $PATH')}"`,
    );
  });
});
