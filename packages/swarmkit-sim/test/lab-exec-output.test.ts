// `docker exec NODE CMD` shows what CMD wrote on both streams in the order it wrote them, as a
// terminal would: a `docker run -d` inside a node prints the pull messages (stderr) first and
// the container ID (stdout) last.
import { describe, expect, it } from "vitest";
import { Lab } from "../src/lab/index";
import { terminalText } from "../src/lab/types";

describe("docker exec output", () => {
  it("keeps the order of stdout and stderr writes", () => {
    const lab = new Lab({ seed: "exec-output" });
    lab.run("docker run -d --privileged --name node2 docker:dind");
    for (const line of [
      "docker exec node2 docker run -d nginx",
      'docker exec node2 sh -c "docker run -d alpine sleep 9"',
    ]) {
      const lines = terminalText(lab.run(line)).trimEnd().split("\n");
      expect(lines[0]).toMatch(/^Unable to find image '(nginx|alpine):latest' locally$/);
      expect(lines[lines.length - 1]).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
