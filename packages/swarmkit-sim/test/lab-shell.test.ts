// The lab's shells: the prompt stack of docker exec -it, exit and Ctrl-D, one-off docker exec,
// shell variables, the file commands, the transcript runner and the REPL.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { Lab, labCompleter, startRepl } from "../src/lab/index";

function labWithNodes(...names: string[]): Lab {
  const lab = new Lab({ seed: "shell" });
  for (const n of names) {
    const r = lab.run(`docker run -d --privileged --name ${n} docker:dind`);
    expect(r.exitCode).toBe(0);
  }
  return lab;
}

describe("docker exec and the prompt stack", () => {
  it("docker exec -it node2 sh enters node2 until exit; exit at node1 ends the lab", () => {
    const lab = labWithNodes("node2");
    expect(lab.prompt()).toBe("[node1] ~ $ ");
    expect(lab.run("docker exec -it node2 sh")).toMatchObject({ exitCode: 0, stdout: "", stderr: "" });
    expect(lab.prompt()).toBe("[node2] / # ");
    expect(lab.depth()).toBe(2);
    expect(lab.run("hostname").stdout).toBe("node2\n");
    // From inside node2, node1's containers are not there (node2 has its own engine).
    expect(lab.run("docker exec -it node2 sh")).toMatchObject({
      exitCode: 1,
      stderr: "Error response from daemon: No such container: node2\n",
    });
    expect(lab.run("docker ps").stdout).toBe(
      "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n",
    );
    expect(lab.run("exit 3").exitCode).toBe(3);
    expect(lab.prompt()).toBe("[node1] ~ $ ");
    expect(lab.run("hostname").stdout).toBe("node1\n");
    expect(lab.exited).toBe(false);
    lab.run("exit");
    expect(lab.exited).toBe(true);
    expect(lab.run("hostname")).toMatchObject({ exitCode: 1, stderr: "[lab] the lab has ended\n" });
  });

  it("leaveShell (Ctrl-D) pops one level and reports false at node1", () => {
    const lab = labWithNodes("node2");
    lab.run("docker exec -it node2 sh");
    expect(lab.leaveShell()).toBe(true);
    expect(lab.currentNode().name).toBe("node1");
    expect(lab.leaveShell()).toBe(false);
    expect(lab.exited).toBe(true);
  });

  it("docker exec NODE CMD runs one command there and stays on node1", () => {
    const lab = labWithNodes("node2");
    expect(lab.run("docker exec node2 hostname").stdout).toBe("node2\n");
    expect(lab.run("docker exec node2 sh -c 'hostname; pwd'").stdout).toBe("node2\n/\n");
    expect(lab.run("docker exec -w /root -e GREETING=hi node2 sh -c 'echo $GREETING; pwd'").stdout).toBe(
      "hi\n/root\n",
    );
    expect(lab.run("docker exec node2 docker info | grep Swarm").stdout).toBe(" Swarm: inactive\n");
    expect(lab.prompt()).toBe("[node1] ~ $ ");
    // Without -i, sh reads end-of-file at once: nothing happens.
    expect(lab.run("docker exec node2 sh")).toMatchObject({ exitCode: 0, stdout: "" });
    expect(lab.depth()).toBe(1);
  });

  it("docker:dind has no bash, and programs missing from it are OCI errors", () => {
    const lab = labWithNodes("node2");
    const bash = lab.run("docker exec -it node2 bash");
    expect(bash.exitCode).toBe(126);
    expect(bash.stderr).toBe(
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown\n',
    );
    expect(lab.run("docker exec node2 vim").stderr).toContain(
      'exec: "vim": executable file not found in $PATH',
    );
    expect(lab.depth()).toBe(1);
  });

  it("docker exec fails on a stopped or paused node as Docker does", () => {
    const lab = labWithNodes("node2");
    const id = lab.container("node2")!.id;
    lab.run("docker pause node2");
    expect(lab.run("docker exec -it node2 sh")).toMatchObject({
      exitCode: 1,
      stderr: "Error response from daemon: Container node2 is paused, unpause the container before exec\n",
    });
    lab.run("docker unpause node2");
    lab.run("docker stop node2");
    expect(lab.run("docker exec node2 hostname")).toMatchObject({
      exitCode: 1,
      stderr: `Error response from daemon: container ${id} is not running\n`,
    });
    expect(lab.run("docker exec node9 hostname").stderr).toBe(
      "Error response from daemon: No such container: node9\n",
    );
    expect(lab.depth()).toBe(1);
  });

  it("a shell whose node stops under it ends; a paused node's shell does not answer", () => {
    const lab = labWithNodes("node2");
    lab.run("docker exec -it node2 sh");
    lab.container("node2")!.pause();
    const frozen = lab.run("hostname");
    expect(frozen.exitCode).toBe(1);
    expect(frozen.stderr).toContain("node2 is paused");
    lab.container("node2")!.unpause();
    expect(lab.run("hostname").stdout).toBe("node2\n");
    lab.container("node2")!.kill();
    const after = lab.run("hostname");
    expect(after.stderr).toBe("[lab] node2 stopped: its shell ended (exit status 137)\n");
    expect(after.stdout).toBe("node1\n");
    expect(lab.prompt()).toBe("[node1] ~ $ ");
  });

  it("each shell has its own variables; command substitution fills them", () => {
    const lab = labWithNodes("node2");
    lab.run("docker swarm init");
    lab.run("TOKEN=$(docker swarm join-token -q worker)");
    expect(lab.run("echo $TOKEN").stdout).toMatch(/^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}\n$/);
    lab.run("docker exec -it node2 sh");
    expect(lab.run("echo [$TOKEN] $HOME").stdout).toBe("[] /root\n");
    lab.run("exit");
    expect(lab.run("echo $HOME").stdout).toBe("/home/docker\n");
  });

  it("each shell has its own $?; leaving a nested shell gives its status to the one below", () => {
    const lab = labWithNodes("node2");
    lab.run("false");
    lab.run("docker exec -it node2 sh");
    // A new sh starts with $? 0 (the docker exec line itself ran in node1's shell).
    expect(lab.run("echo $?").stdout).toBe("0\n");
    lab.run("grep x /nowhere");
    expect(lab.run("echo $?").stdout).toBe("2\n");
    lab.run("false");
    lab.run("exit");
    // docker exec -it exits with the shell's status: exit without N is the last command's.
    expect(lab.run("echo $?").stdout).toBe("1\n");
    lab.run("docker exec -it node2 sh");
    lab.run("exit 3");
    expect(lab.run("echo $?").stdout).toBe("3\n");
  });
});

describe("files: git clone, cd, ls, pwd, cat", () => {
  const repo = {
    "dockercoins/docker-compose.yml": "services:\n  rng:\n    build: rng\n",
    "README.md": "# training\n",
  };

  it("git clone needs a plugin that provides the repository, and says so", () => {
    const lab = new Lab({ seed: 1 });
    const r = lab.run("git clone https://github.com/jpetazzo/container.training");
    expect(r.exitCode).toBe(128);
    expect(r.stderr).toContain(
      "fatal: unable to access 'https://github.com/jpetazzo/container.training/': Could not resolve host: github.com",
    );
    expect(r.stderr).toContain("the simulated network only serves what lab plugins provide");
    expect(lab.run("ls").stdout).toBe("");
  });

  it("clones what a plugin provides, then cd, ls, pwd and cat work on it", () => {
    const lab = new Lab({ seed: 1 });
    lab.use({
      name: "training",
      install: (h) => h.addRepository("https://github.com/jpetazzo/container.training", repo),
    });
    const clone = lab.run("git clone https://github.com/jpetazzo/container.training");
    expect(clone.exitCode).toBe(0);
    expect(clone.stderr.split("\n")[0]).toBe("Cloning into 'container.training'...");
    expect(lab.run("cd container.training/dockercoins").exitCode).toBe(0);
    expect(lab.prompt()).toBe("[node1] ~/container.training/dockercoins $ ");
    expect(lab.run("pwd").stdout).toBe("/home/docker/container.training/dockercoins\n");
    expect(lab.run("ls").stdout).toBe("docker-compose.yml\n");
    expect(lab.run("cat docker-compose.yml | grep build").stdout).toBe("    build: rng\n");
    expect(lab.run("ls ..").stdout).toBe("README.md  dockercoins\n");
    expect(lab.run("cd ../nope")).toMatchObject({
      exitCode: 1,
      stderr: "bash: cd: ../nope: No such file or directory\n",
    });
    expect(lab.run("cat nope.txt")).toMatchObject({
      exitCode: 1,
      stderr: "cat: nope.txt: No such file or directory\n",
    });
    expect(lab.run("ls nope")).toMatchObject({
      exitCode: 2,
      stderr: "ls: cannot access 'nope': No such file or directory\n",
    });
    lab.run("cd");
    expect(lab.run("git clone https://github.com/jpetazzo/container.training")).toMatchObject({
      exitCode: 128,
      stderr: "fatal: destination path 'container.training' already exists and is not an empty directory.\n",
    });
  });
});

describe("text filters read the shell's files", () => {
  const repo = {
    "dockercoins/docker-compose.yml": "services:\n  rng:\n    build: rng\n  redis:\n    image: redis\n",
    "dockercoins/worker/worker.py": "import redis\nimport requests\n\nredis = Redis('redis')\n",
  };
  const cloned = () => {
    const lab = new Lab({ seed: 1 });
    lab.use({
      name: "training",
      install: (h) => h.addRepository("https://github.com/jpetazzo/container.training", repo),
    });
    lab.run("git clone https://github.com/jpetazzo/container.training");
    lab.run("cd container.training/dockercoins");
    return lab;
  };

  it("head, grep, wc, tail, cut, sort take paths relative to the shell's directory", () => {
    const lab = cloned();
    expect(lab.run("head -2 worker/worker.py")).toMatchObject({
      stdout: "import redis\nimport requests\n",
      exitCode: 0,
    });
    expect(lab.run("grep -n redis worker/worker.py").stdout).toBe(
      "1:import redis\n4:redis = Redis('redis')\n",
    );
    expect(lab.run("wc -l docker-compose.yml").stdout).toBe("5 docker-compose.yml\n");
    expect(lab.run("tail -1 ~/container.training/dockercoins/docker-compose.yml").stdout).toBe(
      "    image: redis\n",
    );
    expect(lab.run("cut -c1-6 worker/worker.py | sort | head -1").stdout).toBe("\n");
    expect(lab.run("grep -c redis docker-compose.yml worker/worker.py").stdout).toBe(
      "docker-compose.yml:2\nworker/worker.py:2\n",
    );
  });

  it("a directory and a missing file get GNU's messages", () => {
    const lab = cloned();
    expect(lab.run("head worker")).toMatchObject({
      stderr: "head: error reading 'worker': Is a directory\n",
      exitCode: 1,
    });
    expect(lab.run("grep x worker")).toMatchObject({ stderr: "grep: worker: Is a directory\n", exitCode: 2 });
    expect(lab.run("wc -l nope.yml")).toMatchObject({
      stderr: "wc: nope.yml: No such file or directory\n",
      exitCode: 1,
    });
  });

  it("in a docker:dind node the files are that node's, from its shell's directory", () => {
    const lab = new Lab({ seed: 1 });
    lab.run("docker run -d --privileged --name node2 docker:dind");
    lab.run("docker exec -it node2 sh");
    expect(lab.run("head -1 etc/hostname")).toMatchObject({
      stderr: "head: cannot open 'etc/hostname' for reading: No such file or directory\n",
      exitCode: 1,
    });
    expect(lab.run("wc -l etc")).toMatchObject({ stdout: "0 etc\n", stderr: "wc: etc: Is a directory\n" });
  });
});

describe("the transcript runner", () => {
  it("prints each line after its prompt, then its output; comments and blank lines run nothing", () => {
    const lab = new Lab({ seed: 2 });
    const t0 = lab.sim.now();
    const r = lab.runScript("# a comment\n\nhostname\necho one \\\n  two\nfrobnicate\n");
    expect(r.transcript).toBe(
      "[node1] ~ $ # a comment\n[node1] ~ $ \n[node1] ~ $ hostname\nnode1\n[node1] ~ $ echo one   two\none two\n[node1] ~ $ frobnicate\nsh: frobnicate: not found\n",
    );
    expect(r.failures).toEqual([{ line: "frobnicate", exitCode: 127 }]);
    expect(r.exitCode).toBe(127);
    // Three commands ran: three steps of a person's pace.
    expect(lab.sim.now() - t0).toBe(3 * lab.stepMs);
  });

  it("follows the prompt into nested shells and stops after exit at node1", () => {
    const lab = new Lab({ seed: 3 });
    const out: string[] = [];
    const r = lab.runScript(
      "docker run -d --privileged --name node2 docker:dind >/dev/null\ndocker exec -it node2 sh\nhostname\nexit\nexit\nhostname\n",
      (chunk) => out.push(chunk),
    );
    expect(r.transcript).toContain("[node2] / # hostname\nnode2\n[node2] / # exit\n[node1] ~ $ exit\n");
    expect(r.transcript.endsWith("[node1] ~ $ exit\n")).toBe(true);
    expect(out.join("")).toBe(r.transcript);
    expect(lab.exited).toBe(true);
  });
});

describe("the REPL", () => {
  async function collect(stream: PassThrough): Promise<string> {
    let text = "";
    stream.on("data", (d) => {
      text += d.toString();
    });
    return new Promise((resolve) => stream.on("end", () => resolve(text)));
  }

  it("with piped input, echoes each line after its prompt (a transcript)", async () => {
    const lab = new Lab({ seed: 4 });
    const input = new PassThrough();
    const output = new PassThrough();
    const text = collect(output);
    const done = startRepl(lab, input, output, { terminal: false });
    input.end("hostname\necho hi\n");
    await done;
    output.end();
    expect(await text).toBe("[node1] ~ $ hostname\nnode1\n[node1] ~ $ echo hi\nhi\n");
  });

  it("on a terminal, Ctrl-C cancels the line, Ctrl-D leaves the nested shell, then the lab", async () => {
    const lab = new Lab({ seed: 5 });
    lab.run("docker run -d --privileged --name node2 docker:dind");
    const input = new PassThrough();
    const output = new PassThrough();
    const text = collect(output);
    const done = startRepl(lab, input, output, { terminal: true });
    input.write("docker exec -it node2 sh\r");
    expect(lab.currentNode().name).toBe("node2");
    input.write("docker stop node2");
    input.write("\x03"); // Ctrl-C: the typed line is dropped, nothing runs.
    expect(lab.container("node2")!.state()).toBe("running");
    input.write("hostname\r");
    input.write("\x04"); // Ctrl-D: leave node2.
    expect(lab.currentNode().name).toBe("node1");
    expect(lab.exited).toBe(false);
    input.write("\x04"); // Ctrl-D at node1: leave the lab.
    await done;
    expect(lab.exited).toBe(true);
    output.end();
    const shown = await text;
    expect(shown).toContain("^C\n");
    expect(shown).toContain("node2\n");
    expect(shown).toContain("[node2] / # ");
  });
});

describe("tab completion", () => {
  it("completes commands, docker sub-commands, container names and files", () => {
    const lab = labWithNodes("node2", "node3");
    const complete = labCompleter(lab);
    expect(complete("par")).toEqual([["partition"], "par"]);
    expect(complete("docker sw")).toEqual([["swarm"], "sw"]);
    expect(complete("docker swarm jo")).toEqual([["join", "join-token"], "jo"]);
    expect(complete("docker exec -it no")).toEqual([["node2", "node3"], "no"]);
    expect(complete("partition node1,node2 n")[0]).toEqual(["node1", "node2", "node3"]);
    lab.node1.files.writeTree("/home/docker", { "container.training/README.md": "x" });
    expect(complete("cd con")).toEqual([["container.training/"], "con"]);
    expect(complete("frob x")).toEqual([[], "x"]);
  });
});
