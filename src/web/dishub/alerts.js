// Konsol Dishub: Peringatan (leakage alerts) as a compact list — one line per alert, ticked
// for bulk triage, opened for its evidence, notes and a single triage — the dashboard's alert
// summary, and Laporan Warga. Loaded before app.js; the helpers (el, api, fill, rp …) are its.
"use strict";

/** The numbers of an alert's evidence a supervisor reads first, in words. */
function evidenceFacts(e) {
  const list = [];
  if (e.expected != null) list.push(["Diperkirakan", nf.format(e.expected)]);
  if (e.observed != null) list.push(["Teramati", nf.format(e.observed)]);
  if (e.duty_hours != null) list.push(["Jam tugas", nf.format(e.duty_hours)]);
  if (e.silent_from) list.push(["Senyap", `${e.silent_from.replace(":", ".")} – ${e.silent_until.replace(":", ".")} ${ZONE.abbr}`]);
  if (e.spots_on_duty != null) list.push(["Titik bertugas", nf.format(e.spots_on_duty)]);
  if (e.alert_from) list.push(["Waspada sejak", `${e.alert_from.replace(":", ".")} ${ZONE.abbr}`]);
  if (e.cash_share_pct != null) list.push(["Porsi tunai", `${e.cash_share_pct}% (biasanya ${e.usual_cash_share_pct}%)`]);
  if (e.total_shortfall != null) list.push(["Total kurang setor", rp(e.total_shortfall)]);
  if (e.from && e.to) list.push(["Periode", `${dmy(e.from)} – ${dmy(e.to)}`]);
  if (e.amount != null) list.push(["Nominal", rp(e.amount)]);
  if (e.gateway_txn_id) list.push(["Transaksi", e.gateway_txn_id]);
  if (e.baseline_days != null) list.push(["Riwayat", `${e.baseline_days} hari (${dmy(e.baseline_from)} – ${dmy(e.baseline_to)})`]);
  return facts("evidence", list);
}

/** Who or what an alert is about, by name. */
function alertSubject(a) {
  if (a.kind === "gateway_silence") return "Seluruh kota";
  return [a.spot_code, a.attendant_name, a.payment_id && !a.spot_code && !a.attendant_name ? "Pembayaran" : null]
    .filter(Boolean).join(" · ") || "—";
}

/** From an alert to that day's payments and recap: the spot's, the attendant's or the city's. */
function alertLinks(a, zoneOfSpot) {
  const date = a.business_date;
  const payments = a.kind === "unsettled" && a.evidence.gateway_txn_id
    ? href("pembayaran", { reference: a.evidence.gateway_txn_id })
    : a.spot_id ? href("pembayaran", { date, spot: a.spot_id, spot_code: a.spot_code })
      : a.attendant_id ? href("pembayaran", { date, attendant: a.attendant_id })
        : href("pembayaran", { date });
  const recap = a.spot_id ? href("rekap-harian", { date, zone: zoneOfSpot(a.spot_id), spot: a.spot_code })
    : a.attendant_id ? href("rekap-harian", { date, attendant: a.attendant_id })
      : href("rekap-harian", { date });
  return el("span", { class: "alert-links no-print" },
    el("a", { href: payments, "data-link": "payments", title: "Pembayaran hari itu" }, "Pembayaran"),
    el("a", { href: recap, "data-link": "recap", title: "Rekap harian hari itu" }, "Rekap"));
}

async function peringatan(main, params) {
  const status = params.has("status") ? params.get("status") : "open";
  const kind = params.get("kind") || "";
  const from = params.get("from") || "";
  const to = params.get("to") || "";
  const opened = params.get("open") || "";
  const triage = can("triage");
  const [first, spots] = await Promise.all([
    api(`/alerts?${new URLSearchParams({ status, kind, from, to, limit: "100" })}`), spotList()]);
  const zones = Object.fromEntries(spots.map((s) => [s.id, s.zone_id]));
  const zoneOfSpot = (id) => zones[id] ?? "";
  // The letters already issued for streak alerts, so a streak offers its letter, not a second one.
  const letters = await api("/warning-letters?limit=500").then((r) => r.items, () => []);
  const letterOf = (id) => letters.find((l) => l.alert_id === id);

  const statusSelect = el("select", { id: "alert-status" }, [["open", "Baru"], ["acknowledged", "Ditangani"],
    ["resolved", "Selesai"], ["", "Semua status"]].map(([v, l]) => el("option", { value: v, selected: v === status }, l)));
  const kindSelect = el("select", { id: "alert-kind" }, el("option", { value: "" }, "Semua jenis"),
    Object.entries(LABELS.alertKind).map(([v, l]) => el("option", { value: v, selected: v === kind }, l)));
  const fromInput = dateInput({ id: "alert-from", iso: from, label: "Sejak tanggal" });
  const toInput = dateInput({ id: "alert-to", iso: to, label: "Sampai tanggal" });
  const go = () => {
    location.hash = href("peringatan", { status: statusSelect.value, kind: kindSelect.value,
      from: fromInput.value() || "", to: toInput.value() || "" });
  };
  for (const i of [statusSelect, kindSelect]) i.addEventListener("change", go);
  fromInput.onDate(go); toInput.onDate(go);

  const alerts = [...first.items];
  let cursor = first.next_cursor;
  const rows = new Map(); // id → article
  const chosen = new Set();
  const list = el("div", { id: "alert-list", class: "alert-list", role: "list" });
  const more = el("button", { class: "no-print", hidden: !cursor }, "Muat lagi");

  // ---- the bulk bar: tick lines, one note, one action, one confirmation -------------------
  const allBox = el("input", { type: "checkbox", id: "alert-all", "aria-label": "Pilih semua peringatan yang tampil" });
  const countText = el("span", { id: "alert-chosen", class: "chosen" });
  const bulkNote = el("input", { type: "text", id: "bulk-note", maxlength: 1000, placeholder: "Catatan untuk semua yang dipilih (opsional)" });
  const bulkError = el("span", { class: "error", role: "alert", id: "bulk-error" });
  const notice = el("p", { class: "notice", role: "status", id: "alert-notice" });
  const bulkButtons = ["acknowledged", "resolved", "open"].map((s) =>
    el("button", { type: "button", "data-bulk": s, class: s === "resolved" ? "primary" : null, onclick: () => bulk(s) }, label("alertAction", s)));
  const bar = triage ? el("div", { class: "bulk-bar no-print", id: "bulk-bar" },
    el("label", { class: "check-all" }, allBox, " Pilih semua"), countText, bulkNote, bulkButtons, bulkError) : null;
  const syncBar = () => {
    const shown = alerts.filter((a) => rows.has(a.id));
    countText.textContent = chosen.size ? `${num(chosen.size)} dipilih` : "Belum ada yang dipilih";
    for (const b of bulkButtons) b.disabled = chosen.size === 0;
    allBox.checked = shown.length > 0 && shown.every((a) => chosen.has(a.id));
    allBox.indeterminate = chosen.size > 0 && !allBox.checked;
  };
  allBox.addEventListener("change", () => {
    for (const a of alerts) {
      if (allBox.checked) chosen.add(a.id); else chosen.delete(a.id);
      const box = rows.get(a.id)?.querySelector("input.pick");
      if (box) box.checked = allBox.checked;
    }
    syncBar();
  });
  const bulk = async (next) => {
    const picked = alerts.filter((a) => chosen.has(a.id));
    if (!picked.length) return;
    const lines = picked.slice(0, 8).map((a) => `• ${dmy(a.business_date)} ${label("alertKind", a.kind)} · ${alertSubject(a)}`);
    if (picked.length > 8) lines.push(`• … dan ${picked.length - 8} lainnya`);
    const note = bulkNote.value.trim();
    const question = `Ubah ${picked.length} peringatan menjadi "${label("alertStatus", next)}"?\n\n${lines.join("\n")}`
      + (note ? `\n\nCatatan: ${note}` : "");
    if (!confirm(question)) return;
    bulkError.textContent = "";
    for (const b of bulkButtons) b.disabled = true;
    try {
      const body = { ids: picked.map((a) => a.id), status: next };
      if (note) body.note = note;
      const done = await api("/alerts", { method: "PATCH", body });
      for (const a of done.items) replace(a);
      chosen.clear();
      for (const box of list.querySelectorAll("input.pick")) box.checked = false;
      bulkNote.value = "";
      notice.textContent = `${num(done.updated)} peringatan diubah menjadi "${label("alertStatus", next)}". Baris tetap tampil sampai daftar disegarkan.`;
    } catch (e) { bulkError.textContent = readable(e.problem?.detail || e.message); }
    syncBar();
  };

  // ---- one line per alert, opened for the rest ----------------------------------------------
  const line = (a) => {
    const pick = triage ? el("input", { type: "checkbox", class: "pick", "aria-label": `Pilih peringatan ${label("alertKind", a.kind)} ${alertSubject(a)}`,
      checked: chosen.has(a.id) }) : null;
    pick?.addEventListener("change", () => { if (pick.checked) chosen.add(a.id); else chosen.delete(a.id); syncBar(); });
    const toggle = el("button", { type: "button", class: "icon toggle", "aria-expanded": "false", title: "Rincian", "aria-label": "Rincian" }, "▸");
    const head = el("div", { class: "alert-line" },
      triage ? el("span", { class: "cell-pick" }, pick) : null,
      el("span", { class: "cell-date" }, dmy(a.business_date)),
      el("span", { class: `badge sev sev-${a.severity}` }, label("severity", a.severity)),
      el("strong", { class: "cell-kind" }, label("alertKind", a.kind)),
      el("span", { class: "cell-subject" }, alertSubject(a)),
      el("span", { class: "summary", title: a.evidence.summary || "" }, a.evidence.summary || ""),
      el("span", { class: `badge st st-${a.status}`, "data-status": a.status }, label("alertStatus", a.status)),
      alertLinks(a, zoneOfSpot), toggle);
    const detail = el("div", { class: "alert-detail", hidden: true }, alertDetail(a));
    const open = (yes) => { detail.hidden = !yes; toggle.setAttribute("aria-expanded", String(yes)); toggle.textContent = yes ? "▾" : "▸"; };
    head.addEventListener("click", (ev) => {
      if (ev.target.closest("a, input")) return;
      open(detail.hidden);
    });
    const article = el("article", { class: `alert sev-${a.severity}`, "data-alert": a.id, "data-kind": a.kind, role: "listitem" }, head, detail);
    article.open = open;
    if (String(a.id) === opened) open(true);
    return article;
  };
  /** A changed alert takes its line's place; it stays on the list until the list is reloaded. */
  const replace = (changed) => {
    const i = alerts.findIndex((x) => x.id === changed.id);
    // A PATCH answers without the names; the line keeps the ones it had.
    const a = i < 0 ? changed : { ...changed, spot_code: changed.spot_code ?? alerts[i].spot_code,
      attendant_name: changed.attendant_name ?? alerts[i].attendant_name };
    if (i >= 0) alerts[i] = a;
    const old = rows.get(a.id);
    if (!old) return;
    const wasOpen = !old.querySelector(".alert-detail").hidden;
    const fresh = line(a);
    fresh.classList.add("changed");
    old.replaceWith(fresh);
    rows.set(a.id, fresh);
    if (wasOpen) fresh.open(true);
  };
  /** Evidence, notes, and a single triage with a note (and the letter of a streak). */
  const alertDetail = (a) => {
    const detailError = el("p", { class: "error", role: "alert" });
    const parts = [a.evidence.summary ? el("p", { class: "full-summary" }, a.evidence.summary) : null, evidenceFacts(a.evidence),
      a.notes.length ? el("ul", { class: "notes" }, a.notes.map((n) => el("li", {}, `${local(n.at)} · ${n.by}: ${n.text}`))) : null];
    if (a.kind === "shortfall_streak") {
      const letter = letterOf(a.id);
      parts.push(letter
        ? el("p", { class: "letter-link" }, `Surat ${letter.number} (${letter.level}) terbit ${dmy(letter.issued_on)}. `,
          el("a", { href: href("surat", { id: letter.id }) }, "Cetak ulang"))
        : can("letters") ? el("p", { class: "letter-link no-print" }, "Surat peringatan untuk kekurangan ini: ",
          ["SP1", "SP2"].map((level) => el("button", { type: "button", "data-action": level,
            onclick: () => issueLetter(a, level, detailError) }, `Terbitkan ${level}`)))
          : null);
    }
    if (!triage) return [...parts, detailError];
    const note = el("textarea", { name: "note", rows: 2, maxlength: 1000, placeholder: "Catatan tindak lanjut (opsional)" });
    const form = el("form", { class: "triage no-print", novalidate: true }, field("Catatan", note, "note"), detailError);
    const send = (next) => async (ev) => {
      ev.preventDefault();
      try { replace(await api(`/alerts/${a.id}`, { method: "PATCH", body: { status: next, note: note.value } })); }
      catch (e) { showProblem(form, detailError, e); }
    };
    form.append(el("div", { class: "actions" },
      a.status !== "acknowledged" ? el("button", { onclick: send("acknowledged"), "data-action": "acknowledge" }, label("alertAction", "acknowledged")) : null,
      a.status !== "resolved" ? el("button", { class: "primary", onclick: send("resolved"), "data-action": "resolve" }, label("alertAction", "resolved")) : null,
      a.status !== "open" ? el("button", { onclick: send("open"), "data-action": "reopen" }, label("alertAction", "open")) : null));
    return [...parts, form];
  };
  const draw = (items) => {
    for (const a of items) { const r = line(a); rows.set(a.id, r); list.append(r); }
    if (!alerts.length) list.append(el("p", { class: "card muted" }, "Tidak ada peringatan dengan saringan ini."));
    syncBar();
  };
  more.addEventListener("click", async () => {
    const page = await api(`/alerts?${new URLSearchParams({ status, kind, from, to, limit: "100", cursor })}`);
    alerts.push(...page.items);
    cursor = page.next_cursor;
    more.hidden = !cursor;
    draw(page.items);
  });

  const evaluate = can("evaluate") ? el("button", { id: "evaluate", class: "no-print", title: "Periksa semua jenis peringatan untuk hari ini sekarang", onclick: async () => {
    try { const r = await api(`/alerts/evaluate?date=${todayLocal()}`, { method: "POST", body: {} }); notice.textContent = `${num(r.opened)} peringatan baru.`; }
    catch (e) { notice.textContent = readable(e.message); }
  } }, "Periksa sekarang") : null;
  const head = el("div", { class: "alert-head", "aria-hidden": "true" },
    triage ? el("span") : null, el("span", {}, "Tanggal"), el("span", {}, "Tingkat"), el("span", {}, "Jenis"),
    el("span", {}, "Titik / jukir"), el("span", {}, "Bukti singkat"), el("span", {}, "Status"), el("span", {}, "Buka"), el("span"));
  fill(main,
    el("header", { class: "page-head" }, el("h1", {}, "Peringatan"),
      el("span", { class: "muted" }, "Indikasi, bukan tuduhan: periksa di lapangan sebelum bertindak."), evaluate),
    el("div", { class: "toolbar no-print" }, el("label", {}, "Status ", statusSelect), el("label", {}, "Jenis ", kindSelect),
      el("label", {}, "Sejak ", fromInput), el("label", {}, "Sampai ", toInput),
      el("button", { type: "button", onclick: () => route(), title: "Muat ulang daftar dengan saringan ini" }, "Segarkan")),
    bar, notice, el("section", { class: "card table-card alert-card" }, alerts.length ? head : null, list), more);
  draw(alerts);
}

/** The dashboard's open alerts and new citizen reports. */
async function alertSummary() {
  const [alerts, reports] = await Promise.all([
    api("/alerts?status=open&limit=100"),
    can("reports") ? api("/citizen-reports?status=new&limit=100") : Promise.resolve(null),
  ]);
  const high = alerts.items.filter((a) => a.severity === "high").length;
  return el("div", { class: "grid2" },
    el("section", { class: "card", id: "home-alerts" }, el("h2", {}, `Peringatan terbuka: ${num(alerts.items.length)}${alerts.next_cursor ? "+" : ""}`),
      el("p", { class: "muted" }, `${num(high)} tinggi · indikasi, bukan tuduhan · `, el("a", { href: href("peringatan", { status: "open" }) }, "Lihat semua")),
      el("ul", { class: "notes" }, alerts.items.slice(0, 5).map((a) => el("li", {},
        el("a", { href: href("peringatan", { status: "open", open: a.id }) }, label("alertKind", a.kind)),
        ` · ${alertSubject(a)} · ${dmy(a.business_date)}`)))),
    reports ? el("section", { class: "card", id: "home-reports" }, el("h2", {}, `Laporan warga baru: ${num(reports.items.length)}${reports.next_cursor ? "+" : ""}`),
      el("ul", { class: "notes" }, reports.items.slice(0, 5).map((r) => el("li", {},
        el("a", { href: "#/laporan-warga" }, label("reportKind", r.kind)), ` · ${r.spot_code || "—"} · ${r.reference}`)))) : null);
}

/** Laporan Warga: citizens' reports from /cek, for supervisors and admins to triage. */
async function laporanWarga(main, params) {
  const status = params.has("status") ? params.get("status") : "new";
  const reports = await api(`/citizen-reports?status=${status}&limit=100`);
  const statusSelect = el("select", { id: "report-status" }, [...Object.entries(LABELS.reportStatus), ["", "Semua"]]
    .map(([v, l]) => el("option", { value: v, selected: v === status }, l)));
  statusSelect.addEventListener("change", () => { location.hash = href("laporan-warga", { status: statusSelect.value }); });
  const row = (r) => {
    const note = el("input", { name: "note", maxlength: 1000, placeholder: "Catatan" });
    const general = el("p", { class: "error", role: "alert" });
    const form = el("form", { class: "triage no-print", novalidate: true }, field("Catatan", note, "note"), general);
    const send = (next) => async (ev) => {
      ev.preventDefault();
      try { await api(`/citizen-reports/${r.id}`, { method: "PATCH", body: { status: next, note: note.value } }); route(); }
      catch (e) { showProblem(form, general, e); }
    };
    form.append(el("div", { class: "actions" },
      ["in_review", "valid", "invalid"].filter((s) => s !== r.status).map((s) =>
        el("button", { onclick: send(s), "data-action": s }, label("reportStatus", s)))));
    return el("article", { class: "card alert" + (r.kind === "qr_berbeda" ? " sev-high" : " sev-medium"), "data-report": r.id },
      el("header", {}, el("strong", {}, label("reportKind", r.kind)), el("span", {}, `Titik ${r.spot_code || "—"}`),
        el("span", { class: "muted" }, `${r.reference} · ${local(r.created_at)} · ${label("reportStatus", r.status)}`)),
      r.amount_asked != null ? el("p", {}, `Diminta membayar ${rp(r.amount_asked)}`) : null,
      r.note ? el("p", { class: "summary" }, r.note) : null,
      r.notes.length ? el("ul", { class: "notes" }, r.notes.map((n) => el("li", {}, `${local(n.at)} · ${n.by}: ${n.text}`))) : null,
      form);
  };
  fill(main,
    el("header", { class: "page-head" }, el("h1", {}, "Laporan Warga"),
      el("span", { class: "muted" }, "Dari halaman Cek Parkir Resmi (/cek/{kode}); tanpa identitas pelapor.")),
    el("div", { class: "toolbar no-print" }, el("label", {}, "Status ", statusSelect),
      el("a", { href: href("peringatan", { status: "open", kind: "citizen_reports" }) }, "Peringatan dari laporan warga")),
    reports.items.length ? el("div", { id: "report-list" }, reports.items.map(row))
      : el("p", { class: "card muted", id: "report-list" }, "Tidak ada laporan dengan saringan ini."));
}
