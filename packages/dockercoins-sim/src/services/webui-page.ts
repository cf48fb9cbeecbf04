// The web page the webui serves, as a browser runs it: every second it fetches /json, keeps
// the last 250 samples (padding the start with copies one second apart), and computes the
// speed it graphs and prints ("~N hashes/second") as the instantaneous rate between
// consecutive samples: (hashes2 - hashes1) / (now2 - now1). A sample's hashes is the string
// from redis; the page's subtraction turns it into a number (null counts as 0).
import { type Engine, ExchangeClient, HttpClient, type Machine, type Timer } from "@swarm-sim/swarmkit-sim";

export interface PageSample {
  /** Simulated ms at which the answer arrived. */
  at: number;
  coins: number;
  hashes: number;
  /** The server's `now` (seconds since the epoch). */
  now: number;
}

export interface SpeedPoint {
  /** x: the later sample's `now` (seconds since the epoch). */
  x: number;
  /** y: hashes per second between the two samples. */
  y: number;
}

export const PAGE_SERIES_LENGTH = 250;
export const PAGE_REFRESH_MS = 1000;

/** The page's graph points from its series of samples (its refresh() loop body). */
export function speedPoints(series: readonly PageSample[]): SpeedPoint[] {
  const points: SpeedPoint[] = [];
  for (let i = 0; i < series.length - 1; i++) {
    const s1 = series[i];
    const s2 = series[i + 1];
    points.push({ x: s2.now, y: (s2.hashes - s1.hashes) / (s2.now - s1.now) });
  }
  return points;
}

/** The page's text for the last speed: "~3.3 hashes/second". */
export function speedText(speed: number): string {
  return `~${speed.toFixed(1)} hashes/second`;
}

export class WebuiPage {
  /** Every sample ever received (the page itself keeps only the last 250: see `series`). */
  readonly history: PageSample[] = [];
  /** The page's own series (250 samples, padded at the start). */
  series: PageSample[] = [];
  errors = 0;
  private timer: Timer | undefined;
  private readonly http: HttpClient;
  private closed = false;

  constructor(
    private readonly machine: Machine,
    engine: Engine,
    /** Where the browser points: host and port (localhost:8000 on the machine itself). */
    private readonly host = "localhost",
    private readonly port = 8000,
  ) {
    const client = new ExchangeClient(engine.hostNet());
    this.http = new HttpClient(client, (name) => engine.resolveFromHost(name));
  }

  /** Starts polling once a second, as the page does: the first fetch happens one second later. */
  open(): this {
    const tick = () => {
      if (this.closed) return;
      this.refresh();
      this.timer = this.machine.after(PAGE_REFRESH_MS, tick);
    };
    this.timer = this.machine.after(PAGE_REFRESH_MS, tick);
    return this;
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.http.exchange.close();
  }

  private refresh(): void {
    this.http.get({ host: this.host, port: this.port }, "/json", (err, res) => {
      if (err || !res || res.status !== 200) {
        this.errors++;
        return;
      }
      const data = JSON.parse(res.text) as { coins: number; hashes: string | null; now: number };
      const sample: PageSample = {
        at: this.machine.sim.now(),
        coins: data.coins,
        hashes: Number(data.hashes ?? 0),
        now: data.now,
      };
      this.history.push(sample);
      this.series.push(sample);
      while (this.series.length < PAGE_SERIES_LENGTH) {
        const first = this.series[0];
        this.series.unshift({ ...first, now: first.now - 1 });
      }
      while (this.series.length > PAGE_SERIES_LENGTH) this.series.shift();
    });
  }

  /** The graph's points now. */
  points(): SpeedPoint[] {
    return speedPoints(this.series);
  }

  /** The last instantaneous speed (what the page prints), or NaN before two samples. */
  speed(): number {
    const p = this.points();
    return p.length === 0 ? Number.NaN : p[p.length - 1].y;
  }

  /**
   * The mean of the page's instantaneous speeds for samples that arrived in [fromMs, toMs):
   * what someone watching the graph over that window reads as the rate.
   */
  meanSpeed(fromMs: number, toMs = Number.POSITIVE_INFINITY): number {
    const samples = this.history.filter((s) => s.at >= fromMs && s.at < toMs);
    const points = speedPoints(samples);
    if (points.length === 0) return Number.NaN;
    return points.reduce((s, p) => s + p.y, 0) / points.length;
  }
}
