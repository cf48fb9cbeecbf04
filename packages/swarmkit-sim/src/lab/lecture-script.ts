// The lecture's Swarm part and closing Tasks as a lab script, for `swarm-sim lab --script` and
// for instructors who want to replay the session. Where the lecture says "copy-paste the join
// command", the script keeps the token in a shell variable and hands it to node2's shell with
// `docker exec -e` (a variable of node1's shell does not exist in node2's, as in Docker).

export const SWARM_LECTURE_SCRIPT = `# Swarm mode needs to be explicitly activated: this fails on purpose.
docker node ls
# Creating our first Swarm
docker swarm init
docker info
docker node ls
# Adding node2
docker run --privileged --name node2 docker:dind
docker swarm join-token worker
WORKER_TOKEN=$(docker swarm join-token -q worker)
docker exec -e WORKER_TOKEN=$WORKER_TOKEN -it node2 sh
docker swarm join --token $WORKER_TOKEN 192.168.1.10:2377
docker info | grep Swarm
# Swarm commands do not work on a worker: this fails on purpose.
docker node ls
exit
docker node ls
# Tasks: 3 managers and 5 workers
docker swarm join-token manager
MANAGER_TOKEN=$(docker swarm join-token -q manager)
docker run -d --privileged --name node3 docker:dind
docker exec node3 docker swarm join --token $MANAGER_TOKEN 192.168.1.10:2377
docker run -d --privileged --name node4 docker:dind
docker exec node4 docker swarm join --token $MANAGER_TOKEN 192.168.1.10:2377
docker run -d --privileged --name node5 docker:dind
docker exec node5 docker swarm join --token $WORKER_TOKEN 192.168.1.10:2377
docker run -d --privileged --name node6 docker:dind
docker exec node6 docker swarm join --token $WORKER_TOKEN 192.168.1.10:2377
docker run -d --privileged --name node7 docker:dind
docker exec node7 docker swarm join --token $WORKER_TOKEN 192.168.1.10:2377
docker run -d --privileged --name node8 docker:dind
docker exec node8 docker swarm join --token $WORKER_TOKEN 192.168.1.10:2377
docker node ls
# The managers can control the swarm
docker exec node3 docker node ls
# A worker cannot (this fails on purpose), until it is promoted
docker exec -it node5 sh
docker node ls
exit
docker node promote node5
sleep 10
docker exec -it node5 sh
docker node ls
exit
`;

/**
 * The lines of SWARM_LECTURE_SCRIPT that fail on purpose (to show Docker's errors); an `exit`
 * right after a failure leaves with that status, as sh does.
 */
export const SWARM_LECTURE_EXPECTED_FAILURES = [
  "docker node ls",
  "docker node ls",
  "exit",
  "docker node ls",
  "exit",
];
