// Konsol Dishub: the registry's extra panels (a zone's next version, duty on a timeline) and
// the dashboard's alert and report summary. Loaded before app.js; its helpers are app.js's.
"use strict";

/** A form for a zone's next tariff/share/target version (admin). */
function versionForm(zone) {
  const current = zone.versions[zone.versions.length - 1] || { tariffs: {}, attendant_share_bps: 6000 };
  const classes = Object.keys(current.tariffs).length ? Object.keys(current.tariffs) : ["motorcycle", "car"];
  const label = (k) => (k === "motorcycle" ? "Motor" : k === "car" ? "Mobil" : k === "bus" ? "Bus" : k === "truck" ? "Truk" : k);
  const inputs = Object.fromEntries(classes.map((k) => [k, el("input", { type: "number", min: 1, step: 1, value: current.tariffs[k] ?? "", "data-class": k })]));
  const share = el("input", { type: "number", min: 0, max: 100, step: "0.01", name: "share", value: current.attendant_share_bps / 100 });
  const target = el("input", { type: "number", min: 0, step: 1, name: "target", value: current.daily_target ?? "" });
  const from = el("input", { type: "datetime-local", name: "effective_from" });
  const general = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "form version-form no-print", novalidate: true, "data-zone": zone.id },
    el("h3", {}, "Versi tarif berikutnya"),
    el("div", { class: "form-row" },
      classes.map((k) => field(`Tarif ${label(k)} (Rp) `, inputs[k], "tariffs")),
      field("Bagian jukir (%) ", share, "attendant_share_bps"),
      field("Target harian (Rp, kosong = tanpa) ", target, "daily_target"),
      field("Berlaku sejak (WIB, kosong = sekarang) ", from, "effective_from")),
    general, el("button", { type: "submit", class: "primary" }, "Simpan versi"));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = {
      tariffs: Object.fromEntries(classes.map((k) => [k, Number(inputs[k].value)])),
      attendant_share_bps: Math.round(Number(share.value) * 100),
      daily_target: target.value === "" ? null : Number(target.value),
    };
    if (from.value) body.effective_from = `${from.value}:00+07:00`;
    try { await api(`/zones/${zone.id}`, { method: "PATCH", body }); route(); }
    catch (e) { showProblem(form, general, e); }
  });
  return form;
}

/** Duty per spot over the last `days` days as horizontal bars (WIB), from the assignments. */
async function dutyTimeline(spots, attendants, days = 7) {
  const lists = await Promise.all(attendants.items.map((a) =>
    api(`/attendants/${a.id}/assignments?limit=100`).then((r) => r.items.map((x) => ({ ...x, name: a.name })), () => [])));
  const all = lists.flat();
  const end = Date.now();
  const start = end - days * 86400e3;
  const W = 1000, row = 26, left = 130;
  const x = (t) => left + ((Math.min(Math.max(t, start), end) - start) / (end - start)) * (W - left - 10);
  const chart = svg("svg", { viewBox: `0 0 ${W} ${row * spots.length + 30}`, class: "chart timeline", role: "img",
    "aria-label": `Jadwal tugas ${days} hari terakhir` });
  for (let d = 0; d <= days; d++) {
    const t = start + d * 86400e3;
    chart.append(svg("line", { x1: x(t), x2: x(t), y1: 0, y2: row * spots.length, class: "grid" }),
      svg("text", { x: x(t), y: row * spots.length + 18, "text-anchor": "middle", class: "axis" },
        new Date(t).toLocaleDateString("id-ID", { timeZone: "Asia/Jakarta", day: "2-digit", month: "2-digit" })));
  }
  spots.forEach((sp, i) => {
    chart.append(svg("text", { x: 0, y: i * row + 17, class: "axis" }, sp.code));
    for (const a of all.filter((a) => a.spot_id === sp.id)) {
      const s = Date.parse(a.starts_at), e = a.ends_at ? Date.parse(a.ends_at) : end;
      if (e < start || s > end) continue;
      const bar = svg("rect", { x: x(s), y: i * row + 4, width: Math.max(2, x(e) - x(s)), height: row - 8, rx: 3, class: "duty noncash" });
      bar.append(svg("title", {}, `${a.name}: ${wib(a.starts_at)} – ${a.ends_at ? wib(a.ends_at) : "sekarang"}`));
      chart.append(bar, svg("text", { x: x(s) + 4, y: i * row + 17, class: "duty-label" }, a.name));
    }
  });
  return el("section", { class: "card", id: "duty-timeline" }, el("h2", {}, `Jadwal tugas per titik, ${days} hari terakhir`), chart);
}

/** The dashboard's open alerts and new citizen reports. */
async function alertSummary() {
  const [alerts, reports] = await Promise.all([
    api("/alerts?status=open&limit=100"),
    S.role === "auditor" ? Promise.resolve(null) : api("/citizen-reports?status=new&limit=100"),
  ]);
  const high = alerts.items.filter((a) => a.severity === "high").length;
  return el("div", { class: "grid2" },
    el("section", { class: "card", id: "home-alerts" }, el("h2", {}, `Peringatan terbuka: ${num(alerts.items.length)}${alerts.next_cursor ? "+" : ""}`),
      el("p", { class: "muted" }, `${num(high)} tinggi · indikasi, bukan tuduhan`),
      el("ul", { class: "notes" }, alerts.items.slice(0, 5).map((a) => el("li", {},
        el("a", { href: `#/peringatan?status=open&kind=${a.kind}` }, `${KIND_LABELS[a.kind] || a.kind}`),
        ` · ${a.spot_code || a.attendant_name || ""} · ${dmy(a.business_date)}`)))),
    reports ? el("section", { class: "card", id: "home-reports" }, el("h2", {}, `Laporan warga baru: ${num(reports.items.length)}${reports.next_cursor ? "+" : ""}`),
      el("ul", { class: "notes" }, reports.items.slice(0, 5).map((r) => el("li", {},
        el("a", { href: "#/laporan-warga" }, REPORT_KINDS[r.kind] || r.kind), ` · ${r.spot_id == null ? r.location : r.spot_code || r.spot_id} · ${r.reference}`)))) : null);
}

/** An attendant's name, phone and KTA number, edited in place (admin). */
function attendantEditor(a) {
  const name = el("input", { name: "name", value: a.name });
  const phone = el("input", { name: "phone", value: a.phone, inputmode: "tel" });
  const kta = el("input", { name: "kta_number", value: a.kta_number });
  const general = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "card form attendant-edit", novalidate: true, "data-attendant": a.id },
    el("h3", {}, `Ubah data ${a.name}`),
    el("div", { class: "form-row" }, field("Nama ", name, "name"), field("No. HP ", phone, "phone"), field("No. KTA ", kta, "kta_number")),
    general, el("button", { type: "submit", class: "primary" }, "Simpan perubahan"));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await api(`/attendants/${a.id}`, { method: "PATCH", body: { name: name.value, phone: phone.value, kta_number: kta.value } });
      route();
    } catch (e) { showProblem(form, general, e); }
  });
  return form;
}

/** A new PIN for an attendant, typed in a masked field; the server's refusal shows under it. */
function pinEditor(a) {
  const pin = el("input", { name: "pin", type: "password", inputmode: "numeric", autocomplete: "new-password", maxlength: 6 });
  const general = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "card form pin-reset", novalidate: true, "data-attendant": a.id },
    el("h3", {}, `Reset PIN ${a.name}`),
    el("p", { class: "muted" }, "6 angka; bukan angka kembar (000000), bukan urutan (123456), bukan tanggal lahir di NIK. Sesi lama juru parkir berakhir."),
    el("div", { class: "form-row" }, field("PIN baru ", pin, "pin")),
    general, el("button", { type: "submit", class: "primary" }, "Simpan PIN"));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await api(`/attendants/${a.id}/pin`, { method: "POST", body: { pin: pin.value } });
      route();
    } catch (e) { showProblem(form, general, e); }
  });
  return form;
}
