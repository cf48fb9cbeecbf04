// Container names as the daemon accepts them.

/** Validates a container name as the daemon does (a leading "/" is allowed). */
export function isValidContainerName(name: string): boolean {
  return /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name);
}
