// Errors the engine returns, with the daemon's messages. The CLI prints them after
// "Error response from daemon: " (the engine does not add that prefix itself).

export class EngineError extends Error {
  constructor(
    message: string,
    /** The HTTP status the Docker API would answer with (404 not found, 409 conflict, ...). */
    readonly statusCode = 500,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

export function noSuchContainer(ref: string): EngineError {
  return new EngineError(`No such container: ${ref}`, 404);
}

export function noSuchNetwork(ref: string): EngineError {
  return new EngineError(`network ${ref} not found`, 404);
}
