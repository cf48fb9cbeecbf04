# rng: a web service that hands out random bytes. GET /<n> answers n bytes read from
# /dev/urandom, after a tenth of a second of (pretend) work; GET / says which container
# answered. It runs on Flask's development server, started with --without-threads, so it
# serves one request at a time: that is what makes it the bottleneck once there are many
# workers.
#
# (swarm-sim runs its own model of this service: packages/dockercoins-sim/src/services/rng.ts.)

import os
import socket
import time

from flask import Flask, Response

app = Flask(__name__)

hostname = socket.gethostname()
urandom = os.open("/dev/urandom", os.O_RDONLY)


@app.route("/")
def index():
    return "RNG running on {}\n".format(hostname)


@app.route("/<int:how_many_bytes>")
def rng(how_many_bytes):
    # Pretend that generating randomness takes time.
    time.sleep(0.1)
    return Response(os.read(urandom, how_many_bytes),
                    content_type="application/octet-stream")


if __name__ == "__main__":
    app.run(host="::", port=80, threaded=False)
