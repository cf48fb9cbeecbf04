// A compose file as data, as `docker compose` reads it (load.ts): the fields of the compose
// specification the runtime (project.ts) acts on.

export interface ComposeService {
  image?: string;
  /** A build context (a folder next to the compose file). */
  build?: string;
  /** Short syntax: "8001:80". */
  ports?: readonly string[];
  volumes?: readonly string[];
  command?: readonly string[];
  entrypoint?: readonly string[];
  environment?: Readonly<Record<string, string>>;
  /** Number of containers (the `scale` key); `--scale` overrides it. */
  scale?: number;
  /** "10s", "1m30s" (default 10 s). */
  stop_grace_period?: string;
  stop_signal?: string;
  init?: boolean;
  container_name?: string;
}

export interface ComposeFile {
  /** The project name; by default the name of the folder holding the file. */
  name?: string;
  /** Services in file order. */
  services: Readonly<Record<string, ComposeService>>;
}
