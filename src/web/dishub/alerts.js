// Konsol Dishub: Peringatan (leakage alerts) and the SP1/SP2 warning letters. Loaded before
// app.js, which lists these pages; the helpers (el, api, fill, rp …) are app.js's.
"use strict";

const KIND_LABELS = {
  qr_silence: "QR senyap", noncash_drop: "Non-tunai turun", cash_shift: "Bergeser ke tunai",
  shortfall_streak: "Kurang setor beruntun", unsettled: "Belum disetelmen", citizen_reports: "Laporan warga", gateway_silence: "Gangguan pembayaran se-kota",
};
const SEVERITY_LABELS = { high: "Tinggi", medium: "Sedang", low: "Rendah" };
const STATUS_LABELS = { open: "Baru", acknowledged: "Ditangani", resolved: "Selesai" };

/** The numbers of an alert's evidence a supervisor reads first, in words. */
function evidenceFacts(e) {
  const facts = [];
  if (e.expected != null) facts.push(["Diperkirakan", nf.format(e.expected)]);
  if (e.observed != null) facts.push(["Teramati", nf.format(e.observed)]);
  if (e.duty_hours != null) facts.push(["Jam tugas", nf.format(e.duty_hours)]);
  if (e.silent_from) facts.push(["Senyap", `${e.silent_from} – ${e.silent_until}`]);
  if (e.spots_on_duty != null) facts.push(["Titik bertugas", nf.format(e.spots_on_duty)]);
  if (e.alert_from) facts.push(["Waspada sejak", e.alert_from]);
  if (e.cash_share_pct != null) facts.push(["Porsi tunai", `${e.cash_share_pct}% (biasanya ${e.usual_cash_share_pct}%)`]);
  if (e.total_shortfall != null) facts.push(["Total kurang setor", rp(e.total_shortfall)]);
  if (e.amount != null) facts.push(["Nominal", rp(e.amount)]);
  if (e.baseline_days != null) facts.push(["Riwayat", `${e.baseline_days} hari (${dmy(e.baseline_from)} – ${dmy(e.baseline_to)})`]);
  return el("dl", { class: "facts" }, facts.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

async function peringatan(main, params) {
  const status = params.has("status") ? params.get("status") : "open";
  const kind = params.get("kind") || "";
  const from = params.get("from") || "";
  const query = new URLSearchParams({ status, kind, from, limit: "100" });
  const alerts = await api(`/alerts?${query}`);
  const canTriage = S.role === "admin" || S.role === "supervisor";
  const statusSelect = el("select", { id: "alert-status" }, [["open", "Baru"], ["acknowledged", "Ditangani"],
    ["resolved", "Selesai"], ["", "Semua status"]].map(([v, l]) => el("option", { value: v, selected: v === status }, l)));
  const kindSelect = el("select", { id: "alert-kind" }, el("option", { value: "" }, "Semua jenis"),
    Object.entries(KIND_LABELS).map(([v, l]) => el("option", { value: v, selected: v === kind }, l)));
  const fromInput = el("input", { type: "date", value: from, id: "alert-from" });
  const go = () => { location.hash = `#/peringatan?status=${statusSelect.value}&kind=${kindSelect.value}&from=${fromInput.value}`; };
  for (const i of [statusSelect, kindSelect, fromInput]) i.addEventListener("change", go);

  const card = (a) => {
    const subject = [a.kind === "gateway_silence" ? "Seluruh kota" : null,
      a.spot_id ? `Titik ${a.spot_code || a.spot_id}` : null,
      a.attendant_id ? `Jukir ${a.attendant_name || a.attendant_id}` : null,
      a.payment_id ? `Pembayaran #${a.payment_id}` : null].filter(Boolean).join(" · ");
    const note = el("textarea", { name: "note", rows: 2, maxlength: 1000, placeholder: "Catatan tindak lanjut (opsional)" });
    const general = el("p", { class: "error", role: "alert" });
    const form = el("form", { class: "triage no-print", novalidate: true }, field("Catatan", note, "note"), general);
    const send = (next) => async (ev) => {
      ev.preventDefault();
      try { await api(`/alerts/${a.id}`, { method: "PATCH", body: { status: next, note: note.value } }); route(); }
      catch (e) { showProblem(form, general, e); }
    };
    form.append(el("div", { class: "actions" },
      a.status !== "acknowledged" ? el("button", { onclick: send("acknowledged"), "data-action": "acknowledge" }, "Tangani") : null,
      a.status !== "resolved" ? el("button", { class: "primary", onclick: send("resolved"), "data-action": "resolve" }, "Selesaikan") : null,
      a.status !== "open" ? el("button", { onclick: send("open") }, "Buka lagi") : null,
      S.role === "admin" && a.kind === "shortfall_streak" ? ["SP1", "SP2"].map((level) =>
        el("button", { "data-action": level, onclick: async (ev) => {
          ev.preventDefault();
          try {
            const letter = await api(`/attendants/${a.attendant_id}/warning-letters`, { method: "POST", body: { level, alert_id: a.id } });
            location.hash = `#/surat?attendant=${a.attendant_id}&id=${letter.id}`;
          } catch (e) { showProblem(form, general, e); }
        } }, `Buat ${level}`)) : null));
    return el("article", { class: `card alert sev-${a.severity}`, "data-alert": a.id, "data-kind": a.kind },
      el("header", {}, el("span", { class: `badge sev sev-${a.severity}` }, SEVERITY_LABELS[a.severity]),
        el("strong", {}, KIND_LABELS[a.kind] || a.kind), el("span", {}, subject),
        el("span", { class: "muted" }, `${dayName(a.business_date)} · ${STATUS_LABELS[a.status]}`)),
      el("p", { class: "summary" }, a.evidence.summary || ""),
      evidenceFacts(a.evidence),
      a.notes.length ? el("ul", { class: "notes" }, a.notes.map((n) =>
        el("li", {}, `${wib(n.at)} · ${n.by}: ${n.text}`))) : null,
      canTriage ? form : null);
  };
  fill(main,
    el("header", { class: "page-head" }, el("h1", {}, "Peringatan"),
      el("span", { class: "muted" }, "Indikasi, bukan tuduhan: periksa di lapangan sebelum bertindak.")),
    el("div", { class: "toolbar no-print" }, el("label", {}, "Status ", statusSelect), el("label", {}, "Jenis ", kindSelect),
      el("label", {}, "Sejak ", fromInput)),
    S.role === "admin" ? el("div", { class: "actions no-print" }, el("button", { id: "evaluate", onclick: async () => {
      const date = todayWib();
      try { const r = await api(`/alerts/evaluate?date=${date}`, { method: "POST", body: {} }); alert(`${r.opened} peringatan baru.`); route(); }
      catch (e) { alert(e.message); }
    } }, "Periksa sekarang")) : null,
    alerts.items.length ? el("div", { id: "alert-list" }, alerts.items.map(card))
      : el("p", { class: "card muted", id: "alert-list" }, "Tidak ada peringatan dengan saringan ini."));
}

/** A warning letter, printable on A4 portrait. */
async function surat(main, params) {
  const attendantId = params.get("attendant");
  const [attendant, letters] = await Promise.all([
    api(`/attendants/${attendantId}`), api(`/attendants/${attendantId}/warning-letters`)]);
  const letter = letters.find((l) => String(l.id) === params.get("id")) || letters[0];
  if (!letter) { fill(main, el("p", { class: "card muted" }, "Belum ada surat peringatan untuk juru parkir ini.")); return; }
  const title = letter.level === "SP1" ? "SURAT PERINGATAN PERTAMA (SP1)" : "SURAT PERINGATAN KEDUA (SP2)";
  const issued = new Date(letter.issued_at).toLocaleDateString("id-ID", { timeZone: "Asia/Jakarta", day: "numeric", month: "long", year: "numeric" });
  fill(main,
    el("div", { class: "actions no-print" }, el("button", { class: "primary", onclick: () => window.print() }, "Cetak"),
      el("a", { href: "#/peringatan?status=&kind=shortfall_streak" }, "Kembali")),
    el("article", { class: "letter", id: "letter" },
      el("header", { class: "kop" }, el("div", {}, "PEMERINTAH KOTA JAMBI"), el("div", { class: "kop-big" }, "DINAS PERHUBUNGAN"),
        el("div", { class: "kop-small" }, "Bidang Perparkiran")),
      el("h2", {}, title),
      el("p", { class: "center" }, `Nomor: ${letter.number}`),
      el("table", { class: "kv" }, el("tbody", {},
        el("tr", {}, el("td", {}, "Kepada Yth."), el("td", {}, `: ${attendant.name}`)),
        el("tr", {}, el("td", {}, "Nomor KTA"), el("td", {}, `: ${attendant.kta_number}`)),
        el("tr", {}, el("td", {}, "Perihal"), el("td", {}, `: Kekurangan setoran retribusi parkir ${dmy(letter.period_from)} – ${dmy(letter.period_to)}`)))),
      el("p", {}, `Berdasarkan rekonsiliasi harian Dinas Perhubungan, pendapatan retribusi parkir di titik tugas Saudara berada di bawah target pada ${letter.days.length} hari tugas berturut-turut, yaitu:`),
      el("table", { class: "data letter-days" },
        el("thead", {}, el("tr", {}, el("th", {}, "Tanggal"), el("th", { class: "n" }, "Pendapatan"), el("th", { class: "n" }, "Target"), el("th", { class: "n" }, "Kekurangan"))),
        el("tbody", {}, letter.days.map((d) => el("tr", {}, el("td", {}, dayName(d.date)), el("td", { class: "n" }, rp(d.gross)),
          el("td", { class: "n" }, rp(d.target)), el("td", { class: "n" }, rp(d.shortfall))))),
        el("tfoot", {}, el("tr", {}, el("th", { colspan: 3 }, "Jumlah kekurangan"), el("th", { class: "n", id: "letter-total" }, rp(letter.total_shortfall))))),
      el("p", {}, letter.level === "SP1"
        ? "Dengan surat ini Saudara diberi peringatan pertama. Saudara diminta memastikan setiap pembayaran diterima melalui QRIS resmi Dinas Perhubungan atau dicatat sebagai tunai, dan memperbaiki setoran dalam 30 hari ke depan."
        : "Dengan surat ini Saudara diberi peringatan kedua setelah peringatan pertama dalam 30 hari terakhir. Apabila kekurangan setoran berulang, Dinas Perhubungan dapat mencabut Kartu Tanda Anggota juru parkir Saudara sesuai ketentuan yang berlaku."),
      el("p", {}, "Surat ini adalah tindak lanjut atas data, bukan tuduhan; Saudara dapat menyampaikan keberatan beserta penjelasan kepada Bidang Perparkiran dalam 7 hari."),
      el("div", { class: "sign" }, el("div", {}, `Jambi, ${issued}`), el("div", {}, "Kepala Dinas Perhubungan Kota Jambi"),
        el("div", { class: "sign-space" }), el("div", {}, "(................................................)"))));
}

const REPORT_KINDS = { pungli: "Pungutan liar", tarif_berlebih: "Tarif berlebih", qr_berbeda: "QR berbeda",
  jukir_tidak_resmi: "Jukir tidak resmi", lainnya: "Lainnya" };
const REPORT_STATUS = { new: "Baru", in_review: "Diperiksa", valid: "Terbukti", invalid: "Tidak terbukti" };

/** Where a report was made: its spot, or, for a place no spot names, the location the citizen gave. */
function reportPlace(r) {
  return r.spot_id == null ? `Lokasi tidak terdaftar: ${r.location}` : `Titik ${r.spot_code || r.spot_id}`;
}

/** Laporan Warga: citizens' reports from /cek, for supervisors and admins to triage. */
async function laporanWarga(main, params) {
  const status = params.has("status") ? params.get("status") : "new";
  const reports = await api(`/citizen-reports?status=${status}&limit=100`);
  const statusSelect = el("select", { id: "report-status" }, [["new", "Baru"], ["in_review", "Diperiksa"],
    ["valid", "Terbukti"], ["invalid", "Tidak terbukti"], ["", "Semua"]].map(([v, l]) => el("option", { value: v, selected: v === status }, l)));
  statusSelect.addEventListener("change", () => { location.hash = `#/laporan-warga?status=${statusSelect.value}`; });
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
        el("button", { onclick: send(s), "data-action": s }, REPORT_STATUS[s]))));
    return el("article", { class: "card alert" + (r.kind === "qr_berbeda" ? " sev-high" : " sev-medium"), "data-report": r.id },
      el("header", {}, el("strong", {}, REPORT_KINDS[r.kind] || r.kind), el("span", { class: "report-place" }, reportPlace(r)),
        el("span", { class: "muted" }, `${r.reference} · ${wib(r.created_at)} · ${REPORT_STATUS[r.status]}`)),
      r.amount_asked != null ? el("p", {}, `Diminta membayar ${rp(r.amount_asked)}`) : null,
      r.note ? el("p", { class: "summary" }, r.note) : null,
      r.notes.length ? el("ul", { class: "notes" }, r.notes.map((n) => el("li", {}, `${wib(n.at)} · ${n.by}: ${n.text}`))) : null,
      form);
  };
  fill(main,
    el("header", { class: "page-head" }, el("h1", {}, "Laporan Warga"),
      el("span", { class: "muted" }, "Dari halaman Cek Parkir Resmi (/cek/{kode}); tanpa identitas pelapor.")),
    el("div", { class: "toolbar no-print" }, el("label", {}, "Status ", statusSelect),
      el("a", { href: "#/peringatan?status=open&kind=citizen_reports" }, "Peringatan dari laporan warga")),
    reports.items.length ? el("div", { id: "report-list" }, reports.items.map(row))
      : el("p", { class: "card muted", id: "report-list" }, "Tidak ada laporan dengan saringan ini."));
}
