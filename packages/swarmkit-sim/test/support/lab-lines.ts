// Lab lines several tests type: three docker:dind nodes on node1, made a swarm of three
// managers led by node2 (node1 itself stays out of the swarm, as in the studio's tests).
export const THREE_MANAGER_SWARM: readonly string[] = [
  "docker run -d --privileged --name node2 docker:dind",
  "docker run -d --privileged --name node3 docker:dind",
  "docker run -d --privileged --name node4 docker:dind",
  "docker exec node2 docker swarm init",
  "T=$(docker exec node2 docker swarm join-token -q manager)",
  "docker exec node3 docker swarm join --token $T 172.17.0.2:2377",
  "docker exec node4 docker swarm join --token $T 172.17.0.2:2377",
];
