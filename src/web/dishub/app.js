// Konsol Dishub: a small page over the JSON API (no framework, no network but this origin).
// The session is the API's bearer token, kept in sessionStorage until it expires or the user
// leaves; every figure shown comes from the API, formatted the Indonesian way.
"use strict";

const API = "/api/v1";
const S = { token: null, role: null, user: null, expires: 0 };
const $ = (sel, root = document) => root.querySelector(sel);
/** Replaces a container's children, skipping the absent ones. */
const fill = (root, ...nodes) => root.replaceChildren(...nodes.flat().filter((n) => n != null && n !== false));

// ---- formats -------------------------------------------------------------------------------
const nf = new Intl.NumberFormat("id-ID");
const rp = (n) => "Rp" + nf.format(n ?? 0);
const num = (n) => nf.format(n ?? 0);
const pct = (bps) => (bps == null ? "—" : nf.format(Math.floor(bps) / 100) + "%");
const dmy = (iso) => { const [y, m, d] = iso.split("-"); return `${d}/${m}/${y}`; };
const MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
  "September", "Oktober", "November", "Desember"];
const DAYS = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"];
const dayName = (iso) => `${DAYS[new Date(iso + "T00:00:00Z").getUTCDay()]}, ${dmy(iso)}`;
const monthName = (ym) => { const [y, m] = ym.split("-"); return `${MONTHS[+m - 1]} ${y}`; };
function todayWib() {
  const now = new Date(Date.now() + 7 * 3600 * 1000);
  return now.toISOString().slice(0, 10);
}
function addDays(iso, n) {
  const d = new Date(iso + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
const FLAG_LABELS = {
  shortfall: "Kurang setor", no_noncash_while_on_duty: "Tanpa QRIS", outside_duty: "Di luar tugas",
  amount_not_a_tariff: "Nominal bukan tarif", unmatched_payments: "Tak teratribusi", late: "Terlambat",
  unknown_terminal: "Terminal tak dikenal", unattributed: "Tak teratribusi", unmatched_reference: "Referensi tak dikenal",
  amount_mismatch: "Nominal beda", inactive_spot: "Titik nonaktif", status_regression: "Status mundur",
};

// ---- DOM helpers ---------------------------------------------------------------------------
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) if (c != null) e.append(c.nodeType ? c : String(c));
  return e;
}
const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children.flat()) if (c != null) e.append(c.nodeType ? c : document.createTextNode(String(c)));
  return e;
}

// ---- API -----------------------------------------------------------------------------------
class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}
/** The API's rule: a query parameter is given with a value or not at all (empty is a 400),
 *  so the console leaves out what a filter left blank. */
function given(path) {
  const [base, query] = path.split("?");
  if (query === undefined) return path;
  const kept = new URLSearchParams([...new URLSearchParams(query)].filter(([, v]) => v.trim() !== ""));
  const rest = kept.toString();
  return rest ? `${base}?${rest}` : base;
}
async function api(path, opts = {}) {
  path = given(path);
  const headers = { Accept: "application/json" };
  if (S.token) headers.Authorization = "Bearer " + S.token;
  if (opts.body) headers["Content-Type"] = "application/json";
  if (opts.raw) headers["Content-Type"] = opts.rawType;
  const res = await fetch(API + path, { method: opts.method || "GET", headers,
    body: opts.raw ?? (opts.body ? JSON.stringify(opts.body) : undefined) });
  if (res.status === 401 && S.token) { logout("Sesi berakhir. Silakan masuk lagi."); throw new ApiError(401); }
  const type = res.headers.get("content-type") || "";
  const body = type.includes("json") ? await res.json() : null;
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}
async function download(path, filename) {
  path = given(path);
  const res = await fetch(API + path, { headers: { Authorization: "Bearer " + S.token } });
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  const url = URL.createObjectURL(await res.blob());
  const a = el("a", { href: url, download: filename });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---- session -------------------------------------------------------------------------------
function saveSession() { sessionStorage.setItem("parkir-dishub", JSON.stringify(S)); }
function loadSession() {
  try { Object.assign(S, JSON.parse(sessionStorage.getItem("parkir-dishub")) || {}); } catch { /* none */ }
  if (S.expires && Date.now() > S.expires) { S.token = null; }
}
function logout(message) {
  S.token = null; S.role = null; sessionStorage.removeItem("parkir-dishub");
  showLogin(message || "");
}
function showLogin(message) {
  $("#app").hidden = true; $("#login").hidden = false;
  $("#login-error").textContent = message || "";
  $("#login-username").focus();
}
async function onLogin(ev) {
  ev.preventDefault();
  const username = $("#login-username").value.trim();
  const password = $("#login-password").value;
  $("#login-error").textContent = "";
  try {
    const t = await api("/auth/login", { method: "POST", body: { username, password } });
    Object.assign(S, { token: t.access_token, role: t.role, user: username,
      expires: Date.now() + t.expires_in * 1000 });
    saveSession();
    $("#login-password").value = "";
    start();
  } catch (e) {
    $("#login-error").textContent = e.status === 429
      ? "Terlalu banyak percobaan. Coba lagi nanti."
      : (e.status === 401 ? "Nama pengguna atau kata sandi salah." : e.message);
  }
}
const ROLE_LABEL = { admin: "Admin", supervisor: "Supervisor", auditor: "Auditor" };
function start() {
  $("#login").hidden = true; $("#app").hidden = false;
  for (const a of document.querySelectorAll("nav.side a[data-role=admin]")) a.hidden = S.role !== "admin";
  for (const a of document.querySelectorAll("nav.side a[data-role=triage]")) a.hidden = S.role === "auditor";
  $("#who").textContent = `${S.user} · ${ROLE_LABEL[S.role] || S.role}`;
  route();
}

// ---- router --------------------------------------------------------------------------------
const PAGES = { "beranda": beranda, "rekap-harian": rekapHarian, "rekap-bulanan": rekapBulanan,
  "pembayaran": pembayaran, "setelmen": setelmen, "pengguna": pengguna, "registri": registri,
  "poster": posterSheet, "peringatan": peringatan, "surat": surat,
  "laporan-warga": laporanWarga };
function route() {
  if (!S.token) return showLogin();
  const [name, query] = location.hash.replace(/^#\/?/, "").split("?");
  const page = PAGES[name] ? name : "beranda";
  for (const a of document.querySelectorAll("nav.side a")) a.classList.toggle("on", a.dataset.page === page);
  const params = new URLSearchParams(query || "");
  const main = $("#main");
  main.replaceChildren(el("p", { class: "muted" }, "Memuat…"));
  PAGES[page](main, params).catch((e) => {
    if (e.status === 401) return;
    main.replaceChildren(el("div", { class: "card error" }, "Gagal memuat: " + e.message));
  });
}

// ---- pages ---------------------------------------------------------------------------------
function kpi(title, value, sub, cls) {
  return el("div", { class: "kpi " + (cls || "") }, el("div", { class: "kpi-title" }, title),
    el("div", { class: "kpi-value" }, value), sub ? el("div", { class: "kpi-sub" }, sub) : null);
}
function realisasi(gross, target) {
  return target > 0 ? `${pct(Math.floor((gross * 10000) / target))} dari target ${rp(target)}` : "tanpa target";
}

async function beranda(main) {
  const today = todayWib();
  const month = today.slice(0, 7);
  const from = addDays(today, -29);
  const [series, monthly, zones] = await Promise.all([
    api(`/reports/series?from=${from}&to=${today}`),
    api(`/reports/monthly?month=${month}`),
    api("/zones?limit=100"),
  ]);
  const perZone = await Promise.all(zones.items.map((z) =>
    api(`/reports/series?from=${month}-01&to=${today}&zone_id=${z.id}`).then((s) => ({ zone: z, totals: s.totals }))));
  const day = series.days[series.days.length - 1];
  const m = monthly.totals;
  const labels = series.days.map((d) => dmy(d.date).slice(0, 5));
  const ranked = monthly.rows.filter((r) => r.attendant_id != null && r.target);
  const best = [...ranked].sort((a, b) => b.achievement_bps - a.achievement_bps).slice(0, 10);
  const worst = [...ranked].sort((a, b) => a.achievement_bps - b.achievement_bps).slice(0, 10);
  fill(main,
    el("header", { class: "page-head" }, el("h1", {}, "Beranda"),
      el("span", { class: "muted" }, `Hari ini ${dmy(today)} WIB · ${monthName(month)}`)),
    el("section", { class: "kpis" },
      kpi("Pendapatan hari ini", rp(day.gross), realisasi(day.gross, day.target), "big"),
      kpi("Non-tunai hari ini", rp(day.noncash_gross), `${num(day.tx_count)} transaksi`),
      kpi("Tunai hari ini", rp(day.cash_gross)),
      kpi("Bulan ini", rp(m.gross), realisasi(m.gross, m.target), "big"),
      kpi("Bagian Pemkot bulan ini", rp(m.city_share), `Bagian jukir ${rp(m.attendant_share)}`),
      kpi("Adopsi QRIS bulan ini", m.gross ? pct(Math.floor((m.noncash_gross * 10000) / m.gross)) : "—",
        "porsi non-tunai dari bruto")),
    await alertSummary(),
    el("section", { class: "card" }, el("h2", {}, "Pendapatan harian, 30 hari"),
      legend(["noncash", "Non-tunai"], ["cash", "Tunai"]),
      columns(labels, [
        { label: "Non-tunai", cls: "noncash", values: series.days.map((d) => d.noncash_gross) },
        { label: "Tunai", cls: "cash", values: series.days.map((d) => d.cash_gross) },
      ])),
    el("div", { class: "grid2" },
      el("section", { class: "card" }, el("h2", {}, "Adopsi QRIS (porsi non-tunai)"),
        line(labels, series.days.map((d) => (d.gross ? (100 * d.noncash_gross) / d.gross : null)))),
      el("section", { class: "card" }, el("h2", {}, `Pendapatan per zona, ${monthName(month)}`),
        bars(perZone.map((z) => ({ label: z.zone.name, value: z.totals.gross, cls: "noncash" })), rp))),
    el("div", { class: "grid2" },
      el("section", { class: "card" }, el("h2", {}, "10 jukir terbaik (capaian target bulan ini)"),
        bars(best.map((r) => ({ label: r.name, value: r.achievement_bps / 100, cls: "good" })),
          (v) => nf.format(v) + "%", { max: Math.max(100, ...best.map((r) => r.achievement_bps / 100)) })),
      el("section", { class: "card" }, el("h2", {}, "10 jukir terendah"),
        bars(worst.map((r) => ({ label: r.name, value: r.achievement_bps / 100, cls: "bad" })),
          (v) => nf.format(v) + "%", { max: 100 }))),
  );
}

function badge(flag) {
  return el("span", { class: "badge b-" + flag, title: flag }, FLAG_LABELS[flag] || flag);
}
function sortable(table, rows, columns, render) {
  let key = null, dir = 1;
  const body = el("tbody");
  const draw = () => body.replaceChildren(...[...rows].sort((a, b) => {
    if (!key) return 0;
    const x = a[key], y = b[key];
    return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))) * dir;
  }).map(render));
  table.append(el("thead", {}, el("tr", {}, columns.map(([k, label, cls]) =>
    el("th", { class: cls, scope: "col", onclick: () => { dir = key === k ? -dir : 1; key = k; draw(); } }, label)))), body);
  draw();
  return body;
}

async function rekapHarian(main, params) {
  const date = params.get("date") || addDays(todayWib(), -1);
  const zone = params.get("zone") || "";
  const [report, zones] = await Promise.all([
    api(`/reconciliation/daily?date=${date}${zone ? "&zone_id=" + zone : ""}`),
    api("/zones?limit=100"),
  ]);
  const query = `date=${date}${zone ? "&zone_id=" + zone : ""}`;
  const dateInput = el("input", { type: "date", value: date, id: "rekap-date" });
  const zoneSelect = el("select", { id: "rekap-zone" }, el("option", { value: "" }, "Semua zona"),
    zones.items.map((z) => el("option", { value: z.id, selected: String(z.id) === zone }, z.name)));
  const go = () => { location.hash = `#/rekap-harian?date=${dateInput.value}&zone=${zoneSelect.value}`; };
  dateInput.addEventListener("change", go);
  zoneSelect.addEventListener("change", go);
  const status = report.closed
    ? el("span", { class: "badge closed" }, `Ditutup ${report.closed_by} · ${new Date(report.closed_at).toLocaleString("id-ID", { timeZone: "Asia/Jakarta" })} WIB`)
    : report.closable
      ? el("span", { class: "badge open" }, "Belum ditutup")
      : el("span", { class: "badge open", id: "rekap-running" }, "Hari belum berakhir · dapat ditutup setelah pukul 24.00 WIB hari itu");
  const message = el("p", { class: "error", role: "alert", id: "rekap-error" });
  const actions = el("div", { class: "actions no-print" },
    el("button", { onclick: () => download(`/reconciliation/daily.csv?${query}&lang=id`, `rekonsiliasi-${date}.csv`) }, "Unduh CSV"),
    el("button", { onclick: () => download(`/reconciliation/daily.xlsx?${query}`, `rekonsiliasi-${date}.xlsx`) }, "Unduh Excel"),
    el("button", { onclick: () => window.print() }, "Cetak"),
    S.role === "admin" && report.closable ? el("button", { class: "primary", id: "close-day", onclick: async () => {
      if (!confirm(`Tutup hari ${dmy(date)}? Angka hari itu akan dibekukan; pembayaran yang datang kemudian dicatat sebagai penyesuaian.`)) return;
      try { await api(`/reconciliation/daily/${date}/close`, { method: "POST", body: {} }); route(); }
      catch (e) { message.textContent = e.message; }
    } }, "Tutup hari") : null);
  const t = report.totals;
  const table = el("table", { class: "data", id: "rekap-table" });
  sortable(table, report.rows, [
    ["name", "Juru Parkir"], ["spots", "Titik"], ["tx_count", "Transaksi", "n"], ["noncash_gross", "Non-Tunai", "n"],
    ["cash_gross", "Tunai", "n"], ["gross", "Bruto", "n"], ["attendant_share", "Bagian Jukir", "n"],
    ["city_share", "Bagian Pemkot", "n"], ["target", "Target", "n"], ["shortfall", "Kurang Setor", "n"], ["flags", "Catatan"],
  ], (r) => el("tr", {}, el("td", {}, r.name), el("td", {}, r.spots.join(", ")), el("td", { class: "n" }, num(r.tx_count)),
    el("td", { class: "n" }, rp(r.noncash_gross)), el("td", { class: "n" }, rp(r.cash_gross)), el("td", { class: "n" }, rp(r.gross)),
    el("td", { class: "n" }, rp(r.attendant_share)), el("td", { class: "n" }, rp(r.city_share)),
    el("td", { class: "n" }, r.target == null ? "—" : rp(r.target)),
    el("td", { class: "n" + (r.shortfall > 0 ? " short" : "") }, rp(r.shortfall)), el("td", {}, r.flags.map(badge))));
  table.append(el("tfoot", {}, el("tr", { id: "rekap-total" }, el("th", {}, "TOTAL"), el("th"), el("th", { class: "n" }, num(t.tx_count)),
    el("th", { class: "n" }, rp(t.noncash_gross)), el("th", { class: "n" }, rp(t.cash_gross)), el("th", { class: "n" }, rp(t.gross)),
    el("th", { class: "n" }, rp(t.attendant_share)), el("th", { class: "n" }, rp(t.city_share)), el("th", { class: "n" }, rp(t.target)),
    el("th", { class: "n" }, rp(t.shortfall)), el("th"))));
  fill(main,
    el("header", { class: "page-head" }, el("h1", {}, "Rekap Harian"),
      el("span", { class: "print-only" }, `${dayName(date)} · ${zone ? zoneSelect.selectedOptions[0].textContent : "Semua zona"}`)),
    el("div", { class: "toolbar no-print" }, el("label", {}, "Tanggal ", dateInput),
      el("strong", { id: "rekap-day" }, dayName(date)), el("label", {}, "Zona ", zoneSelect), status),
    actions, message,
    el("section", { class: "card table-card" }, table),
    report.adjustments.length ? el("section", { class: "card" }, el("h2", {}, "Penyesuaian setelah ditutup"),
      el("table", { class: "data" }, el("thead", {}, el("tr", {}, el("th", {}, "Transaksi"), el("th", { class: "n" }, "Nominal"), el("th", {}, "Status"))),
        el("tbody", {}, report.adjustments.map((a) => el("tr", {}, el("td", {}, a.gateway_txn_id),
          el("td", { class: "n" }, rp(a.amount)), el("td", {}, a.status)))))) : null,
  );
}

async function rekapBulanan(main, params) {
  const month = params.get("month") || todayWib().slice(0, 7);
  const zone = params.get("zone") || "";
  const zq = zone ? `&zone_id=${zone}` : "";
  const [m, zones] = await Promise.all([api(`/reports/monthly?month=${month}${zq}`), api("/zones?limit=100")]);
  const input = el("input", { type: "month", value: month, id: "bulan" });
  const zoneSelect = el("select", { id: "bulan-zone" }, el("option", { value: "" }, "Semua zona"),
    zones.items.map((z) => el("option", { value: z.id, selected: String(z.id) === zone }, z.name)));
  const go = () => { location.hash = `#/rekap-bulanan?month=${input.value}&zone=${zoneSelect.value}`; };
  input.addEventListener("change", go);
  zoneSelect.addEventListener("change", go);
  const t = m.totals;
  const table = el("table", { class: "data", id: "bulanan-table" });
  sortable(table, m.rows, [
    ["name", "Juru Parkir"], ["days_on_duty", "Hari", "n"], ["tx_count", "Transaksi", "n"], ["noncash_gross", "Non-Tunai", "n"],
    ["cash_gross", "Tunai", "n"], ["gross", "Bruto", "n"], ["city_share", "Bagian Pemkot", "n"], ["target", "Target", "n"],
    ["shortfall", "Kurang Setor", "n"], ["achievement_bps", "Capaian", "n"],
  ], (r) => el("tr", {}, el("td", {}, r.name), el("td", { class: "n" }, num(r.days_on_duty)), el("td", { class: "n" }, num(r.tx_count)),
    el("td", { class: "n" }, rp(r.noncash_gross)), el("td", { class: "n" }, rp(r.cash_gross)), el("td", { class: "n" }, rp(r.gross)),
    el("td", { class: "n" }, rp(r.city_share)), el("td", { class: "n" }, r.target == null ? "—" : rp(r.target)),
    el("td", { class: "n" + (r.shortfall > 0 ? " short" : "") }, rp(r.shortfall)), el("td", { class: "n" }, pct(r.achievement_bps))));
  table.append(el("tfoot", {}, el("tr", {}, el("th", {}, "TOTAL"), el("th"), el("th", { class: "n" }, num(t.tx_count)),
    el("th", { class: "n" }, rp(t.noncash_gross)), el("th", { class: "n" }, rp(t.cash_gross)), el("th", { class: "n" }, rp(t.gross)),
    el("th", { class: "n" }, rp(t.city_share)), el("th", { class: "n" }, rp(t.target)), el("th", { class: "n" }, rp(t.shortfall)),
    el("th", { class: "n" }, pct(t.achievement_bps)))));
  fill(main,
    el("header", { class: "page-head" }, el("h1", {}, "Rekap Bulanan"),
      el("span", { class: "print-only" }, `${monthName(month)} · ${zone ? zoneSelect.selectedOptions[0].textContent : "Semua zona"}`)),
    el("div", { class: "toolbar no-print" }, el("label", {}, "Bulan ", input), el("label", {}, "Zona ", zoneSelect)),
    el("div", { class: "actions no-print" },
      el("button", { onclick: () => download(`/reports/monthly.xlsx?month=${month}${zq}`, `rekap-bulanan-${month}.xlsx`) }, "Unduh Excel"),
      el("button", { onclick: () => download(`/reports/monthly.csv?month=${month}&lang=id${zq}`, `rekap-bulanan-${month}.csv`) }, "Unduh CSV"),
      el("button", { onclick: () => window.print() }, "Cetak")),
    el("section", { class: "card table-card" }, table));
}

/** Shows a problem's messages next to the fields it names, or in `general`. */
function showProblem(form, general, e) {
  for (const m of form.querySelectorAll(".field-error")) m.textContent = "";
  general.textContent = "";
  const errors = e.problem?.errors || [];
  for (const fe of errors) {
    const slot = form.querySelector(`.field-error[data-for="${fe.field}"]`);
    if (slot) slot.textContent = fe.message; else general.textContent += `${fe.field}: ${fe.message} `;
  }
  if (!errors.length) general.textContent = e.message;
}
function field(label, input, name) {
  return el("label", { class: "field" }, label, input, el("span", { class: "field-error", "data-for": name }));
}
const wib = (iso) => new Date(iso).toLocaleString("id-ID", { timeZone: "Asia/Jakarta", dateStyle: "short", timeStyle: "medium" }) + " WIB";

async function pembayaran(main, params) {
  const reference = params.get("reference") || "";
  const date = params.has("date") ? params.get("date") : (reference ? "" : todayWib());
  const flag = params.get("flag") || "";
  const status = params.get("status") || "";
  const attendant = params.get("attendant") || "";
  const people = await api("/attendants?limit=500");
  const dateInput = el("input", { type: "date", value: date, id: "pay-date" });
  const refInput = el("input", { type: "search", value: reference, id: "pay-reference", placeholder: "ID transaksi / referensi / RRN" });
  const attendantSelect = el("select", { id: "pay-attendant" }, el("option", { value: "" }, "Semua jukir"),
    people.items.map((a) => el("option", { value: a.id, selected: String(a.id) === attendant }, a.name)));
  const names = Object.fromEntries(people.items.map((a) => [a.id, a.name]));
  const flagSelect = el("select", { id: "pay-flag" }, el("option", { value: "" }, "Semua catatan"),
    ["unknown_terminal", "unattributed", "unmatched_reference", "amount_mismatch", "amount_not_a_tariff",
      "outside_duty", "inactive_spot", "late", "status_regression"].map((f) =>
      el("option", { value: f, selected: f === flag }, FLAG_LABELS[f] || f)));
  const statusSelect = el("select", { id: "pay-status" }, el("option", { value: "" }, "Semua status"),
    ["paid", "pending", "failed", "refunded", "reversed"].map((x) => el("option", { value: x, selected: x === status }, x)));
  // A search by reference looks at every date.
  const go = (ev) => {
    const ref = refInput.value.trim();
    const day = ev?.target === refInput && ref ? "" : dateInput.value;
    location.hash = `#/pembayaran?date=${day}&flag=${flagSelect.value}&status=${statusSelect.value}`
      + `&attendant=${attendantSelect.value}&reference=${encodeURIComponent(ref)}`;
  };
  for (const i of [dateInput, flagSelect, statusSelect, attendantSelect, refInput]) i.addEventListener("change", go);
  const body = el("tbody");
  const detail = el("section", { class: "card", id: "pay-detail", hidden: true });
  const more = el("button", { class: "no-print" }, "Muat lagi");
  let cursor = null;
  const load = async () => {
    const q = new URLSearchParams({ limit: "50" });
    if (date) q.set("date", date);
    if (reference) q.set("reference", reference);
    if (attendant) q.set("attendant_id", attendant);
    if (flag) q.set("flag", flag);
    if (status) q.set("status", status);
    if (cursor) q.set("cursor", cursor);
    const page = await api(`/payments?${q}`);
    body.append(...page.items.map((p) => el("tr", { class: "click", onclick: () => show(p.id) },
      el("td", {}, wib(p.paid_at)), el("td", {}, p.gateway), el("td", {}, p.gateway_txn_id),
      el("td", { class: "n" }, rp(p.amount)), el("td", {}, p.status), el("td", {}, p.spot_id ?? "—"),
      el("td", {}, p.attendant_id ? names[p.attendant_id] || p.attendant_id : "—"), el("td", {}, p.flags.map(badge)))));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    if (!body.children.length) body.append(el("tr", {}, el("td", { colspan: 8, class: "muted" }, "Tidak ada pembayaran.")));
  };
  const show = async (id) => {
    const p = await api(`/payments/${id}`);
    detail.hidden = false;
    fill(detail, el("h2", {}, `Pembayaran #${p.id} · ${p.gateway} ${p.gateway_txn_id}`),
      el("dl", { class: "facts" }, [
        ["Nominal", rp(p.amount)], ["Status", p.status], ["Dibayar", wib(p.paid_at)], ["Tanggal usaha", dmy(p.business_date)],
        ["Referensi", p.reference ?? "—"], ["Terminal", p.terminal_id ?? "—"], ["Titik", p.spot_id ?? "—"],
        ["Jukir", p.attendant_id ?? "—"], ["Kelas", p.vehicle_class ?? "—"], ["Catatan", p.flags.length ? p.flags.map(badge) : "—"],
      ].map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
      el("h2", {}, "Riwayat callback"),
      el("table", { class: "data" }, el("thead", {}, el("tr", {}, ["Diterima", "Putusan", "Status gateway", "HTTP", "Alasan"].map((h) => el("th", {}, h)))),
        el("tbody", {}, p.callbacks.map((c) => el("tr", {}, el("td", {}, wib(c.received_at)), el("td", {}, c.verdict),
          el("td", {}, c.reported_status ?? "—"), el("td", {}, c.http_status), el("td", {}, c.reason ?? ""))))));
    detail.scrollIntoView({ block: "nearest" });
  };
  more.addEventListener("click", load);
  fill(main,
    el("header", { class: "page-head" }, el("h1", {}, "Pembayaran")),
    el("div", { class: "toolbar no-print" }, el("label", {}, "Tanggal ", dateInput), date ? el("strong", {}, dayName(date)) : null,
      el("label", {}, "Jukir ", attendantSelect), el("label", {}, "Catatan ", flagSelect), el("label", {}, "Status ", statusSelect),
      el("label", {}, "Cari ", refInput)),
    el("section", { class: "card table-card" }, el("table", { class: "data", id: "pay-table" },
      el("thead", {}, el("tr", {}, ["Waktu", "Gateway", "Transaksi", "Nominal", "Status", "Titik", "Jukir", "Catatan"]
        .map((h, i) => el("th", { class: i === 3 ? "n" : null }, h)))), body)),
    more, detail);
  await load();
}

async function setelmen(main) {
  const fileInput = el("input", { type: "file", accept: ".csv,text/csv", id: "settlement-file" });
  const form = el("form", { class: "card form", id: "settlement-form" },
    el("h2", {}, "Unggah file setelmen bank (CSV)"),
    el("p", { class: "muted" }, "Kolom: reference (atau rrn), paid_at, amount, fee, net, terminal_id, nmid. Mengunggah file yang sama dua kali tidak mengubah apa pun."),
    field("File ", fileInput, "file"), el("p", { class: "error", role: "alert" }),
    el("button", { type: "submit", class: "primary" }, "Unggah"));
  const result = el("section", { class: "card", id: "settlement-result", hidden: true });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const general = form.querySelector("p.error");
    const file = fileInput.files[0];
    if (!file) { general.textContent = "Pilih file CSV terlebih dahulu."; return; }
    try {
      const imported = await api("/settlements", { method: "POST", raw: await file.text(), rawType: "text/csv" });
      const detail = await api(`/settlements/${imported.id}`);
      const byStatus = {};
      for (const r of detail.rows) (byStatus[r.status] ||= []).push(r);
      result.hidden = false;
      fill(result, el("h2", {}, `Setelmen #${imported.id} · ${imported.rows} baris` + (imported.first_import ? "" : " (sudah pernah diunggah)")),
        el("div", { class: "kpis" }, Object.entries(imported.counts).map(([k, v]) => kpi(k, num(v)))),
        Object.entries(byStatus).map(([k, rows]) => el("details", { open: k !== "MATCHED" && rows.length <= 20 },
          el("summary", {}, `${k} (${rows.length})`),
          el("table", { class: "data" }, el("thead", {}, el("tr", {}, ["Baris", "Referensi", "Nominal", "Biaya", "Pembayaran", "Keterangan"].map((h) => el("th", {}, h)))),
            el("tbody", {}, rows.map((r) => el("tr", {}, el("td", {}, r.line ?? "—"), el("td", {}, r.reference),
              el("td", { class: "n" }, r.amount == null ? "—" : rp(r.amount)), el("td", { class: "n" }, r.fee == null ? "—" : rp(r.fee)),
              el("td", {}, r.payment_id ?? "—"), el("td", {}, r.detail ?? ""))))))));
      general.textContent = "";
    } catch (e) { showProblem(form, general, e); }
  });
  fill(main, el("header", { class: "page-head" }, el("h1", {}, "Setelmen")), form, result);
}

async function pengguna(main) {
  const users = await api("/users?limit=100");
  const form = el("form", { class: "card form", id: "user-form", novalidate: true },
    el("h2", {}, "Pengguna baru"),
    el("div", { class: "form-row" },
      field("Nama pengguna ", el("input", { name: "username", autocomplete: "off" }), "username"),
      field("Peran ", el("select", { name: "role" }, ["auditor", "supervisor", "admin"].map((r) => el("option", { value: r }, ROLE_LABEL[r]))), "role"),
      field("Kata sandi (min. 10, bukan sandi umum) ", el("input", { name: "password", type: "password", autocomplete: "new-password" }), "password")),
    el("p", { class: "error", role: "alert" }), el("button", { type: "submit", class: "primary" }, "Tambah"));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    try { await api("/users", { method: "POST", body: data }); route(); }
    catch (e) { showProblem(form, form.querySelector("p.error"), e); }
  });
  const message = el("p", { class: "error", role: "alert", id: "users-error" });
  const toggle = async (u) => {
    try { await api(`/users/${u.id}`, { method: "PATCH", body: { active: !u.active } }); route(); }
    catch (e) { message.textContent = e.message; }
  };
  fill(main, el("header", { class: "page-head" }, el("h1", {}, "Pengguna")), message,
    el("section", { class: "card table-card" }, el("table", { class: "data", id: "users-table" },
      el("thead", {}, el("tr", {}, ["Nama pengguna", "Peran", "Status", "Dibuat", ""].map((h) => el("th", {}, h)))),
      el("tbody", {}, users.items.map((u) => el("tr", {}, el("td", {}, u.username), el("td", {}, ROLE_LABEL[u.role] || u.role),
        el("td", {}, el("span", { class: "badge " + (u.active ? "closed" : "open") }, u.active ? "Aktif" : "Nonaktif")),
        el("td", {}, wib(u.created_at)),
        el("td", {}, u.username === S.user ? "" : el("button", { onclick: () => toggle(u) }, u.active ? "Nonaktifkan" : "Aktifkan"))))))),
    form);
}

/** An image the API serves behind the token, as a blob: URL. */
async function authImage(path, attrs = {}) {
  const res = await fetch(API + path, { headers: { Authorization: "Bearer " + S.token } });
  if (!res.ok) throw new ApiError(res.status, null);
  return el("img", { ...attrs, src: URL.createObjectURL(await res.blob()) });
}
const STATUS_LABEL = { active: "Aktif", suspended: "Diskors", retired: "Berhenti" };

async function registri(main) {
  const admin = S.role === "admin";
  const [zones, spots, attendants] = await Promise.all([
    api("/zones?limit=100"), admin ? api("/spots?limit=100") : Promise.resolve({ items: [] }), api("/attendants?limit=100")]);
  const message = el("p", { class: "error", role: "alert", id: "registry-error" });
  const act = async (fn) => { try { await fn(); route(); } catch (e) { message.textContent = e.message; } };
  const zoneCards = zones.items.map((z) => el("section", { class: "card" },
    el("h2", {}, `${z.name} (${z.code}) · ${z.district}`),
    el("p", { class: "no-print" }, el("a", { href: `#/poster?zone=${z.id}`, class: "button" }, "Cetak poster zona ini (A4)")),
    el("table", { class: "data" }, el("thead", {}, el("tr", {}, ["Berlaku sejak", "Tarif", "Bagian jukir", "Target harian"].map((h) => el("th", {}, h)))),
      el("tbody", {}, z.versions.map((v) => el("tr", {},
        el("td", {}, v.effective_from.startsWith("1970") ? "sejak awal" : wib(v.effective_from)),
        el("td", {}, Object.entries(v.tariffs).map(([k, t]) => `${k === "motorcycle" ? "Motor" : k === "car" ? "Mobil" : k} ${rp(t)}`).join(" · ")),
        el("td", {}, pct(v.attendant_share_bps)), el("td", {}, v.daily_target == null ? "—" : rp(v.daily_target)))))),
    admin ? versionForm(z) : null));
  const qrCell = el("div", { class: "qr-preview", id: "qr-preview" });
  const spotRows = spots.items.map((sp) => el("tr", {}, el("td", {}, sp.code), el("td", {}, sp.name),
    el("td", {}, sp.terminal_id), el("td", {}, sp.active ? "Aktif" : "Nonaktif"),
    el("td", { class: "no-print" }, el("button", { onclick: async () => {
      fill(qrCell, el("p", { class: "muted" }, "Memuat…"));
      fill(qrCell, el("strong", {}, sp.code), await authImage(`/spots/${sp.id}/qr.png?scale=6`, { alt: `QR ${sp.code}` }));
    } }, "Lihat QR"))));
  const form = el("form", { class: "card form", id: "attendant-form", novalidate: true },
    el("h2", {}, "Jukir baru"),
    el("div", { class: "form-row" },
      field("Nama ", el("input", { name: "name" }), "name"), field("NIK (16 angka) ", el("input", { name: "nik", inputmode: "numeric" }), "nik"),
      field("No. HP ", el("input", { name: "phone", inputmode: "tel" }), "phone"), field("No. KTA ", el("input", { name: "kta_number" }), "kta_number"),
      field("PIN (6 angka) ", el("input", { name: "pin", inputmode: "numeric", type: "password" }), "pin")),
    el("p", { class: "error", role: "alert" }), el("button", { type: "submit", class: "primary" }, "Simpan"));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try { await api("/attendants", { method: "POST", body: Object.fromEntries(new FormData(form)) }); route(); }
    catch (e) { showProblem(form, form.querySelector("p.error"), e); }
  });
  const editSlot = el("div", { id: "attendant-edit" });
  const attendantRows = attendants.items.map((a) => el("tr", {}, el("td", {}, a.name), el("td", {}, a.nik), el("td", {}, a.phone),
    el("td", {}, a.kta_number), el("td", {}, el("span", { class: "badge " + (a.status === "active" ? "closed" : "open") }, STATUS_LABEL[a.status] || a.status)),
    el("td", { class: "no-print" }, admin ? [
      el("button", { onclick: () => act(() => api(`/attendants/${a.id}`, { method: "PATCH",
        body: { status: a.status === "active" ? "suspended" : "active" } })) }, a.status === "active" ? "Skors" : "Aktifkan"),
      " ",
      el("button", { onclick: () => fill(editSlot, attendantEditor(a)) }, "Ubah"),
      " ",
      el("button", { onclick: () => fill(editSlot, pinEditor(a)) }, "Reset PIN"),
    ] : null)));
  fill(main, el("header", { class: "page-head" }, el("h1", {}, "Registri")), message,
    el("h2", {}, "Zona dan tarif"), zoneCards,
    admin ? el("h2", {}, "Titik parkir") : null,
    admin ? await dutyTimeline(spots.items, attendants) : null,
    !admin ? null : el("div", { class: "grid-spots" }, el("section", { class: "card table-card" }, el("table", { class: "data", id: "spots-table" },
      el("thead", {}, el("tr", {}, ["Kode", "Lokasi", "Terminal", "Status", ""].map((h) => el("th", {}, h)))), el("tbody", {}, spotRows))),
      el("section", { class: "card" }, qrCell)),
    el("h2", {}, "Juru parkir"),
    el("section", { class: "card table-card" }, el("table", { class: "data", id: "attendants-table" },
      el("thead", {}, el("tr", {}, ["Nama", "NIK", "No. HP", "KTA", "Status", ""].map((h) => el("th", {}, h)))), el("tbody", {}, attendantRows))),
    editSlot,
    admin ? form : null);
}

/** The posters of one zone's spots, four A6 signs to an A4 sheet, for printing. */
async function posterSheet(main, params) {
  const zone = params.get("zone");
  const spots = await api(`/spots?zone_id=${zone}&limit=100`);
  const posters = await Promise.all(spots.items.map((sp) =>
    authImage(`/spots/${sp.id}/poster.svg`, { alt: `Poster ${sp.code}`, class: "poster" })));
  fill(main, el("header", { class: "page-head no-print" }, el("h1", {}, "Poster zona"),
    el("button", { onclick: () => window.print() }, "Cetak"), el("a", { href: "#/registri" }, "Kembali")),
    el("div", { class: "poster-sheet", id: "poster-sheet" }, posters));
}

// ---- boot ----------------------------------------------------------------------------------
document.addEventListener("DOMContentLoaded", () => {
  $("#login-form").addEventListener("submit", onLogin);
  $("#logout").addEventListener("click", () => {
    // The token ends on the server too (SPEC §10); the page does not wait for the answer.
    if (S.token) fetch("/api/v1/auth/logout", { method: "POST", headers: { Authorization: `Bearer ${S.token}` } }).catch(() => {});
    logout("Anda telah keluar.");
  });
  window.addEventListener("hashchange", route);
  loadSession();
  if (S.token) start(); else showLogin();
  setInterval(() => { if (S.token && Date.now() > S.expires) logout("Sesi berakhir. Silakan masuk lagi."); }, 30000);
});
