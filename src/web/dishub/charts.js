// Konsol Dishub: the charts, drawn as SVG by the page (no library). Uses `svg`, `el`, `nf`,
// `rp` and `num` from app.js (classic scripts share their top-level names).
"use strict";

// ---- --------------------------------------------------------------
function niceMax(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
function short(n) {
  if (n >= 1e9) return nf.format(Math.round(n / 1e8) / 10) + " M";
  if (n >= 1e6) return nf.format(Math.round(n / 1e5) / 10) + " jt";
  if (n >= 1e3) return nf.format(Math.round(n / 1e2) / 10) + " rb";
  return nf.format(n);
}
/** Stacked columns: series = [{label, cls, values[]}], labels = x labels. */
function columns(labels, series, { height = 240, money = true } = {}) {
  const W = 900, H = height, L = 64, B = 28, T = 12;
  const totals = labels.map((_, i) => series.reduce((s, x) => s + x.values[i], 0));
  const max = niceMax(Math.max(0, ...totals));
  const bw = (W - L - 8) / labels.length;
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img" });
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    g.append(svg("line", { x1: L, x2: W, y1: y(v), y2: y(v), class: "grid" }),
      svg("text", { x: L - 6, y: y(v) + 4, class: "axis", "text-anchor": "end" }, money ? short(v) : nf.format(v)));
  }
  labels.forEach((lab, i) => {
    let base = 0;
    const x = L + i * bw + bw * 0.15;
    for (const s of series) {
      const v = s.values[i];
      if (v > 0) {
        const r = svg("rect", { x, y: y(base + v), width: bw * 0.7, height: y(base) - y(base + v), class: s.cls });
        r.append(svg("title", {}, `${lab}: ${s.label} ${money ? rp(v) : num(v)}`));
        g.append(r);
      }
      base += v;
    }
    if (labels.length <= 12 || i % Math.ceil(labels.length / 15) === 0) {
      g.append(svg("text", { x: x + bw * 0.35, y: H - 8, class: "axis", "text-anchor": "middle" }, lab));
    }
  });
  return g;
}
function line(labels, values, { height = 220, width = 440, percent = true } = {}) {
  const W = width, H = height, L = 44, B = 24, T = 12;
  const y = (v) => T + (H - T - B) * (1 - v / 100);
  const x = (i) => L + (labels.length === 1 ? 0 : (i * (W - L - 16)) / (labels.length - 1));
  const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img" });
  for (const v of [0, 25, 50, 75, 100]) {
    g.append(svg("line", { x1: L, x2: W, y1: y(v), y2: y(v), class: "grid" }),
      svg("text", { x: L - 6, y: y(v) + 4, class: "axis", "text-anchor": "end" }, v + (percent ? "%" : "")));
  }
  const pts = values.map((v, i) => (v == null ? null : `${x(i)},${y(v)}`)).filter(Boolean);
  if (pts.length) g.append(svg("polyline", { points: pts.join(" "), class: "line" }));
  values.forEach((v, i) => {
    if (v == null) return;
    const c = svg("circle", { cx: x(i), cy: y(v), r: 3.5, class: "dot" });
    c.append(svg("title", {}, `${labels[i]}: ${nf.format(Math.round(v * 10) / 10)}%`));
    g.append(c);
    if (i % Math.ceil(labels.length / 7) === 0) {
      g.append(svg("text", { x: x(i), y: H - 6, class: "axis", "text-anchor": "middle" }, labels[i]));
    }
  });
  return g;
}
/** Horizontal bars: rows = [{label, value, cls}], value in the unit of `fmt`. */
function bars(rows, fmt, { max } = {}) {
  const top = max ?? niceMax(Math.max(0, ...rows.map((r) => r.value)));
  return el("div", { class: "bars" }, rows.map((r) => {
    const fill = el("span", { class: "fill " + (r.cls || "") });
    fill.style.width = Math.max(0, Math.min(100, (100 * r.value) / top)) + "%";
    return el("div", { class: "bar" }, el("span", { class: "bar-label" }, r.label),
      el("span", { class: "track" }, fill), el("span", { class: "bar-value" }, fmt(r.value)));
  }));
}
const legend = (...items) => el("div", { class: "legend" },
  items.map(([cls, text]) => el("span", {}, el("i", { class: cls }), text)));
