// The studio as one of a live lab's front-ends (run.ts's FrontEnd): the studio over the live
// lab, its web server listening, the URL announced; closed when the lab ends.
import type { LiveLab } from "../live/live-lab";
import type { FrontEnd } from "../live/run";
import { startStudioServer, type StudioServer } from "./server";
import { Studio } from "./studio";
import type { StudioMetric } from "./timeline";

export interface StudioFrontEndOptions {
  /** The port to listen on at 127.0.0.1 (0: any free one). */
  port: number;
  /** When it is taken, try the next ones (the default port) instead of failing. */
  search?: boolean;
  metrics?: readonly StudioMetric[];
  /** Told the page's URL once the server listens (the lab prints it). */
  announce?: (url: string) => void;
}

export interface StudioFrontEnd extends FrontEnd {
  readonly studio: Studio;
  readonly server: StudioServer;
}

/** Starts the studio on `live`: resolves once its server listens. */
export async function startStudio(live: LiveLab, options: StudioFrontEndOptions): Promise<StudioFrontEnd> {
  const studio = new Studio(live, { metrics: options.metrics });
  const server = await startStudioServer(studio, { port: options.port, search: options.search });
  options.announce?.(server.url);
  return { studio, server, close: () => server.close() };
}

/** The studio as a front-end for runLiveLab. */
export function studioFrontEnd(options: StudioFrontEndOptions): (live: LiveLab) => Promise<FrontEnd> {
  return (live) => startStudio(live, options);
}
