// The majority of a set of voters: the smallest number of them any two of which overlap.

/** How many of `voters` make a majority: floor(voters / 2) + 1 (1 of 1, 2 of 2 or 3, 3 of 4 or 5). */
export function quorumSize(voters: number): number {
  return (voters >> 1) + 1;
}
