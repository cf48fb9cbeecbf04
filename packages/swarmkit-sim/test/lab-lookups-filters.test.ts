// dockerd's reference lookups and the list commands' -f filters, as a student types them:
// a name that matches nothing is dockerd's own plain error (moby daemon/cluster/helpers.go),
// not a gRPC status, and every filter key is applied or refused, never parsed and dropped
// (moby daemon/cluster/filters.go, SwarmKit controlapi ListServices, ListTasks, ListNodes).
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";

function lab() {
  const l = new Lab({ seed: 1, services: true });
  expect(l.run("docker swarm init").exitCode).toBe(0);
  return l;
}

function run(l: Lab, line: string) {
  const r = l.run(line);
  return { code: r.exitCode, out: r.stdout, err: r.stderr };
}

/** web (label tier=front), webapp and a global db, all running nginx (an image the lab holds). */
function threeServices() {
  const l = lab();
  for (const line of [
    "docker service create --name web --label tier=front nginx",
    "docker service create --name webapp nginx",
    "docker service create --name db --mode global nginx",
  ])
    expect(run(l, line).code, line).toBe(0);
  return l;
}

const names = (out: string) => out.trim().split("\n").filter(Boolean);

describe("references that name nothing: dockerd's plain errors", () => {
  it("node commands say `node X not found` without gRPC's wrapping", () => {
    const l = lab();
    for (const cmd of ["node rm", "node update --availability drain", "node promote", "node ps"]) {
      const r = run(l, `docker ${cmd} nosuch`);
      expect(r.code, cmd).toBe(1);
      expect(r.err, cmd).toBe("Error response from daemon: node nosuch not found\n");
    }
    expect(run(l, "docker node inspect nosuch")).toEqual({
      code: 1,
      out: "[]\n",
      err: "Error response from daemon: node nosuch not found\n",
    });
  });

  it("service and network commands likewise; inspect keeps the CLI's own text", () => {
    const l = lab();
    const daemon = (what: string) => `Error response from daemon: ${what} nosuch not found\n`;
    expect(run(l, "docker service rm nosuch").err).toBe(daemon("service"));
    expect(run(l, "docker service update --replicas 2 nosuch").err).toBe(daemon("service"));
    expect(run(l, "docker service update --rollback nosuch").err).toBe(daemon("service"));
    expect(run(l, "docker service scale nosuch=2").err).toBe(`nosuch: ${daemon("service")}`);
    expect(run(l, "docker network rm nosuch").err).toBe(daemon("network"));
    expect(run(l, "docker service create --network nosuch nginx").err).toBe(daemon("network"));
    // inspect.go's getRef turns the daemon's NotFound into its own words.
    expect(run(l, "docker service inspect nosuch").err).toBe("Error: no such service: nosuch\n");
  });

  it("a refusal by the control API itself still carries its gRPC status", () => {
    const l = lab();
    const r = run(l, "docker node demote node1");
    expect(r.err).toBe(
      "Error response from daemon: rpc error: code = FailedPrecondition desc = attempting to demote the last manager of the swarm\n",
    );
  });
});

describe("service ls -f", () => {
  it("name and id are prefixes, labels must all match, mode is exact", () => {
    const l = threeServices();
    const ls = (f: string) => names(run(l, `docker service ls ${f} --format '{{.Name}}'`).out);
    expect(ls("")).toEqual(["db", "web", "webapp"]);
    expect(ls("-f name=web")).toEqual(["web", "webapp"]);
    expect(ls("-f name=web -f name=d")).toEqual(["db", "web", "webapp"]);
    expect(ls("-f name=zzz")).toEqual([]);
    expect(ls("-f label=tier")).toEqual(["web"]);
    expect(ls("-f label=tier=front")).toEqual(["web"]);
    expect(ls("-f label=tier=back")).toEqual([]);
    expect(ls("-f label=tier -f label=other")).toEqual([]);
    expect(ls("-f mode=global")).toEqual(["db"]);
    expect(ls("-f mode=replicated -f name=webapp")).toEqual(["webapp"]);
    expect(ls("-f runtime=container")).toEqual(["db", "web", "webapp"]);
    const webId = run(l, "docker service inspect --format '{{.ID}}' web").out.trim();
    expect(ls(`-f id=${webId.slice(0, 6)}`)).toEqual(["web"]);
  });

  it("a key dockerd does not accept is refused", () => {
    const l = threeServices();
    expect(run(l, "docker service ls -f foo=bar")).toEqual({
      code: 1,
      out: "",
      err: "Error response from daemon: invalid filter 'foo'\n",
    });
  });
});

describe("service ps: references and -f", () => {
  const ps = (l: Lab, args: string) => names(run(l, `docker service ps ${args} --format '{{.Name}}'`).out);

  it("a reference is a full ID, a full name or an ID prefix, as ps.go matches them", () => {
    const l = threeServices();
    expect(ps(l, "web")).toEqual(["web.1"]);
    expect(ps(l, "webapp web")).toEqual(["web.1", "webapp.1"]);
    const webId = run(l, "docker service inspect --format '{{.ID}}' web").out.trim();
    expect(ps(l, webId.slice(0, 5))).toEqual(["web.1"]);
    expect(run(l, "docker service ps nosuch")).toEqual({
      code: 1,
      out: "",
      err: "no such service: nosuch\n",
    });
    expect(run(l, "docker service ps nosuch other")).toEqual({
      code: 1,
      out: "",
      err: "no such service: nosuch\nno such service: other\n",
    });
    // The services found are listed, then the others are reported.
    const some = run(l, "docker service ps web nosuch --format '{{.Name}}'");
    expect(some).toEqual({ code: 1, out: "web.1\n", err: "no such service: nosuch\n" });
  });

  it("an ID prefix several services share is an error (the empty prefix: all of them)", () => {
    const l = threeServices();
    expect(run(l, "docker service ps ''")).toEqual({
      code: 1,
      out: "",
      err: "multiple services found with provided prefix: \n",
    });
  });

  it("filters by name, label (the service's), desired state, service and node", () => {
    const l = threeServices();
    expect(ps(l, "-f name=webapp web")).toEqual([]);
    expect(ps(l, "-f name=web web")).toEqual(["web.1"]);
    expect(ps(l, "-f label=tier web")).toEqual(["web.1"]);
    expect(ps(l, "-f desired-state=running web")).toEqual(["web.1"]);
    expect(ps(l, "-f desired-state=shutdown web")).toEqual([]);
    expect(ps(l, "-f node=node1 webapp")).toEqual(["webapp.1"]);
    // The CLI adds the references' services to the user's service= filter: they add up.
    expect(ps(l, "-f service=webapp web")).toEqual(["web.1", "webapp.1"]);
    const node = run(l, "docker node ls -q").out.trim();
    expect(ps(l, "-f service=db web")).toEqual([`db.${node}`, "web.1"]);
  });

  it("desired-state is matched exactly, as SwarmKit does: a task waiting out its restart delay is ready", () => {
    const l = lab();
    expect(run(l, "docker service create -d --name flap alpine false").code).toBe(0);
    run(l, "sleep 12");
    const states = (f: string) =>
      names(run(l, `docker service ps flap -f desired-state=${f} --format '{{.DesiredState}}'`).out);
    // Each command takes a little simulated time, so the tasks may move on between two lists:
    // what each filter returns has the state asked for.
    for (const want of ["Ready", "Running", "Shutdown"])
      expect(states(want.toLowerCase()).every((s) => s === want)).toBe(true);
    expect(states("shutdown").length).toBeGreaterThan(1);
    expect(states("ready").length + states("running").length).toBeGreaterThan(0);
  });

  it("refuses unknown keys, unknown states, and services or nodes that do not exist", () => {
    const l = threeServices();
    const err = (args: string) => run(l, `docker service ps ${args}`).err;
    expect(err("-f foo=1 web")).toBe("Error response from daemon: invalid filter 'foo'\n");
    expect(err("-f desired-state=bogus web")).toBe(
      "Error response from daemon: Invalid desired-state filter: 'bogus'\n",
    );
    expect(err("-f service=nope web")).toBe("Error response from daemon: service nope not found\n");
    expect(err("-f node=nope web")).toBe("Error response from daemon: node nope not found\n");
  });

  it("node ps applies the same filters", () => {
    const l = threeServices();
    expect(names(run(l, "docker node ps -f name=web --format '{{.Name}}'").out)).toEqual([
      "web.1",
      "webapp.1",
    ]);
    expect(run(l, "docker node ps -f foo=1").err).toBe("Error response from daemon: invalid filter 'foo'\n");
  });
});

describe("node ls -f", () => {
  it("name is a hostname prefix; role and membership values are checked", () => {
    const l = lab();
    const ls = (f: string) => names(run(l, `docker node ls ${f} --format '{{.Hostname}}'`).out);
    expect(ls("-f name=node")).toEqual(["node1"]);
    expect(ls("-f name=zzz")).toEqual([]);
    expect(ls("-f role=manager")).toEqual(["node1"]);
    expect(ls("-f role=worker")).toEqual([]);
    expect(ls("-f membership=accepted")).toEqual(["node1"]);
    expect(run(l, "docker node ls -f role=boss").err).toBe(
      "Error response from daemon: Invalid role filter: 'boss'\n",
    );
    expect(run(l, "docker node ls -f membership=maybe").err).toBe(
      "Error response from daemon: Invalid membership filter: 'maybe'\n",
    );
  });
});

describe("stack services and stack ps -f", () => {
  it("the user's filters go with the stack's label; nothing left is the stack's message", () => {
    const l = lab();
    const deploy = run(
      l,
      "docker service create --name app_web --label com.docker.stack.namespace=app --label tier=front nginx",
    );
    expect(deploy.code).toBe(0);
    expect(
      run(l, "docker service create --name app_db --label com.docker.stack.namespace=app nginx").code,
    ).toBe(0);
    const services = (f: string) => run(l, `docker stack services app ${f} --format '{{.Name}}'`);
    expect(names(services("").out)).toEqual(["app_db", "app_web"]);
    expect(names(services("-f label=tier").out)).toEqual(["app_web"]);
    expect(services("-f name=zzz")).toEqual({ code: 0, out: "", err: "Nothing found in stack: app\n" });
    expect(services("-f foo=1").err).toBe("Error response from daemon: invalid filter 'foo'\n");
    const ps = (f: string) => run(l, `docker stack ps app ${f} --format '{{.Name}}'`);
    expect(names(ps("-f name=app_db").out)).toEqual(["app_db.1"]);
    expect(ps("-f name=zzz")).toEqual({ code: 1, out: "", err: "nothing found in stack: app\n" });
  });
});

describe("network ls -f", () => {
  it("driver, scope, name and id as dockerd matches them; type and dangling", () => {
    const l = lab();
    for (const line of [
      "docker network create -d overlay --label env=prod front",
      "docker network create -d overlay back",
      "docker service create --name web --network front nginx",
    ])
      expect(run(l, line).code, line).toBe(0);
    const ls = (f: string) => names(run(l, `docker network ls ${f} --format '{{.Name}}'`).out);
    expect(ls("-f driver=overlay")).toEqual(["back", "front", "ingress"]);
    expect(ls("-f scope=local")).toEqual(["bridge", "host", "none"]);
    // Match: the value as a regular expression found in the name.
    expect(ls("-f name=^b")).toEqual(["back", "bridge"]);
    expect(ls("-f name=ron")).toEqual(["front"]);
    expect(ls("-f label=env")).toEqual(["front"]);
    expect(ls("-f label=env=dev")).toEqual([]);
    expect(ls("-f type=builtin")).toEqual(["bridge", "host", "ingress", "none"]);
    expect(ls("-f type=custom")).toEqual(["back", "front"]);
    // front carries web; back carries nothing.
    expect(ls("-f dangling=true")).toEqual(["back"]);
    expect(ls("-f dangling=false")).toEqual(["bridge", "front", "host", "ingress", "none"]);
  });

  it("refuses what dockerd refuses", () => {
    const l = lab();
    const err = (f: string) => run(l, `docker network ls ${f}`).err;
    expect(err("-f foo=1")).toBe("Error response from daemon: invalid filter 'foo'\n");
    expect(err("-f type=x")).toBe("Error response from daemon: invalid filter 'type=x'\n");
    expect(err("-f dangling=maybe")).toBe("Error response from daemon: invalid filter 'dangling=maybe'\n");
    expect(err("-f dangling=true -f dangling=false")).toBe(
      'Error response from daemon: got more than one value for filter key "dangling"\n',
    );
  });
});
