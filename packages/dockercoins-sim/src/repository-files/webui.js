// webui: the DockerCoins dashboard. It serves the page in files/ (which draws the mining
// speed) and /json, which reads from redis how many coins were found ("wallet") and how many
// hashes were computed so far ("hashes"), with the server's time in seconds, so the page can
// compute the speed between two answers.
//
// (swarm-sim runs its own model of this service: packages/dockercoins-sim/src/services/webui.ts.)

const express = require("express");
const morgan = require("morgan");
const redis = require("redis");

const app = express();
const client = redis.createClient({ url: "redis://redis" });

client.on("error", (err) => {
  console.error("Redis error", err);
});

// One access log line per request, in the "common" format.
app.use(morgan("common"));

app.get("/", (_req, res) => {
  res.redirect("/index.html");
});

app.get("/json", async (_req, res) => {
  const coins = await client.hLen("wallet");
  const hashes = await client.get("hashes");
  const now = Date.now() / 1000; // wall-clock: the real service reads its clock
  res.json({ coins, hashes, now });
});

app.use(express.static("files"));

client.connect().then(() => {
  app.listen(80, () => {
    console.log("WEBUI running on port 80");
  });
});
