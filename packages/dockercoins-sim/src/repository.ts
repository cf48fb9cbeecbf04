// What `git clone https://github.com/jpetazzo/container.training` gives in the lab: the
// `dockercoins/` folder with its compose file and one folder per service, and `stacks/` with
// the stack file of the lecture's Swarm chapters (rng as a global service). The services'
// sources are stand-ins that say where the simulated programs live: the simulator runs its
// own programs (src/services), never these files.
//
// The compose file is the application's (five services; rng, hasher and webui published on
// 8001, 8002 and 8000; webui's static files mounted), with one addition: each built service
// also names its image (`dockercoins/<service>:v0.1`, the images published on Docker Hub), as
// Docker documents for a file used both by `docker compose up` (which builds or reuses the
// image) and by `docker stack deploy` (which ignores `build:` and needs an image). Without
// it, `docker stack deploy -c docker-compose.yml dockercoins` fails as it does with Docker
// ("image reference must be provided").

import { readFileSync } from "node:fs";
import { webuiFiles } from "./webui-files";

export const CONTAINER_TRAINING_URL = "https://github.com/jpetazzo/container.training";

export const DOCKERCOINS_COMPOSE_YAML = `services:

  rng:
    build: rng
    image: dockercoins/rng:v0.1
    ports:
      - "8001:80"

  hasher:
    build: hasher
    image: dockercoins/hasher:v0.1
    ports:
      - "8002:80"

  webui:
    build: webui
    image: dockercoins/webui:v0.1
    ports:
      - "8000:80"
    volumes:
      - "./webui/files/:/files/"

  redis:
    image: redis

  worker:
    build: worker
    image: dockercoins/worker:v0.1
`;

/** The Swarm chapters' stack: rng on every node (a global service), ten workers. */
export const DOCKERCOINS_STACK_YAML = `services:

  rng:
    image: dockercoins/rng:v0.1
    deploy:
      mode: global

  hasher:
    image: dockercoins/hasher:v0.1

  webui:
    image: dockercoins/webui:v0.1
    ports:
      - "8000:80"

  redis:
    image: redis

  worker:
    image: dockercoins/worker:v0.1
    deploy:
      replicas: 10
`;

function source(name: string): string {
  return readFileSync(new URL(`./repository-files/${name}`, import.meta.url), "utf8");
}

/** The repository's files, by path inside it. */
export function containerTrainingFiles(): Record<string, string> {
  return {
    "README.md":
      "# container.training (as the swarm-sim lab serves it)\n\n" +
      "dockercoins/  the DockerCoins demo application (docker compose up)\n" +
      "stacks/       stack files for the Swarm chapters (docker stack deploy -c ...)\n",
    "dockercoins/docker-compose.yml": DOCKERCOINS_COMPOSE_YAML,
    "dockercoins/rng/Dockerfile":
      'FROM python:alpine\nRUN pip install Flask\nCOPY rng.py /\nENV FLASK_APP=rng FLASK_RUN_HOST=:: FLASK_RUN_PORT=80\nCMD ["flask", "run", "--without-threads"]\nEXPOSE 80\n',
    "dockercoins/rng/rng.py": source("rng.py"),
    "dockercoins/hasher/Dockerfile":
      'FROM ruby:alpine\nRUN gem install sinatra thin rackup\nCOPY hasher.rb /\nCMD ["ruby", "hasher.rb"]\nEXPOSE 80\n',
    "dockercoins/hasher/hasher.rb": source("hasher.rb"),
    "dockercoins/worker/Dockerfile":
      'FROM python:alpine\nRUN pip install redis requests\nCOPY worker.py /\nCMD ["python", "worker.py"]\n',
    "dockercoins/worker/worker.py": source("worker.py"),
    "dockercoins/webui/Dockerfile":
      'FROM node:alpine\nRUN npm install express morgan redis\nCOPY files/ /files/\nCOPY webui.js /\nCMD ["node", "webui.js"]\nEXPOSE 80\n',
    "dockercoins/webui/webui.js": source("webui.js"),
    ...Object.fromEntries([...webuiFiles()].map(([name, f]) => [`dockercoins/webui/files/${name}`, f.body])),
    "stacks/dockercoins.yml": DOCKERCOINS_STACK_YAML,
  };
}
