// Konsol Dishub: the register of shortfall warning letters (SP1/SP2) — every letter by number,
// any of them printed again — the streaks still without a letter, and the A4 letter itself.
// Loaded before app.js; the helpers (el, api, fill, rp …) are its.
"use strict";

let officeAnswer = null;
/** The letterhead and signatory of printed pages (`GET /office`), asked once. */
async function office() {
  officeAnswer ||= await api("/office").catch(() => ({ name: "Dinas Perhubungan" }));
  return officeAnswer;
}
/** The place a letter is signed at: the city on the merchant account, as "Jambi". */
async function signingPlace() {
  const city = (await api("/merchant-accounts?limit=1").catch(() => ({ items: [] }))).items[0]?.city || "";
  return city.toLowerCase().replace(/(^|\s)\p{L}/gu, (c) => c.toUpperCase());
}
function letterhead(o) {
  return el("header", { class: "kop" }, el("div", { class: "kop-big" }, o.name.toUpperCase()),
    o.address ? el("div", { class: "kop-small" }, o.address) : null);
}
/** The signature block: place and date, position, room to sign, name and NIP (blank lines when unset). */
function signature(o, place, iso) {
  return el("div", { class: "sign" }, el("div", {}, `${place ? place + ", " : ""}${longDate(iso)}`),
    el("div", {}, o.signatory_title || "Kepala " + o.name),
    el("div", { class: "sign-space" }),
    el("div", { class: "sign-name" }, o.signatory_name || "(................................................)"),
    el("div", {}, o.signatory_nip ? `NIP. ${o.signatory_nip}` : "NIP. ..............................."));
}

/** Issues a letter for a streak alert after the clerk confirms, then opens it for printing. */
async function issueLetter(alert, level, slot) {
  const e = alert.evidence;
  const period = e.from && e.to ? `${dmy(e.from)} – ${dmy(e.to)}` : dmy(alert.business_date);
  const question = `Terbitkan ${label("letterLevel", level)} untuk ${alert.attendant_name || "juru parkir ini"}?\n\n`
    + `Kurang target ${period}, total ${rp(e.total_shortfall ?? 0)}.\n`
    + "Nomor surat diberikan sekarang dan tercatat di register; surat tidak dapat ditarik kembali.";
  if (!confirm(question)) return;
  if (slot) slot.textContent = "";
  try {
    const letter = await api(`/attendants/${alert.attendant_id}/warning-letters`, { method: "POST", body: { level, alert_id: alert.id } });
    location.hash = href("surat", { id: letter.id, attendant: alert.attendant_id });
  } catch (err) {
    if (slot) slot.textContent = readable(err.problem?.errors?.[0]?.message || err.problem?.detail || err.message);
  }
}

/** Surat Peringatan: the register by year and attendant, and the streaks awaiting a letter. */
async function suratRegister(main, params) {
  const thisYear = Number(todayLocal().slice(0, 4));
  // No year in the link is this year; "all" is every year.
  const year = params.get("year") === "all" ? "" : params.get("year") || String(thisYear);
  const attendant = params.get("attendant") || "";
  const [first, people, streaks] = await Promise.all([
    api(`/warning-letters?${new URLSearchParams({ year, attendant_id: attendant, limit: "100" })}`),
    all("/attendants"),
    api(`/alerts?${new URLSearchParams({ kind: "shortfall_streak", attendant_id: attendant, limit: "100" })}`),
  ]);
  const issued = await api(`/warning-letters?${new URLSearchParams({ attendant_id: attendant, limit: "500" })}`).then((r) => r.items);
  const years = [...new Set([...(year ? [Number(year)] : []), ...Array.from({ length: 4 }, (_, i) => thisYear - i)])].sort((a, b) => b - a);
  const yearSelect = el("select", { id: "letters-year" }, el("option", { value: "", selected: !year }, "Semua tahun"),
    years.map((y) => el("option", { value: y, selected: String(y) === year }, y)));
  const attendantSelect = el("select", { id: "letters-attendant" }, el("option", { value: "" }, "Semua juru parkir"),
    people.map((a) => el("option", { value: a.id, selected: String(a.id) === attendant }, a.name)));
  const go = () => { location.hash = href("surat-peringatan", { year: yearSelect.value || "all", attendant: attendantSelect.value }); };
  for (const s of [yearSelect, attendantSelect]) s.addEventListener("change", go);

  const body = el("tbody");
  const more = el("button", { class: "no-print" }, "Muat lagi");
  const row = (l) => el("tr", { "data-letter": l.id },
    el("td", { class: "mono" }, l.number), el("td", {}, l.level), el("td", {}, dmy(l.issued_on)),
    el("td", {}, l.attendant_name), el("td", {}, l.kta_number), el("td", {}, l.spots.join(", ") || "—"),
    el("td", {}, `${dmy(l.period_from)} – ${dmy(l.period_to)}`), el("td", { class: "n" }, rp(l.total_shortfall)),
    el("td", {}, l.issued_by),
    el("td", { class: "no-print" }, el("a", { class: "button", href: href("surat", { id: l.id, attendant: l.attendant_id }) }, "Cetak ulang")));
  const draw = (page) => {
    body.append(...page.items.map(row));
    more.hidden = !page.next_cursor;
    if (!body.children.length) body.append(el("tr", {}, el("td", { colspan: 10, class: "muted" }, "Belum ada surat peringatan dengan saringan ini.")));
  };
  let cursor = first.next_cursor;
  more.addEventListener("click", async () => {
    const page = await api(`/warning-letters?${new URLSearchParams({ year, attendant_id: attendant, limit: "100", cursor })}`);
    cursor = page.next_cursor;
    draw(page);
  });

  // Streaks that have no letter yet: where a letter is issued, with a confirmation.
  const lettered = new Set(issued.map((l) => l.alert_id));
  const waiting = streaks.items.filter((a) => !lettered.has(a.id));
  const waitError = el("p", { class: "error", role: "alert", id: "letters-error" });
  const waitingCard = el("section", { class: "card table-card", id: "letters-waiting" },
    el("h2", { class: "pad" }, `Kurang target beruntun tanpa surat: ${num(waiting.length)}`),
    waiting.length ? el("table", { class: "data" },
      el("thead", {}, el("tr", {}, ["Tanggal", "Juru parkir", "Periode", "Hari", "Kekurangan", "Status peringatan", ""].map((h, i) => el("th", { class: i === 4 ? "n" : null }, h)))),
      el("tbody", {}, waiting.map((a) => el("tr", { "data-alert": a.id },
        el("td", {}, dmy(a.business_date)), el("td", {}, a.attendant_name || "—"),
        el("td", {}, a.evidence.from ? `${dmy(a.evidence.from)} – ${dmy(a.evidence.to)}` : "—"),
        el("td", { class: "n" }, num(a.evidence.duty_days ?? a.evidence.days?.length ?? 0)),
        el("td", { class: "n" }, rp(a.evidence.total_shortfall ?? 0)), el("td", {}, label("alertStatus", a.status)),
        el("td", { class: "no-print" }, can("letters") ? ["SP1", "SP2"].map((level) =>
          el("button", { type: "button", "data-action": level, onclick: () => issueLetter(a, level, waitError) }, `Terbitkan ${level}`)) : null)))))
      : el("p", { class: "muted pad" }, "Tidak ada."));
  fill(main,
    el("header", { class: "page-head" }, el("h1", {}, "Surat Peringatan"),
      el("span", { class: "muted" }, "Register SP1/SP2 karena kurang target beruntun; setiap surat dapat dicetak ulang.")),
    el("div", { class: "toolbar no-print" }, el("label", {}, "Tahun ", yearSelect), el("label", {}, "Juru parkir ", attendantSelect)),
    el("section", { class: "card table-card" }, el("table", { class: "data", id: "letters-table" },
      el("thead", {}, el("tr", {}, ["Nomor", "Tingkat", "Tanggal", "Juru parkir", "KTA", "Titik", "Periode", "Kekurangan", "Oleh", ""]
        .map((h, i) => el("th", { class: i === 7 ? "n" : null }, h)))), body)),
    more, waitError, waitingCard);
  draw(first);
}

/** A warning letter, printable on A4 portrait. */
async function surat(main, params) {
  const id = params.get("id");
  const attendant = params.get("attendant") || "";
  const [register, o, place] = await Promise.all([
    all(`/warning-letters?${new URLSearchParams({ attendant_id: attendant })}`), office(), signingPlace()]);
  const letter = register.find((l) => String(l.id) === id);
  if (!letter) { fill(main, el("p", { class: "card muted" }, "Surat peringatan ini tidak ditemukan."), el("a", { href: "#/surat-peringatan" }, "Ke register surat")); return; }
  const first = letter.level === "SP1";
  const title = first ? "SURAT PERINGATAN PERTAMA (SP1)" : "SURAT PERINGATAN KEDUA (SP2)";
  fill(main,
    el("div", { class: "actions no-print" }, el("button", { class: "primary", onclick: () => window.print() }, "Cetak"),
      el("a", { class: "button", href: "#/surat-peringatan" }, "Ke register surat")),
    el("article", { class: "letter", id: "letter" },
      letterhead(o),
      el("h2", {}, title),
      el("p", { class: "center" }, `Nomor: ${letter.number}`),
      el("table", { class: "kv" }, el("tbody", {},
        el("tr", {}, el("td", {}, "Kepada Yth."), el("td", {}, `: ${letter.attendant_name}`)),
        el("tr", {}, el("td", {}, "Nomor KTA"), el("td", {}, `: ${letter.kta_number}`)),
        el("tr", {}, el("td", {}, "Titik tugas"), el("td", { id: "letter-spots" }, `: ${letter.spots.join(", ") || "—"}`)),
        el("tr", {}, el("td", {}, "Perihal"), el("td", {}, `: Kekurangan setoran retribusi parkir ${dmy(letter.period_from)} – ${dmy(letter.period_to)}`)))),
      el("p", {}, `Berdasarkan rekonsiliasi harian ${o.name}, pendapatan retribusi parkir di titik tugas Saudara (${letter.spots.join(", ") || "—"}) berada di bawah target pada ${letter.days.length} hari tugas berturut-turut, yaitu:`),
      el("table", { class: "data letter-days" },
        el("thead", {}, el("tr", {}, el("th", {}, "Tanggal"), el("th", { class: "n" }, "Pendapatan"), el("th", { class: "n" }, "Target"), el("th", { class: "n" }, "Kekurangan"))),
        el("tbody", {}, letter.days.map((d) => el("tr", {}, el("td", {}, dayName(d.date)), el("td", { class: "n" }, rp(d.gross)),
          el("td", { class: "n" }, rp(d.target)), el("td", { class: "n" }, rp(d.shortfall))))),
        el("tfoot", {}, el("tr", {}, el("th", { colspan: 3 }, "Jumlah kekurangan"), el("th", { class: "n", id: "letter-total" }, rp(letter.total_shortfall))))),
      el("p", {}, first
        ? `Dengan surat ini Saudara diberi peringatan pertama. Saudara diminta memastikan setiap pembayaran diterima melalui QRIS resmi ${o.name} atau dicatat sebagai tunai, dan memperbaiki setoran dalam 30 hari ke depan.`
        : `Dengan surat ini Saudara diberi peringatan kedua setelah peringatan pertama dalam 30 hari terakhir. Apabila kekurangan setoran berulang, ${o.name} dapat mencabut Kartu Tanda Anggota juru parkir Saudara sesuai ketentuan yang berlaku.`),
      el("p", {}, `Surat ini adalah tindak lanjut atas data, bukan tuduhan; Saudara dapat menyampaikan keberatan beserta penjelasan kepada ${o.name} dalam 7 hari.`),
      signature(o, place, letter.issued_on)));
}
