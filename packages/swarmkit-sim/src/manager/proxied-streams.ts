// The streams a follower proxies to the leader (an agent's dispatcher session opened through
// this manager): each has a number carried with the forwarded call, and the leader's pushes
// come back on the follower's connection tagged with it. A stream ends when the leader drops
// the session, or when the follower's connection to the leader goes (the follower stops, or
// reconnects with a renewed certificate): then the agent is told its session ended and looks
// for a manager again. A leader that crashes says nothing: the agent's proxied heartbeats fail.

/** Where a proxied stream's traffic goes: the agent's connection to this manager. */
export interface StreamRelay {
  /** Relays one push; false when it was the stream's last (the leader dropped the session). */
  push(body: unknown): boolean;
  /** The stream broke (this manager stopped, or its connection to the leader was renewed). */
  end(): void;
}

interface Stream {
  leader: string;
  /** Whose stream it is (the node ID): a node has at most one stream through this manager. */
  key: string;
  relay: StreamRelay;
}

export class ProxiedStreams {
  private readonly open_ = new Map<number, Stream>();
  private readonly byKey = new Map<string, number>();
  private next = 1;

  /**
   * A new stream to the leader at `leader` for `key`; returns its number. The key's previous
   * stream is dropped without a word: its agent has opened this one instead.
   */
  open(leader: string, key: string, relay: StreamRelay): number {
    const old = this.byKey.get(key);
    if (old !== undefined) this.open_.delete(old);
    const id = this.next++;
    this.open_.set(id, { leader, key, relay });
    this.byKey.set(key, id);
    return id;
  }

  /** The stream is over (refused, or ended by the leader): nothing more to relay. */
  forget(id: number): void {
    const s = this.open_.get(id);
    if (!s) return;
    this.open_.delete(id);
    if (this.byKey.get(s.key) === id) this.byKey.delete(s.key);
  }

  /** A push from the leader at `from` for stream `id` (ignored if the stream is gone). */
  deliver(from: string, id: number, body: unknown): void {
    const s = this.open_.get(id);
    if (!s || s.leader !== from) return;
    if (!s.relay.push(body)) this.forget(id);
  }

  /** Ends every stream (its agent hears the session is over). */
  endAll(): void {
    if (this.open_.size === 0) return;
    for (const [id, s] of this.open_) {
      this.forget(id);
      s.relay.end();
    }
  }
}
