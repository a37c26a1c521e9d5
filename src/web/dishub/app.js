// Konsol Dishub: a small page over the JSON API (no framework, no network but this origin).
// The session is the API's bearer token, kept in sessionStorage until it expires or the user
// leaves; every figure shown comes from the API, formatted the Indonesian way. Every request
// asks for Bahasa Indonesia (`Accept-Language: id`), so the API's messages are the clerk's.
"use strict";

const API = "/api/v1";
const S = { token: null, role: null, user: null, expires: 0 };
const $ = (sel, root = document) => root.querySelector(sel);
/** Replaces a container's children, skipping the absent ones. */
const fill = (root, ...nodes) => root.replaceChildren(...nodes.flat().filter((n) => n != null && n !== false));

// ---- formats -------------------------------------------------------------------------------
const nf = new Intl.NumberFormat("id-ID");
const rp = (n) => (n < 0 ? "−Rp" : "Rp") + nf.format(Math.abs(n ?? 0));
const num = (n) => nf.format(n ?? 0);
const pct = (bps) => (bps == null ? "—" : nf.format(Math.floor(bps) / 100) + "%");
const dmy = (iso) => { const [y, m, d] = iso.slice(0, 10).split("-"); return `${d}/${m}/${y}`; };
const MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
  "September", "Oktober", "November", "Desember"];
const DAYS = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"];
const dayName = (iso) => `${DAYS[new Date(iso + "T00:00:00Z").getUTCDay()]}, ${dmy(iso)}`;
const monthName = (ym) => { const [y, m] = ym.split("-"); return `${MONTHS[+m - 1]} ${y}`; };
/** "30 November 2026", as letters write a date. */
const longDate = (iso) => { const [y, m, d] = iso.slice(0, 10).split("-"); return `${+d} ${MONTHS[+m - 1]} ${y}`; };
/** The city's zone (`GET /office`, asked once at start): Indonesia keeps no summer time, so an
 *  offset and a name say it all. WIB until the answer arrives. */
const ZONES = { "Asia/Jakarta": [7, "WIB"], "Asia/Makassar": [8, "WITA"], "Asia/Jayapura": [9, "WIT"] };
const ZONE = { hours: 7, abbr: "WIB", offset: "+07:00" };
function setZone(timezone) {
  const [hours, abbr] = ZONES[timezone] || ZONES["Asia/Jakarta"];
  Object.assign(ZONE, { hours, abbr, offset: `+0${hours}:00` });
}
/** An instant's date and time in the city: { date: "2026-11-30", time: "07.15" }. */
function localParts(instant) {
  const t = new Date(new Date(instant).getTime() + ZONE.hours * 3600e3).toISOString();
  return { date: t.slice(0, 10), time: `${t.slice(11, 13)}.${t.slice(14, 16)}` };
}
/** "30/11/2026 07.15 WIB" (WITA, WIT in those cities). */
const local = (instant) => { const p = localParts(instant); return `${dmy(p.date)} ${p.time} ${ZONE.abbr}`; };
/** "07.15 WIB" when the instant falls on `date` (ISO), else the date too. */
const localTime = (instant, date) => { const p = localParts(instant); return p.date === date ? `${p.time} ${ZONE.abbr}` : local(instant); };
function todayLocal() {
  return new Date(Date.now() + ZONE.hours * 3600e3).toISOString().slice(0, 10);
}
function addDays(iso, n) {
  const d = new Date(iso + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// ---- DOM helpers ---------------------------------------------------------------------------
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) if (c != null && c !== false) e.append(c.nodeType ? c : String(c));
  return e;
}
const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children.flat()) if (c != null) e.append(c.nodeType ? c : document.createTextNode(String(c)));
  return e;
}
/** A link inside the console: `#/page?query`, empty values left out. */
function href(page, query = {}) {
  const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v != null && v !== ""));
  const s = q.toString();
  return `#/${page}${s ? "?" + s : ""}`;
}

// ---- API -----------------------------------------------------------------------------------
class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}
const OFFLINE = { detail: "Server tidak dapat dihubungi. Periksa jaringan kantor, lalu coba lagi." };
/** The API's rule: a query parameter is given with a value or not at all (empty is a 400),
 *  so the console leaves out what a filter left blank. */
function given(path) {
  const [base, query] = path.split("?");
  if (query === undefined) return path;
  const kept = new URLSearchParams([...new URLSearchParams(query)].filter(([, v]) => v.trim() !== ""));
  const rest = kept.toString();
  return rest ? `${base}?${rest}` : base;
}
function headers(extra = {}) {
  const h = { "Accept-Language": "id", ...extra };
  if (S.token) h.Authorization = "Bearer " + S.token;
  return h;
}
async function api(path, opts = {}) {
  path = given(path);
  const h = headers({ Accept: "application/json" });
  if (opts.body) h["Content-Type"] = "application/json";
  if (opts.raw) h["Content-Type"] = opts.rawType;
  let res;
  try {
    res = await fetch(API + path, { method: opts.method || "GET", headers: h,
      body: opts.raw ?? (opts.body ? JSON.stringify(opts.body) : undefined) });
  } catch { throw new ApiError(0, OFFLINE); }
  if (res.status === 401 && S.token) { logout("Sesi berakhir. Silakan masuk lagi."); throw new ApiError(401); }
  const type = res.headers.get("content-type") || "";
  const body = type.includes("json") ? await res.json() : null;
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}
async function download(path, filename) {
  path = given(path);
  let res;
  try { res = await fetch(API + path, { headers: headers() }); } catch { throw new ApiError(0, OFFLINE); }
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  const url = URL.createObjectURL(await res.blob());
  const a = el("a", { href: url, download: filename });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
/** Every page of a list (the registry's lists are small; a city has hundreds, not millions). */
async function all(path) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await api(`${path}${sep}limit=500${cursor ? "&cursor=" + cursor : ""}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

// ---- session and roles ---------------------------------------------------------------------
/** What each role may do; the console offers an action only to a role that may take it. */
const CAN = {
  registry: ["admin"], // create and edit merchant accounts, zones, spots, attendants
  spots: ["admin"], // the spot list (GET /spots) is the admin's
  duty: ["admin"], // rosters pick a spot by name, so they need the spot list
  triage: ["admin", "supervisor"],
  reports: ["admin", "supervisor"],
  letters: ["admin"],
  closeDay: ["admin"],
  evaluate: ["admin"],
  settle: ["admin"],
  users: ["admin"],
  payoutRun: ["admin", "supervisor"], // create a bagi hasil run, cancel a draft
  payoutApprove: ["admin"], // approve, transfer file, paid (never the run's creator: the API says so)
  payoutAccount: ["admin"], // an attendant's bank account
  deposits: ["admin", "supervisor"], // record cash paid in (setoran tunai)
  cities: ["operator"], // every city's totals, new cities, their first admins and gateways
};
const can = (action) => (CAN[action] || []).includes(S.role);

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
/** The operator runs cities and sees none of their pages; a city's staff see their city's. */
const OPERATOR = () => S.role === "operator";
async function start() {
  $("#login").hidden = true; $("#app").hidden = false;
  for (const a of document.querySelectorAll("nav.side a")) {
    a.hidden = OPERATOR() ? a.dataset.page !== "kota" : Boolean(a.dataset.can) && !can(a.dataset.can);
  }
  let where = "";
  if (!OPERATOR()) {
    // The city's zone first: every date and time on every page is the city's.
    const office = await api("/office").catch(() => null);
    if (office?.city) {
      setZone(office.city.timezone);
      where = ` · ${office.city.name}`;
      $("#brand-office").textContent = office.name || "Dinas Perhubungan";
    }
  }
  $("#who").textContent = `${S.user} · ${label("role", S.role)}${where}`;
  route();
}

// ---- router --------------------------------------------------------------------------------
/** Each page and, where only some roles may use it, the action it needs. */
const PAGES = {
  "beranda": [beranda], "rekap-harian": [rekapHarian], "rekap-bulanan": [rekapBulanan],
  "pembayaran": [pembayaran], "setelmen": [setelmen, "settle"], "pengguna": [pengguna, "users"],
  "registri": [registri], "poster": [posterSheet, "spots"], "peringatan": [peringatan],
  "surat-peringatan": [suratRegister], "surat": [surat], "laporan-warga": [laporanWarga, "reports"],
  "bagi-hasil": [bagiHasil], "kota": [kota, "cities"],
};
/** The menu entry a page belongs to. */
const MENU_OF = { poster: "registri", surat: "surat-peringatan" };
function route() {
  if (!S.token) return showLogin();
  const [name, query] = location.hash.replace(/^#\/?/, "").split("?");
  const page = OPERATOR() ? "kota" : (PAGES[name] ? name : "beranda");
  const menu = MENU_OF[page] || page;
  for (const a of document.querySelectorAll("nav.side a")) a.classList.toggle("on", a.dataset.page === menu);
  const params = new URLSearchParams(query || "");
  const main = $("#main");
  const [render, needs] = PAGES[page];
  if (needs && !can(needs)) {
    fill(main, el("header", { class: "page-head" }, el("h1", {}, "Tidak tersedia")),
      el("p", { class: "card muted" }, `Halaman ini tidak tersedia untuk peran ${label("role", S.role)}.`));
    return;
  }
  main.replaceChildren(el("p", { class: "muted" }, "Memuat…"));
  render(main, params).catch((e) => {
    if (e.status === 401) return;
    main.replaceChildren(el("div", { class: "card error" }, "Gagal memuat: " + readable(e.message)));
  });
}

// ---- shared pieces -------------------------------------------------------------------------
function kpi(title, value, sub, cls) {
  return el("div", { class: "kpi " + (cls || "") }, el("div", { class: "kpi-title" }, title),
    el("div", { class: "kpi-value" }, value), sub ? el("div", { class: "kpi-sub" }, sub) : null);
}
function realisasi(gross, target) {
  return target > 0 ? `${pct(Math.floor((gross * 10000) / target))} dari target ${rp(target)}` : "tanpa target";
}
/** A definition list of [term, value] pairs, each pair kept together. */
function facts(cls, pairs) {
  return el("dl", { class: "facts " + cls }, pairs.map(([k, v]) => el("div", {}, el("dt", {}, k), el("dd", {}, v))));
}
function badge(flag) {
  return el("span", { class: "badge b-" + flag, title: label("flagHelp", flag) }, label("flag", flag));
}
function sortable(table, rows, columns, render) {
  let key = null, dir = 1;
  const body = el("tbody");
  const draw = () => body.replaceChildren(...[...rows].sort((a, b) => {
    if (!key) return 0;
    const x = a[key], y = b[key];
    return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))) * dir;
  }).map(render));
  table.append(el("thead", {}, el("tr", {}, columns.map(([k, text, cls]) =>
    el("th", { class: cls, scope: "col", title: "Klik untuk mengurutkan",
      onclick: () => { dir = key === k ? -dir : 1; key = k; draw(); } }, text)))), body);
  draw();
  return body;
}
/** A date filter: dd/mm/yyyy, the day before and after, and the day's name. */
function dayPicker(id, date, go) {
  const input = dateInput({ id, iso: date, label: "Tanggal" });
  input.onDate((v) => { if (v) go(v); });
  return el("span", { class: "day-picker" },
    el("button", { type: "button", class: "icon", title: "Hari sebelumnya", "aria-label": "Hari sebelumnya",
      onclick: () => go(addDays(date, -1)) }, "‹"),
    input,
    el("button", { type: "button", class: "icon", title: "Hari berikutnya", "aria-label": "Hari berikutnya",
      onclick: () => go(addDays(date, 1)) }, "›"),
    el("strong", { id: `${id}-day`, class: "day-name" }, DAYS[new Date(date + "T00:00:00Z").getUTCDay()]));
}
/** The spot list, for the roles that may read it (others get an empty list). */
async function spotList() {
  return can("spots") ? all("/spots") : [];
}

/** What only paper shows: the letterhead and title above a recap … */
function printHead(o, title, subtitle) {
  return el("div", { class: "print-only print-head" }, letterhead(o), el("h2", {}, title), el("p", {}, subtitle),
    el("p", { class: "printed" }, `Dicetak ${local(Date.now())}`));
}
/** … and the signature block under it. */
function printFoot(o, place) {
  return el("div", { class: "print-only print-sign" }, signature(o, place, todayLocal()));
}

// ---- Beranda -------------------------------------------------------------------------------
/** The best and the worst of a month by achievement: ten each, and nobody in both lists when
 *  the city has fewer than twenty (the upper half is "best", the lower half "worst"). */
function bestAndWorst(rows) {
  const ranked = rows.filter((r) => r.attendant_id != null && r.target)
    .sort((a, b) => b.achievement_bps - a.achievement_bps || a.name.localeCompare(b.name));
  const n = Math.min(10, Math.ceil(ranked.length / 2));
  return { best: ranked.slice(0, n), worst: ranked.slice(n).reverse().slice(0, 10) };
}

async function beranda(main) {
  const today = todayLocal();
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
  const { best, worst } = bestAndWorst(monthly.rows);
  const percent = (v) => nf.format(v) + "%";
  fill(main,
    el("header", { class: "page-head" }, el("h1", {}, "Beranda"),
      el("span", { class: "muted" }, `Hari ini ${dayName(today)} (${ZONE.abbr}) · ${monthName(month)}`)),
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
      el("section", { class: "card", id: "best" }, el("h2", {}, `${best.length} jukir terbaik (capaian target bulan ini)`),
        bars(best.map((r) => ({ label: r.name, value: r.achievement_bps / 100, cls: "good" })),
          percent, { max: Math.max(100, ...best.map((r) => r.achievement_bps / 100)) })),
      el("section", { class: "card", id: "worst" }, el("h2", {}, `${worst.length} jukir terendah`),
        worst.length ? bars(worst.map((r) => ({ label: r.name, value: r.achievement_bps / 100, cls: "bad" })),
          percent, { max: Math.max(100, ...worst.map((r) => r.achievement_bps / 100)) })
          : el("p", { class: "muted" }, "Belum ada data bulan ini."))),
  );
}

// ---- Rekap Harian --------------------------------------------------------------------------
async function rekapHarian(main, params) {
  const date = params.get("date") || addDays(todayLocal(), -1);
  const zone = params.get("zone") || "";
  const spot = params.get("spot") || "";
  const attendant = params.get("attendant") || "";
  const [report, zones, o, place] = await Promise.all([
    api(`/reconciliation/daily?date=${date}${zone ? "&zone_id=" + zone : ""}`),
    api("/zones?limit=100"), office(), signingPlace(),
  ]);
  const query = `date=${date}${zone ? "&zone_id=" + zone : ""}`;
  const zoneSelect = el("select", { id: "rekap-zone" }, el("option", { value: "" }, "Semua zona"),
    zones.items.map((z) => el("option", { value: z.id, selected: String(z.id) === zone }, z.name)));
  const go = (d) => { location.hash = href("rekap-harian", { date: d, zone: zoneSelect.value, spot, attendant }); };
  zoneSelect.addEventListener("change", () => go(date));
  const zoneName = zone ? zoneSelect.selectedOptions[0]?.textContent : "Semua zona";
  const status = report.closed
    ? el("span", { class: "badge closed" }, `Ditutup oleh ${report.closed_by} · ${local(report.closed_at)}`)
    : report.closable
      ? el("span", { class: "badge open" }, "Belum ditutup")
      : el("span", { class: "badge open", id: "rekap-running" }, "Hari belum berakhir · dapat ditutup setelah pukul 24.00 ${ZONE.abbr} hari itu");
  const message = el("p", { class: "error", role: "alert", id: "rekap-error" });
  const fail = (e) => { message.textContent = readable(e.message); };
  const actions = el("div", { class: "actions no-print" },
    el("button", { id: "rekap-xlsx", onclick: () => download(`/reconciliation/daily.xlsx?${query}&lang=id`, `rekonsiliasi-${date}.xlsx`).catch(fail) }, "Unduh Excel"),
    el("button", { id: "rekap-csv", onclick: () => download(`/reconciliation/daily.csv?${query}&lang=id`, `rekonsiliasi-${date}.csv`).catch(fail) }, "Unduh CSV"),
    el("button", { onclick: () => window.print() }, "Cetak"),
    can("closeDay") && report.closable ? el("button", { class: "primary", id: "close-day", onclick: async () => {
      if (!confirm(`Tutup hari ${dayName(date)}? Angka hari itu akan dibekukan; pembayaran yang datang kemudian dicatat sebagai penyesuaian.`)) return;
      try { await api(`/reconciliation/daily/${date}/close`, { method: "POST", body: {} }); route(); }
      catch (e) { fail(e); }
    } }, "Tutup hari") : null);
  const t = report.totals;
  const table = el("table", { class: "data", id: "rekap-table" });
  const marked = (r) => (spot && r.spots.includes(spot)) || (attendant && String(r.attendant_id) === attendant);
  sortable(table, report.rows, [
    ["name", "Juru Parkir"], ["spots", "Titik"], ["tx_count", "Transaksi", "n"], ["noncash_gross", "Non-Tunai", "n"],
    ["cash_gross", "Tunai", "n"], ["gross", "Bruto", "n"], ["attendant_share", "Bagian Jukir", "n"],
    ["city_share", "Bagian Pemkot", "n"], ["target", "Target", "n"], ["shortfall", "Kurang Setor", "n"], ["flags", "Catatan"],
  ], (r) => el("tr", { class: marked(r) ? "hl" : null },
    el("td", {}, r.attendant_id == null ? r.name
      : el("a", { href: href("pembayaran", { date, attendant: r.attendant_id }), title: "Pembayaran jukir ini pada hari itu" }, r.name)),
    el("td", {}, r.spots.join(", ")), el("td", { class: "n" }, num(r.tx_count)),
    el("td", { class: "n" }, rp(r.noncash_gross)), el("td", { class: "n" }, rp(r.cash_gross)), el("td", { class: "n" }, rp(r.gross)),
    el("td", { class: "n" }, rp(r.attendant_share)), el("td", { class: "n" }, rp(r.city_share)),
    el("td", { class: "n" }, r.target == null ? "—" : rp(r.target)),
    el("td", { class: "n" + (r.shortfall > 0 ? " short" : "") }, rp(r.shortfall)), el("td", {}, r.flags.map(badge))));
  table.append(el("tfoot", {}, el("tr", { id: "rekap-total" }, el("th", {}, "TOTAL"), el("th"), el("th", { class: "n" }, num(t.tx_count)),
    el("th", { class: "n" }, rp(t.noncash_gross)), el("th", { class: "n" }, rp(t.cash_gross)), el("th", { class: "n" }, rp(t.gross)),
    el("th", { class: "n" }, rp(t.attendant_share)), el("th", { class: "n" }, rp(t.city_share)), el("th", { class: "n" }, rp(t.target)),
    el("th", { class: "n" }, rp(t.shortfall)), el("th"))));
  const focus = spot ? `titik ${spot}` : attendant ? "jukir dari peringatan" : "";
  fill(main,
    el("header", { class: "page-head no-print" }, el("h1", {}, "Rekap Harian")),
    printHead(o, "REKAP HARIAN RETRIBUSI PARKIR", `${dayName(date)} · ${zoneName} · `
      + (report.closed ? `ditutup ${local(report.closed_at)} oleh ${report.closed_by}` : "belum ditutup (angka dapat berubah)")),
    el("div", { class: "toolbar no-print" }, el("label", {}, "Tanggal ", dayPicker("rekap-date", date, go)),
      el("label", {}, "Zona ", zoneSelect), status),
    focus ? el("p", { class: "muted no-print", id: "rekap-focus" }, `Baris yang ditandai: ${focus}. `,
      el("a", { href: href("rekap-harian", { date, zone }) }, "Hapus tanda")) : null,
    actions, message,
    el("section", { class: "card table-card" }, table),
    report.adjustments.length ? el("section", { class: "card" }, el("h2", {}, "Penyesuaian setelah ditutup"),
      el("table", { class: "data" }, el("thead", {}, el("tr", {}, el("th", {}, "Transaksi"), el("th", {}, "Dibayar"),
        el("th", { class: "n" }, "Nominal"), el("th", {}, "Catatan"))),
        el("tbody", {}, report.adjustments.map((a) => el("tr", {}, el("td", {}, a.gateway_txn_id), el("td", {}, local(a.paid_at)),
          el("td", { class: "n" }, rp(a.amount)), el("td", {}, (a.flags || []).map(badge))))))) : null,
    printFoot(o, place),
  );
  main.querySelector("tr.hl")?.scrollIntoView({ block: "center" });
}

// ---- Rekap Bulanan -------------------------------------------------------------------------
async function rekapBulanan(main, params) {
  const month = params.get("month") || todayLocal().slice(0, 7);
  const zone = params.get("zone") || "";
  const zq = zone ? `&zone_id=${zone}` : "";
  const [m, zones, o, place] = await Promise.all([api(`/reports/monthly?month=${month}${zq}`), api("/zones?limit=100"),
    office(), signingPlace()]);
  const [year, mon] = month.split("-").map(Number);
  const thisYear = Number(todayLocal().slice(0, 4));
  const monthSelect = el("select", { id: "bulan", "aria-label": "Bulan" },
    MONTHS.map((name, i) => el("option", { value: i + 1, selected: i + 1 === mon }, name)));
  const years = [...new Set([year, ...Array.from({ length: 5 }, (_, i) => thisYear - 3 + i)])].sort();
  const yearSelect = el("select", { id: "bulan-tahun", "aria-label": "Tahun" }, years.map((y) => el("option", { value: y, selected: y === year }, y)));
  const zoneSelect = el("select", { id: "bulan-zone" }, el("option", { value: "" }, "Semua zona"),
    zones.items.map((z) => el("option", { value: z.id, selected: String(z.id) === zone }, z.name)));
  const go = () => { location.hash = href("rekap-bulanan", { month: `${yearSelect.value}-${String(monthSelect.value).padStart(2, "0")}`, zone: zoneSelect.value }); };
  for (const s of [monthSelect, yearSelect, zoneSelect]) s.addEventListener("change", go);
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
  const message = el("p", { class: "error", role: "alert" });
  const fail = (e) => { message.textContent = readable(e.message); };
  fill(main,
    el("header", { class: "page-head no-print" }, el("h1", {}, "Rekap Bulanan")),
    printHead(o, "REKAP BULANAN RETRIBUSI PARKIR", `${monthName(month)} · ${zone ? zoneSelect.selectedOptions[0].textContent : "Semua zona"}`),
    el("div", { class: "toolbar no-print" }, el("label", {}, "Bulan ", monthSelect, " ", yearSelect), el("label", {}, "Zona ", zoneSelect)),
    el("div", { class: "actions no-print" },
      el("button", { onclick: () => download(`/reports/monthly.xlsx?month=${month}&lang=id${zq}`, `rekap-bulanan-${month}.xlsx`).catch(fail) }, "Unduh Excel"),
      el("button", { onclick: () => download(`/reports/monthly.csv?month=${month}&lang=id${zq}`, `rekap-bulanan-${month}.csv`).catch(fail) }, "Unduh CSV"),
      el("button", { onclick: () => window.print() }, "Cetak")),
    message,
    el("section", { class: "card table-card" }, table),
    printFoot(o, place));
}

// ---- Pembayaran ----------------------------------------------------------------------------
const PAYMENT_FLAGS = ["unknown_terminal", "unattributed", "unmatched_reference", "amount_mismatch", "amount_not_a_tariff",
  "outside_duty", "inactive_spot", "late", "status_regression"];
const PAYMENT_STATUSES = ["paid", "pending", "failed", "refunded", "reversed"];

async function pembayaran(main, params) {
  const reference = params.get("reference") || "";
  const date = params.has("date") ? params.get("date") : (reference ? "" : todayLocal());
  const flag = params.get("flag") || "";
  const status = params.get("status") || "";
  const attendant = params.get("attendant") || "";
  const spot = params.get("spot") || "";
  const spotCode = params.get("spot_code") || "";
  const [people, spots] = await Promise.all([all("/attendants"), spotList()]);
  const refInput = el("input", { type: "search", value: reference, id: "pay-reference", placeholder: "ID transaksi / referensi / RRN" });
  const attendantSelect = el("select", { id: "pay-attendant" }, el("option", { value: "" }, "Semua jukir"),
    people.map((a) => el("option", { value: a.id, selected: String(a.id) === attendant }, a.name)));
  // The spot list is the admin's; another role reaches a spot's payments from an alert's link.
  const spotFilter = spots.length
    ? el("select", { id: "pay-spot" }, el("option", { value: "" }, "Semua titik"),
      spots.map((s) => el("option", { value: s.id, selected: String(s.id) === spot }, `${s.code} · ${s.name}`)))
    : spot ? el("span", { class: "chip", id: "pay-spot-chip" }, `Titik ${spotCode || spot} `,
      el("a", { href: href("pembayaran", { date, attendant, flag, status }), title: "Hapus saringan titik", "aria-label": "Hapus saringan titik" }, "✕"))
      : null;
  const flagSelect = el("select", { id: "pay-flag" }, el("option", { value: "" }, "Semua catatan"),
    PAYMENT_FLAGS.map((f) => el("option", { value: f, selected: f === flag }, label("flag", f))));
  const statusSelect = el("select", { id: "pay-status" }, el("option", { value: "" }, "Semua status"),
    PAYMENT_STATUSES.map((x) => el("option", { value: x, selected: x === status }, label("paymentStatus", x))));
  const spotValue = () => (spotFilter?.tagName === "SELECT" ? spotFilter.value : spot);
  const go = (day, ref = "") => {
    location.hash = href("pembayaran", { date: day ?? "", flag: flagSelect.value, status: statusSelect.value,
      attendant: attendantSelect.value, spot: spotValue(), spot_code: spotFilter?.tagName === "SELECT" ? "" : spotCode, reference: ref });
  };
  // A search by reference looks at every date.
  refInput.addEventListener("change", () => { const ref = refInput.value.trim(); go(ref ? "" : date || todayLocal(), ref); });
  for (const i of [flagSelect, statusSelect, attendantSelect, spotFilter?.tagName === "SELECT" ? spotFilter : null]) {
    i?.addEventListener("change", () => go(date, reference));
  }
  const body = el("tbody");
  const detail = el("section", { class: "card", id: "pay-detail", hidden: true });
  const more = el("button", { class: "no-print" }, "Muat lagi");
  const count = el("span", { class: "muted", id: "pay-count" });
  let cursor = null, shown = 0;
  const load = async () => {
    const q = new URLSearchParams({ limit: "50" });
    if (date) q.set("date", date);
    if (reference) q.set("reference", reference);
    if (attendant) q.set("attendant_id", attendant);
    if (spot) q.set("spot_id", spot);
    if (flag) q.set("flag", flag);
    if (status) q.set("status", status);
    if (cursor) q.set("cursor", cursor);
    const page = await api(`/payments?${q}`);
    shown += page.items.length;
    body.append(...page.items.map((p) => el("tr", { class: "click", onclick: () => show(p.id), "data-payment": p.id },
      el("td", {}, date ? localTime(p.paid_at, date) : local(p.paid_at)), el("td", {}, label("gateway", p.gateway)),
      el("td", { class: "mono" }, p.gateway_txn_id), el("td", {}, p.vehicle_class ? label("vehicle", p.vehicle_class) : "—"),
      el("td", { class: "n" }, rp(p.amount)), el("td", {}, el("span", { class: "badge st-" + p.status }, label("paymentStatus", p.status))),
      el("td", {}, p.spot_code ?? "—"), el("td", {}, p.attendant_name ?? "—"), el("td", {}, p.flags.map(badge)))));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    count.textContent = `${num(shown)} pembayaran${cursor ? " (ada lagi)" : ""}`;
    if (!body.children.length) body.append(el("tr", {}, el("td", { colspan: 9, class: "muted" }, "Tidak ada pembayaran.")));
  };
  const show = async (id) => {
    const p = await api(`/payments/${id}`);
    detail.hidden = false;
    fill(detail, el("h2", {}, `Pembayaran ${label("gateway", p.gateway)} · ${p.gateway_txn_id}`),
      facts("pairs", [
        ["Nominal", rp(p.amount)], ["Status", label("paymentStatus", p.status)], ["Dibayar", local(p.paid_at)],
        ["Tanggal usaha", dmy(p.business_date)], ["Cara bayar", label("gateway", p.gateway)], ["Sumber data", label("source", p.source)],
        ["Referensi", p.reference ?? "—"], ["Terminal", p.terminal_id ?? "—"], ["Titik", p.spot_code ?? "—"],
        ["Juru parkir", p.attendant_name ?? "—"], ["Kendaraan", p.vehicle_class ? label("vehicle", p.vehicle_class) : "—"],
        ["Catatan", p.flags.length ? p.flags.map(badge) : "—"],
      ]),
      el("h2", {}, "Riwayat notifikasi gateway"),
      p.callbacks.length ? el("table", { class: "data" }, el("thead", {}, el("tr", {}, ["Diterima", "Hasil", "Status dari gateway", "HTTP", "Alasan"].map((h) => el("th", {}, h)))),
        el("tbody", {}, p.callbacks.map((c) => el("tr", {}, el("td", {}, local(c.received_at)), el("td", {}, label("verdict", c.verdict)),
          el("td", {}, c.reported_status ?? "—"), el("td", {}, c.http_status), el("td", {}, c.reason ?? "")))))
        : el("p", { class: "muted" }, p.gateway === "cash" ? "Pembayaran tunai dicatat dari HP juru parkir; tidak ada notifikasi gateway." : "Belum ada notifikasi."));
    detail.scrollIntoView({ block: "nearest" });
  };
  more.addEventListener("click", load);
  fill(main,
    el("header", { class: "page-head" }, el("h1", {}, "Pembayaran"), count),
    el("div", { class: "toolbar no-print" },
      el("label", {}, "Tanggal ", dayPicker("pay-date", date || todayLocal(), (d) => go(d))),
      spotFilter ? el("label", {}, "Titik ", spotFilter) : null,
      el("label", {}, "Jukir ", attendantSelect), el("label", {}, "Catatan ", flagSelect), el("label", {}, "Status ", statusSelect),
      el("label", {}, "Cari ", refInput)),
    reference ? el("p", { class: "muted" }, `Hasil pencarian "${reference}" di semua tanggal. `, el("a", { href: href("pembayaran") }, "Kembali ke hari ini")) : null,
    el("section", { class: "card table-card" }, el("table", { class: "data", id: "pay-table" },
      el("thead", {}, el("tr", {}, ["Waktu", "Cara bayar", "Transaksi", "Kendaraan", "Nominal", "Status", "Titik", "Juru parkir", "Catatan"]
        .map((h, i) => el("th", { class: i === 4 ? "n" : null }, h)))), body)),
    more, detail);
  await load();
}

// ---- Setelmen ------------------------------------------------------------------------------
async function setelmen(main) {
  const fileInput = el("input", { type: "file", accept: ".csv,text/csv", id: "settlement-file" });
  const general = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "card form", id: "settlement-form", novalidate: true },
    el("h2", {}, "Unggah file setelmen bank (CSV)"),
    el("p", { class: "muted" }, "Kolom: reference (atau rrn), paid_at, amount, fee, net, terminal_id, nmid. Mengunggah file yang sama dua kali tidak mengubah apa pun."),
    field("File ", fileInput, "file"), general,
    el("button", { type: "submit", class: "primary" }, "Unggah"));
  const result = el("section", { class: "card", id: "settlement-result", hidden: true });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
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

// ---- Pengguna ------------------------------------------------------------------------------
async function pengguna(main) {
  const users = await api("/users?limit=100");
  const general = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "card form", id: "user-form", novalidate: true },
    el("h2", {}, "Pengguna baru"),
    el("div", { class: "form-row" },
      field("Nama pengguna ", el("input", { name: "username", autocomplete: "off" }), "username"),
      field("Peran ", el("select", { name: "role" }, ["auditor", "supervisor", "admin"].map((r) => el("option", { value: r }, label("role", r)))), "role"),
      field("Kata sandi (min. 10, bukan sandi umum) ", el("input", { name: "password", type: "password", autocomplete: "new-password" }), "password")),
    general, el("button", { type: "submit", class: "primary" }, "Tambah"));
  onSubmit(form, general, {
    build: () => Object.fromEntries(new FormData(form)),
    send: (body) => api("/users", { method: "POST", body }),
    done: () => route(),
  });
  const message = el("p", { class: "error", role: "alert", id: "users-error" });
  const toggle = async (u) => {
    if (u.active && !confirm(`Nonaktifkan akun ${u.username}? Sesinya berakhir dan ia tidak dapat masuk lagi.`)) return;
    try { await api(`/users/${u.id}`, { method: "PATCH", body: { active: !u.active } }); route(); }
    catch (e) { message.textContent = readable(e.message); }
  };
  fill(main, el("header", { class: "page-head" }, el("h1", {}, "Pengguna")), message,
    el("section", { class: "card table-card" }, el("table", { class: "data", id: "users-table" },
      el("thead", {}, el("tr", {}, ["Nama pengguna", "Peran", "Status", "Dibuat", ""].map((h) => el("th", {}, h)))),
      el("tbody", {}, users.items.map((u) => el("tr", {}, el("td", {}, u.username), el("td", {}, label("role", u.role)),
        el("td", {}, el("span", { class: "badge " + (u.active ? "closed" : "open") }, u.active ? "Aktif" : "Nonaktif")),
        el("td", {}, local(u.created_at)),
        el("td", {}, u.username === S.user ? "" : el("button", { onclick: () => toggle(u) }, u.active ? "Nonaktifkan" : "Aktifkan"))))))),
    form);
}

/** An image the API serves behind the token, as a blob: URL. */
async function authImage(path, attrs = {}) {
  const res = await fetch(API + path, { headers: headers() });
  if (!res.ok) throw new ApiError(res.status, null);
  return el("img", { ...attrs, src: URL.createObjectURL(await res.blob()) });
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
