# worker: DockerCoins' miner. In a loop it asks rng for 32 random bytes, asks hasher for
# their SHA-256, and keeps the digests that start with "0" as coins in redis. Once a second
# it adds the number of loops done since the last report to the "hashes" counter, which
# the web UI turns into the mining speed.
#
# (This is how the simulated worker in swarm-sim behaves, written as the Python it stands
# for; swarm-sim runs its own model of it, packages/dockercoins-sim/src/services/worker.ts.)

import logging
import os
import time

import requests
from redis import Redis

logging.basicConfig(level=logging.INFO)
log = logging.getLogger(__name__)

DEBUG = os.environ.get("DEBUG", "").lower().startswith("y")
if DEBUG:
    log.setLevel(logging.DEBUG)

# Services are found by name: the engine's DNS answers "redis", "rng" and "hasher".
redis = Redis("redis")


def get_random_bytes():
    r = requests.get("http://rng/32")
    return r.content


def hash_bytes(data):
    r = requests.post("http://hasher/",
                      data=data,
                      headers={"Content-Type": "application/octet-stream"})
    return r.text


def work_once():
    log.debug("Doing one unit of work")
    time.sleep(0.1)
    random_bytes = get_random_bytes()
    hex_hash = hash_bytes(random_bytes)
    if not hex_hash.startswith("0"):
        log.debug("No coin found")
        return
    log.info("Coin found: {}...".format(hex_hash[:8]))
    created = redis.hset("wallet", hex_hash, random_bytes)
    if not created:
        log.info("We already had that coin")


def work_loop(interval=1):
    deadline = 0
    loops_done = 0
    while True:
        if time.time() > deadline:
            log.info("{} units of work done, updating hash counter"
                     .format(loops_done))
            redis.incrby("hashes", loops_done)
            loops_done = 0
            deadline = time.time() + interval
        work_once()
        loops_done += 1


if __name__ == "__main__":
    # Whatever goes wrong (a service not there yet, a connection reset), the worker says so,
    # waits ten seconds and starts over.
    while True:
        try:
            work_loop()
        except:
            log.exception("In work loop:")
            log.error("Waiting 10s and restarting.")
            time.sleep(10)
