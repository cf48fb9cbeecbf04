// What the page does, as the original does it: every second it asks the web UI for /json
// ({"coins", "hashes", "now"}), keeps the last 250 answers (the first one copied backwards one
// second apart, so the graph starts full), computes the mining speed between each two
// consecutive answers, (hashes2 - hashes1) / (now2 - now1), and draws it. The series is on
// window.dockercoins for whoever wants to read what the page plotted.
(() => {
  const SERIES_LENGTH = 250;
  const series = [];
  const points = [];
  let graph = null;
  const state = { series, points, refreshes: 0, errors: 0 };
  window.dockercoins = state;

  const speedText = (speed) => `~${speed.toFixed(1)} hashes/second`;

  const update = (data) => {
    series.push(data);
    while (series.length < SERIES_LENGTH) {
      const copy = JSON.parse(JSON.stringify(series[0]));
      copy.now -= 1;
      series.unshift(copy);
    }
    while (series.length > SERIES_LENGTH) series.shift();
    points.length = 0;
    for (let i = 0; i < series.length - 1; i++) {
      const s1 = series[i];
      const s2 = series[i + 1];
      // hashes is redis's string (null before the first report): the subtraction makes numbers.
      points.push({ x: s2.now, y: (s2.hashes - s1.hashes) / (s2.now - s1.now) });
    }
    if (graph === null) graph = new window.AreaGraph(document.getElementById("chart"));
    graph.render(points);
    const last = points[points.length - 1];
    document.getElementById("speed").textContent = last ? speedText(last.y) : "-";
  };

  const refresh = () => {
    const req = new XMLHttpRequest();
    req.open("GET", "json");
    req.onload = () => {
      if (req.status !== 200) {
        state.errors++;
        return;
      }
      state.refreshes++;
      update(JSON.parse(req.responseText));
    };
    req.onerror = () => {
      state.errors++;
    };
    req.send();
  };

  window.addEventListener("load", () => {
    setInterval(refresh, 1000); // wall-clock: the page in a real browser polls every real second
  });
})();
