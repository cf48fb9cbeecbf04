# The swarm-sim CLI in an image, installed as a user installs it: the first stage builds the
# workspace and packs its packages; the image installs the tarballs (their dependencies from the
# npm registry) without the sources, the tests or the dev tools.
#
#   docker build -t swarm-sim:0.1.0 .
#   docker run --rm swarm-sim:0.1.0 run swarm-init
#   docker run --rm swarm-sim:0.1.0 experiment quorum --seeds 100 --shard 1/4 > shard-1.jsonl
#
# deploy/ has a Kubernetes Indexed Job and a Docker Swarm replicated job that run a sweep's
# shards on this image (see the README, "Beyond one machine").
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN npm ci \
 && npm pack --workspaces --pack-destination /packs \
 && node scripts/consumer-project.mjs /packs > /packs/package.json

FROM node:20-bookworm-slim
WORKDIR /opt/swarm-sim
COPY --from=build /packs/ ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
ENV PATH=/opt/swarm-sim/node_modules/.bin:$PATH
USER node
WORKDIR /home/node
ENTRYPOINT ["swarm-sim"]
CMD ["--help"]
