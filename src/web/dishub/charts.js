// Konsol Dishub: the charts, drawn as SVG by the page (no library). Uses `svg`, `el`, `nf`,
// `rp` and `num` from app.js (classic scripts share their top-level names).
"use strict";

// ---- axes ----------------------------------------------------------------------------------
/** Round ticks from 0 covering `v`: a step of 1, 2 or 5 × 10^k, four to six steps. */
function ticks(v, steps = 5) {
  if (!(v > 0)) return [0, 1];
  const rough = v / steps;
  const p = Math.pow(10, Math.floor(Math.log10(rough)));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= rough);
  const out = [];
  for (let t = 0; t < v + step; t += step) out.push(t);
  return out;
}
function niceMax(v) {
  const t = ticks(v);
  return t[t.length - 1];
}
/** Rupiah on an axis: "Rp500 rb", "Rp1,5 jt", "Rp2 M". */
function short(n) {
  const unit = (d, word) => "Rp" + nf.format(Math.round((n / d) * 10) / 10) + " " + word;
  if (n >= 1e9) return unit(1e9, "M");
  if (n >= 1e6) return unit(1e6, "jt");
  if (n >= 1e3) return unit(1e3, "rb");
  return rp(n);
}
/** Stacked columns: series = [{label, cls, values[]}], labels = x labels. */
function columns(labels, series, { height = 240, money = true } = {}) {
  const W = 900, H = height, L = 78, B = 28, T = 12;
  const totals = labels.map((_, i) => series.reduce((s, x) => s + x.values[i], 0));
  const marks = ticks(Math.max(0, ...totals));
  const max = marks[marks.length - 1];
  const bw = (W - L - 8) / labels.length;
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img" });
  for (const v of marks) {
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
