// node1's default bridge network ("bridge", docker0, 172.17.0.0/16, created by node1's engine):
// the gateway 172.17.0.1 is node1's own docker0 address, and each docker:dind node gets an
// address from it through the engine's IPAM. A container's address is released when it stops
// or is disconnected, so a restarted node may come back with another address (as in Docker).

export const BRIDGE_NAME = "bridge";
