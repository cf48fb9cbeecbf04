// A small area chart on a canvas, in the spirit of the original page's Rickshaw graph: the
// series is filled in steelblue with a darker line on top, time runs left to right over the
// whole series (so the graph scrolls as samples come), and the y axis has a few ticks whose
// labels read 1.5K, 2M... as Rickshaw's formatKMBT writes them.
(() => {
  const formatKMBT = (y) => {
    const abs = Math.abs(y);
    if (abs >= 1e12) return `${y / 1e12}T`;
    if (abs >= 1e9) return `${y / 1e9}B`;
    if (abs >= 1e6) return `${y / 1e6}M`;
    if (abs >= 1e3) return `${y / 1e3}K`;
    if (abs < 1 && y !== 0) return y.toFixed(2);
    return String(Math.round(y * 100) / 100);
  };

  // A "nice" step for about `count` ticks up to max: 1, 2 or 5 times a power of ten.
  const niceStep = (max, count) => {
    const raw = max / count;
    const power = 10 ** Math.floor(Math.log10(raw));
    const unit = raw / power;
    const nice = unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10;
    return nice * power;
  };

  class AreaGraph {
    constructor(canvas) {
      this.canvas = canvas;
      this.ctx = canvas.getContext("2d");
      this.fill = "rgba(70, 130, 180, 0.85)"; // steelblue
      this.stroke = "rgb(45, 95, 140)";
    }

    render(points) {
      const ctx = this.ctx;
      const w = this.canvas.width;
      const h = this.canvas.height;
      ctx.clearRect(0, 0, w, h);
      if (points.length < 2) return;
      const x0 = points[0].x;
      const x1 = points[points.length - 1].x;
      let ymax = 0;
      for (const p of points) if (p.y > ymax) ymax = p.y;
      const step = niceStep(ymax > 0 ? ymax : 1, 5);
      const top = Math.max(step, Math.ceil((ymax * 1.05) / step) * step);
      const sx = (x) => (x1 === x0 ? w : ((x - x0) / (x1 - x0)) * w);
      const sy = (y) => h - (Math.max(0, y) / top) * h;

      ctx.beginPath();
      ctx.moveTo(sx(x0), h);
      for (const p of points) ctx.lineTo(sx(p.x), sy(p.y));
      ctx.lineTo(sx(x1), h);
      ctx.closePath();
      ctx.fillStyle = this.fill;
      ctx.fill();

      ctx.beginPath();
      ctx.moveTo(sx(x0), sy(points[0].y));
      for (const p of points) ctx.lineTo(sx(p.x), sy(p.y));
      ctx.strokeStyle = this.stroke;
      ctx.lineWidth = 2;
      ctx.stroke();

      // The y axis: faint lines and "glowing" labels, as the original's ticksTreatment.
      ctx.font = "15px sans-serif";
      ctx.textBaseline = "bottom";
      for (let t = step; t < top; t += step) {
        const y = Math.round(sy(t)) + 0.5;
        ctx.strokeStyle = "rgba(0, 0, 0, 0.15)";
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(0, y);
        ctx.lineTo(w, y);
        ctx.stroke();
        ctx.fillStyle = "rgba(255, 255, 255, 0.8)";
        ctx.fillText(formatKMBT(t), 5, y - 1);
        ctx.fillStyle = "rgba(0, 0, 0, 0.5)";
        ctx.fillText(formatKMBT(t), 4, y - 2);
      }
    }
  }

  window.AreaGraph = AreaGraph;
  window.formatKMBT = formatKMBT;
})();
