// The page's link to the lab: one WebSocket to /ws carrying JSON messages (the lab's
// protocol.ts says what they are). When it drops (the lab restarted, a network hiccup) the page
// tries again every two seconds, unless the lab has ended; a new link starts with a hello
// that carries the whole picture again.

export class Connection {
  /** @param {(message: any) => void} onMessage @param {(state: string) => void} onState */
  constructor(onMessage, onState) {
    this.onMessage = onMessage;
    this.onState = onState;
    this.ended = false;
    this.socket = undefined;
    this.connect();
  }

  connect() {
    const socket = new WebSocket(`ws://${location.host}/ws`);
    this.socket = socket;
    socket.addEventListener("open", () => this.onState("online"));
    socket.addEventListener("message", (e) => {
      let message;
      try {
        message = JSON.parse(e.data);
      } catch {
        return;
      }
      if (message.type === "ended") this.ended = true;
      this.onMessage(message);
    });
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.onState(this.ended ? "ended" : "offline");
      // wall-clock: the page retries a lost link after two real seconds.
      if (!this.ended) setTimeout(() => this.connect(), 2000);
    });
  }

  /** Sends a message to the lab (dropped while the link is down). */
  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}
