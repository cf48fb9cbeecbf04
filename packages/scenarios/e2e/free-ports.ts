// Finds a --port-offset under which the lab's ports (8000, 8001, 8002 + offset) are free on
// 127.0.0.1, so that tests never collide with another program or another test.
import { createServer } from "node:net";

function free(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

export async function freePortOffset(ports: readonly number[] = [8000, 8001, 8002]): Promise<number> {
  for (let offset = 20_000 + (process.pid % 500) * 10; offset < 50_000; offset += 97) {
    const ok = await Promise.all(ports.map((p) => free(p + offset)));
    if (ok.every(Boolean)) return offset;
  }
  throw new Error("no free port offset for the lab's ports");
}
