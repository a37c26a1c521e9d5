// Parkir — the attendant's phone page. Plain JavaScript, no dependencies, no inline code
// (the Content-Security-Policy allows only this origin). The token lives in localStorage,
// never in a URL. The day's list is live from /me/events, read with fetch() since an
// EventSource cannot send the token in a header. Cash taps are kept on the phone first and
// sent with their client_ref until the server has them (SPEC §11.2).
"use strict";

const TOKEN_KEY = "parkir.jukir.token";
const QUEUE_KEY = "parkir.jukir.tunai";
const API = "/api/v1";
const LABELS = { motorcycle: "Motor", car: "Mobil", truck: "Truk", bus: "Bus", bicycle: "Sepeda" };
const $ = (id) => document.getElementById(id);
const hide = (...ids) => ids.forEach((id) => { $(id).hidden = true; });

let me = null;
let charge = null;
let pollTimer = null;
let tickTimer = null;
let polls = 0;
let lastRetry = null;
let day = null; // the business day listed, as /me/summary names it
const paid = new Map(); // that day's payments by id
let online = navigator.onLine;
let live = false;
let stream = null; // the AbortController of the open /me/events request
let streamTimer = null;
let fails = 0;
let retryMs = 3000;
let skew = 0; // the server's clock minus the phone's, when more than 10 s apart
let flushing = false;
let again = false;
let noteTimer = null;
let sumTimer = null;

function rupiah(n) {
  const s = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return (n < 0 ? "-" : "") + "Rp" + s;
}

function label(cls) {
  return LABELS[cls] || cls.charAt(0).toUpperCase() + cls.slice(1).replace(/_/g, " ");
}

// The city's zone, from /me (kept for a start without signal); Indonesia keeps no summer time.
const ZONES = { "Asia/Jakarta": [7, "WIB"], "Asia/Makassar": [8, "WITA"], "Asia/Jayapura": [9, "WIT"] };
const ZONE_KEY = "parkir-jukir-zone";
const zone = () => ZONES[(me && me.timezone) || localStorage.getItem(ZONE_KEY)] || ZONES["Asia/Jakarta"];
const local = (t) => new Date(Date.parse(t) + zone()[0] * 36e5).toISOString();
const hm = (t) => local(t).slice(11, 16).replace(":", ".");
const localTime = (t) => local(t).slice(11, 19).replace(/:/g, ".") + " " + zone()[1];

function apiError(kind, status, body, retryAfter) {
  return Object.assign(new Error(kind), { kind, status, body, retryAfter });
}

function headers(extra) {
  const h = Object.assign({ "Accept-Language": "id" }, extra);
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) h.Authorization = "Bearer " + token;
  return h;
}

async function api(method, path, body, raw) {
  let res;
  try {
    res = await fetch(API + path, {
      method, cache: "no-store",
      headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    setOnline(false);
    throw apiError("network", 0, null, null);
  }
  setOnline(true);
  const date = Date.parse(res.headers.get("Date"));
  if (date) {
    const s = date + 500 - Date.now();
    skew = Math.abs(s) > 1e4 ? s : 0;
  }
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch (e) { problem = null; }
    throw apiError("http", res.status, problem, res.headers.get("Retry-After"));
  }
  return raw ? res.blob() : res.json();
}

function showBanner(text, retry) {
  $("banner-text").textContent = text;
  lastRetry = retry || null;
  $("banner-retry").hidden = !retry;
  $("banner").hidden = false;
}

// Every failure ends in a message: network → the signal notice, 401 → back to login.
function handle(err, retry) {
  if (err.kind === "network") {
    setOnline(false);
  } else if (err.status === 401) {
    logout("Sesi Anda berakhir. Silakan masuk lagi.");
  } else if (err.status === 403) {
    logout("Akun Anda tidak aktif. Hubungi Dishub.");
  } else if (err.status === 409) {
    showBanner("Anda tidak sedang bertugas saat ini.", retry);
  } else {
    showBanner(err.body && err.body.detail ? err.body.detail : "Terjadi kesalahan.", retry);
  }
}

function setOnline(v) {
  online = v;
  renderNet();
}

// The notice at the top: no signal, and how many cash taps still wait to be sent.
function renderNet() {
  const n = mine().filter((t) => !t.fail).length;
  const waiting = n ? n + " tunai belum terkirim" : "";
  $("net").hidden = online && !n;
  $("net").className = online ? "net sending" : "net";
  $("net-text").textContent = online ? waiting : "Tidak ada sinyal · " + (waiting || (me ? "tunai tetap bisa dicatat" : "periksa koneksi"));
  $("charge-net").hidden = online;
  $("live").textContent = live ? "langsung" : "terputus";
  $("live").className = live ? "live on" : "live";
}

function note(text, warn) {
  const n = $("cash-note");
  n.textContent = text;
  n.className = warn ? "note warn" : "note";
  n.hidden = false;
  clearTimeout(noteTimer);
  noteTimer = setTimeout(() => { n.hidden = true; }, 10000);
}

async function showImage(img, path) {
  const blob = await api("GET", path, undefined, true);
  if (img.dataset.url) URL.revokeObjectURL(img.dataset.url);
  img.src = img.dataset.url = URL.createObjectURL(blob);
}

function show(section) {
  $("login").hidden = section !== "login";
  $("home").hidden = section !== "home";
  $("logout").hidden = section !== "home";
  if (section !== "home") hide("actions");
}

// Taps not sent yet stay on the phone until this attendant logs in again.
function logout(message) {
  localStorage.removeItem(TOKEN_KEY);
  me = day = null;
  paid.clear();
  closeCharge();
  clearTimeout(streamTimer);
  if (stream) stream.abort();
  stream = null;
  live = false;
  hide("banner");
  show("login");
  const e = $("login-error");
  e.textContent = message || "";
  e.hidden = !message;
}

async function login(ev) {
  ev.preventDefault();
  const phone = $("phone").value.trim();
  const pin = $("pin").value.trim();
  const e = $("login-error");
  e.hidden = true;
  if (!/^[0-9]{6}$/.test(pin)) {
    e.textContent = "PIN harus 6 angka.";
    e.hidden = false;
    return;
  }
  $("login-submit").disabled = true;
  try {
    const res = await api("POST", "/auth/attendant-login", { phone, pin });
    localStorage.setItem(TOKEN_KEY, res.access_token);
    $("pin").value = "";
    await loadHome();
  } catch (err) {
    const minutes = Math.max(1, Math.ceil(Number(err.retryAfter || 60) / 60));
    e.textContent = err.kind === "network" ? "Tidak ada sinyal. Periksa koneksi lalu coba lagi." : {
      401: "Nomor HP atau PIN salah.",
      429: "Terlalu banyak percobaan. Coba lagi dalam " + minutes + " menit.",
      403: "Akun Anda tidak aktif. Hubungi Dishub.",
      400: "Periksa nomor HP: contoh 081234567890.",
    }[err.status] || "Gagal masuk. Coba lagi.";
    e.hidden = false;
  } finally {
    $("login-submit").disabled = false;
  }
}

function span(cls, text) {
  const s = document.createElement("span");
  s.className = cls;
  s.textContent = text;
  return s;
}

function classButtons(container, prefix, onClick) {
  container.textContent = "";
  const tariffs = me.on_duty.tariffs || {};
  const rank = (c) => (c === "motorcycle" ? 0 : c === "car" ? 1 : 2);
  for (const cls of Object.keys(tariffs).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))) {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.class = cls;
    b.append(prefix + " " + label(cls), span("", rupiah(tariffs[cls])));
    b.addEventListener("click", () => onClick(cls, tariffs[cls]));
    container.appendChild(b);
  }
}

async function loadHome() {
  try {
    me = await api("GET", "/me");
    localStorage.setItem(ZONE_KEY, me.timezone);
  } catch (err) {
    handle(err, loadHome);
    if (err.kind === "network" && !me) show(localStorage.getItem(TOKEN_KEY) ? "home" : "login");
    return;
  }
  hide("banner");
  show("home");
  const duty = me.on_duty;
  $("qr-card").hidden = $("actions").hidden = !duty;
  $("off-duty").hidden = !!duty;
  // Taps kept from a shift that has ended are still sent (the server judges their instant).
  $("today").hidden = !duty && !mine().length;
  render();
  flush();
  loadPayouts();
  if (!duty) {
    $("spot-name").textContent = me.name;
    $("spot-code").textContent = "";
    return;
  }
  $("spot-name").textContent = duty.spot.name;
  $("spot-code").textContent = "Titik " + duty.spot.code + " · " + duty.zone_name;
  $("merchant-name").textContent = duty.qris.merchant_name;
  $("merchant-nmid").textContent = "NMID " + (duty.qris.nmid || "-") + " · Terminal " + (duty.qris.terminal_label || duty.spot.terminal_id);
  classButtons($("charge-buttons"), "QR", startCharge);
  classButtons($("cash-buttons"), "Tunai", confirmCash);
  connect();
  refreshDay();
  try {
    await showImage($("static-qr"), "/me/qr.png?scale=10&ecc=M");
  } catch (err) {
    handle(err, loadHome);
  }
}

// Bagi hasil: the attendant's statements of approved and paid runs (SPEC §15), newest first;
// the latest three are enough on a phone.
const dmy = (iso) => iso.split("-").reverse().join("/");
function payoutItem(st) {
  const li = document.createElement("li");
  li.dataset.run = st.run_id;
  li.className = "st-" + st.status;
  const head = document.createElement("p");
  head.className = "st-head";
  head.append(span("st-period", dmy(st.from) + " – " + dmy(st.to)),
    span("st-run " + st.run_status, st.run_status === "paid" ? "Dibayar" : "Disetujui"));
  const main = document.createElement("p");
  main.className = "st-main";
  main.textContent = st.status === "payable" ? "Diterima " + rupiah(st.payable)
    : st.status === "held" ? "Ditahan: belum ada rekening"
      : st.status === "owes" ? "Utang setoran " + rupiah(-st.net) : "Lunas, tidak ada yang dibayar";
  const dl = document.createElement("dl");
  const row = (k, v) => {
    const d = document.createElement("div");
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = k;
    dd.textContent = v;
    d.append(dt, dd);
    dl.appendChild(d);
  };
  row("Bagian non-tunai", rupiah(st.noncash_share));
  row("Setoran tunai untuk Pemkot", "−" + rupiah(st.cash_city_share));
  row("Setoran masuk", rupiah(st.deposits));
  if (st.carried_in) row("Saldo lalu", rupiah(st.carried_in));
  li.append(head, main, dl);
  if (st.status === "payable" && st.account_number) {
    li.appendChild(span("st-note", "Ke rekening " + st.account_number + (st.bank_reference ? " · ref. " + st.bank_reference : "")));
  } else if (st.status === "held") {
    li.appendChild(span("st-note", rupiah(st.carried_out) + " dibayar setelah rekening dicatat Dishub."));
  } else if (st.status === "owes") {
    li.appendChild(span("st-note", "Setorkan ke kas daerah; sisa utang dibawa ke periode berikut."));
  }
  return li;
}

async function loadPayouts() {
  try {
    const { items } = await api("GET", "/me/payouts");
    $("payouts").replaceChildren(...items.slice(0, 3).map(payoutItem));
    $("payouts-card").hidden = !items.length;
  } catch (err) {
    // The statements wait for the next load; the day's work matters more than this card.
    if (err.status === 401) handle(err);
  }
}

function showSummary(s) {
  $("today-count").textContent = String(s.tx_count);
  $("today-gross").textContent = rupiah(s.gross);
  $("today-share").textContent = rupiah(s.attendant_share);
}

function soonSummary() {
  clearTimeout(sumTimer);
  sumTimer = setTimeout(() => me && api("GET", "/me/summary").then(showSummary, handle), 800);
}

// The whole day again: at load, on each (re)connection of the stream, when it asks, and
// every 20 s while it is down.
async function refreshDay() {
  if (!me || !me.on_duty) return;
  try {
    const [list, s] = await Promise.all([api("GET", "/me/payments"), api("GET", "/me/summary")]);
    if (s.date !== day) {
      day = s.date;
      paid.clear();
    }
    list.items.forEach((p) => see(p, true));
    showSummary(s);
    hide("banner");
  } catch (err) {
    handle(err, refreshDay);
  }
  render();
}

// One payment: into the day's list, and onto the charge sheet if it is for the charge there.
function see(p, reloading) {
  if (charge && p.charge_id === charge.id) {
    if (!p.flags.includes("amount_mismatch")) showPaid(p.amount, p.paid_at);
    else if ($("charge-paid").hidden) {
      $("charge-mismatch").textContent = "Dibayar " + rupiah(p.amount) + ", bukan " + rupiah(charge.amount) + " — minta bayar ulang atau hubungi pengawas.";
      $("charge-mismatch").hidden = false;
    }
  }
  const d = local(p.paid_at).slice(0, 10);
  if (day && d > day && !reloading) return refreshDay();
  if (!day || d === day) paid.set(p.id, p);
}

// The day's payments and the taps still on the phone, newest first.
function render() {
  const rows = [...paid.values()].map((p) => ({ t: p.paid_at, p }))
    .concat(mine().map((q) => ({ t: q.at, q })))
    .sort((a, b) => Date.parse(b.t) - Date.parse(a.t) || (b.p ? b.p.id : 0) - (a.p ? a.p.id : 0));
  const ul = $("history");
  ul.textContent = "";
  for (const { t, p: item, q } of rows.slice(0, 200)) {
    const p = item || { amount: q.amount, source: "cash", vehicle_class: q.cls, flags: [] };
    const d = local(t);
    const li = document.createElement("li");
    li.dataset.src = p.source === "cash" ? "cash" : "qris";
    li.append(
      span("t", (day && d.slice(0, 10) !== day ? d.slice(8, 10) + "/" + d.slice(5, 7) + " " : "") + hm(t)),
      span("k", (p.source === "cash" ? "Tunai" : "QRIS") + (p.vehicle_class ? " · " + label(p.vehicle_class) : "")),
      span("a", rupiah(p.amount)));
    let status = "";
    if (q) {
      li.dataset.ref = q.ref;
      li.className = q.fail ? "fail" : "wait";
      status = q.fail ? "Gagal dikirim: " + q.fail.replace(/\.?$/, ". ") + "Lapor ke pengawas."
        : Date.now() + skew - Date.parse(t) > 864e5 ? "menunggu sinyal · lebih dari 24 jam, lapor ke pengawas" : "menunggu sinyal";
    } else {
      li.dataset.id = p.id;
      if (p.flags.includes("amount_mismatch")) {
        li.className = "fail";
        status = "Jumlah tidak sesuai tagihan";
      }
    }
    if (status) li.append(span("s", status));
    if (q && q.fail) {
      const b = document.createElement("button");
      b.className = "small";
      b.textContent = "Hapus";
      b.addEventListener("click", () => {
        if (confirm("Hapus catatan tunai ini dari HP? Laporkan dulu ke pengawas.")) { updateTap(q.ref); render(); }
      });
      li.append(b);
    }
    ul.append(li);
  }
  $("history-empty").hidden = rows.length > 0;
  renderNet();
}

// ---- The live stream ------------------------------------------------------------------

async function connect() {
  clearTimeout(streamTimer);
  if (stream) stream.abort();
  stream = null;
  if (!me || !me.on_duty) return;
  const ctl = (stream = new AbortController());
  let dog = null;
  let wait = retryMs;
  // A keep-alive comes every 20 s: a quiet 50 s means a dead connection.
  const poke = () => { clearTimeout(dog); dog = setTimeout(() => ctl.abort(), 50000); };
  try {
    poke();
    const res = await fetch(API + "/me/events", {
      headers: headers({ Accept: "text/event-stream" }), cache: "no-store", signal: ctl.signal,
    });
    if (res.status === 401 || res.status === 403) {
      clearTimeout(dog);
      return handle(apiError("http", res.status));
    }
    if (!res.ok || !res.body) throw new Error("HTTP " + res.status);
    fails = 0;
    live = true;
    setOnline(true);
    refreshDay(); // what came while the stream was down
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      poke();
      buf += dec.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let i;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        frame(buf.slice(0, i));
        buf = buf.slice(i + 2);
      }
    }
  } catch (e) {
    if (e instanceof TypeError && !ctl.signal.aborted) setOnline(false);
    wait = Math.min(60000, retryMs * 2 ** fails++) * (0.75 + Math.random() / 2);
  }
  clearTimeout(dog);
  if (ctl !== stream) return; // replaced or stopped meanwhile
  stream = null;
  live = false;
  renderNet();
  streamTimer = setTimeout(connect, wait);
}

function frame(block) {
  let event = "message";
  const data = [];
  for (const line of block.split("\n")) {
    const c = line.indexOf(":");
    if (c === 0 || !line) continue; // a comment
    const key = c < 0 ? line : line.slice(0, c);
    const value = c < 0 ? "" : line.slice(c + 1).replace(/^ /, "");
    if (key === "event") event = value;
    else if (key === "data") data.push(value);
    else if (key === "retry" && /^\d+$/.test(value)) retryMs = Number(value);
  }
  if (event === "reload") return refreshDay();
  if (event !== "payment") return;
  let p;
  try { p = JSON.parse(data.join("\n")); } catch (e) { return; }
  const told = paid.has(p.id) || (charge && p.charge_id === charge.id) || p.source === "cash";
  see(p);
  render();
  soonSummary();
  if (told) return;
  const bad = p.flags.includes("amount_mismatch");
  note("QRIS masuk " + rupiah(p.amount) + " · " + hm(p.paid_at) + (bad ? " · jumlah salah" : ""), bad);
}

// ---- Charges --------------------------------------------------------------------------

async function startCharge(cls) {
  closeCharge();
  try {
    charge = await api("POST", "/me/charges", { vehicle_class: cls });
  } catch (err) {
    handle(err, () => startCharge(cls));
    return;
  }
  charge.cls = cls;
  $("charge").hidden = $("charge-qr").hidden = $("charge-countdown").hidden = false;
  $("charge-label").textContent = label(cls) + " · ref " + charge.reference;
  $("charge-amount").textContent = rupiah(charge.amount);
  hide("charge-paid", "charge-expired", "charge-mismatch");
  try {
    await showImage($("charge-qr"), "/me/charges/" + charge.id + "/qr.png?scale=10&ecc=M");
  } catch (err) {
    handle(err, () => startCharge(cls));
  }
  tick();
  tickTimer = setInterval(tick, 1000);
  pollTimer = setInterval(poll, 2000);
}

function tick() {
  if (!charge) return;
  const left = Math.max(0, Math.round((Date.parse(charge.expires_at) - Date.now() - skew) / 1000));
  $("charge-countdown").textContent = "Berlaku " + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
  if (!left) poll(true);
}

// The charge's status every 2 s while the stream is down, every 10 s while it is live.
async function poll(now) {
  if (!charge || (live && now !== true && ++polls % 5)) return;
  const id = charge.id;
  let c;
  try {
    c = await api("GET", "/me/charges/" + id);
  } catch (err) {
    handle(err, poll);
    return;
  }
  if (!charge || charge.id !== id) return;
  if (c.status === "paid") {
    showPaid(c.amount, c.paid_at);
    soonSummary();
  } else if (c.status === "expired") {
    stopTimers();
    hide("charge-qr", "charge-countdown");
    $("charge-expired").hidden = false;
  }
}

function showPaid(amount, at) {
  stopTimers();
  hide("charge-qr", "charge-countdown", "charge-mismatch", "charge-expired");
  $("paid-amount").textContent = rupiah(amount);
  $("paid-time").textContent = "Dibayar pukul " + localTime(at);
  $("charge-paid").hidden = false;
}

function stopTimers() {
  clearInterval(pollTimer);
  clearInterval(tickTimer);
  pollTimer = tickTimer = null;
}

function closeCharge() {
  stopTimers();
  charge = null;
  hide("charge");
}

// ---- Cash, kept on the phone until the server has it ----------------------------------

function queue() {
  try { return JSON.parse(localStorage.getItem(QUEUE_KEY)) || []; } catch (e) { return []; }
}

const mine = () => (me ? queue().filter((t) => t.who === me.id) : []);

// Reads the queue again before each write: another tab may have added a tap.
function updateTap(ref, change) {
  const q = queue().flatMap((t) => (t.ref !== ref ? [t] : change ? [Object.assign(t, change)] : []));
  localStorage.setItem(QUEUE_KEY, JSON.stringify(q));
}

function confirmCash(cls, amount) {
  $("confirm-text").textContent = "Catat pembayaran tunai " + label(cls) + " " + rupiah(amount) + "?";
  $("confirm").hidden = false;
  $("confirm-yes").onclick = () => {
    hide("confirm");
    tapCash(cls, amount);
  };
  $("confirm-no").onclick = () => hide("confirm");
}

async function tapCash(cls, amount) {
  const ref = "hp-" + Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  hide("cash-note");
  try {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(queue().concat({
      ref, who: me.id, cls, amount, at: new Date(Date.now() + skew).toISOString(),
    })));
  } catch (e) {
    return showBanner("Memori HP penuh: tunai ini tidak tersimpan. Catat di karcis.", null);
  }
  render();
  await flush();
  if (mine().some((t) => t.ref === ref && !t.fail)) note("Tunai " + label(cls) + " " + rupiah(amount) + " disimpan", true);
}

// Sends the waiting taps one by one with their client_ref (a repeat answers the first
// payment). A network failure, 5xx, 408 or 429 leaves a tap waiting; another 4xx marks it
// failed with the server's reason; 401 goes to the login with the taps kept.
async function flush() {
  if (flushing) { again = true; return; }
  flushing = true;
  try {
    do {
      again = false;
      for (const t of mine()) {
        if (t.fail || !me) continue;
        let p;
        try {
          p = await api("POST", "/me/cash", { vehicle_class: t.cls, client_ref: t.ref, recorded_at: t.at });
        } catch (err) {
          if (err.kind === "network" || err.status >= 500 || err.status === 408 || err.status === 429) return;
          if (err.status === 401) return handle(err);
          const b = err.body || {};
          updateTap(t.ref, { fail: (b.errors && b.errors[0] && b.errors[0].message) || b.detail || "ditolak (" + err.status + ")" });
          continue;
        }
        updateTap(t.ref);
        note("Tunai " + label(t.cls) + " " + rupiah(p.amount) + " tercatat " + hm(p.paid_at));
        see(p);
        soonSummary();
      }
    } while (again);
  } finally {
    flushing = false;
    if (me) render();
  }
}

document.addEventListener("DOMContentLoaded", () => {
  renderNet();
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", () => {
    // The token ends on the server too (SPEC §10); on a weak signal the phone does not wait.
    if (localStorage.getItem(TOKEN_KEY)) fetch(API + "/auth/logout", { method: "POST", headers: headers() }).catch(() => {});
    logout("");
  });
  $("charge-close").addEventListener("click", closeCharge);
  $("charge-retry").addEventListener("click", () => charge && startCharge(charge.cls));
  $("banner-retry").addEventListener("click", () => { hide("banner"); if (lastRetry) lastRetry(); });
  // The signal is back (or the attendant asks): what failed without it, again.
  const retry = () => {
    if (!localStorage.getItem(TOKEN_KEY)) return;
    if (!me || !$("static-qr").naturalWidth) return loadHome();
    flush();
    if (!live) connect();
  };
  $("net-retry").addEventListener("click", retry);
  window.addEventListener("online", () => { setOnline(true); retry(); });
  // The stream's loop reconnects with back-off, or at once when the signal is back.
  window.addEventListener("offline", () => { setOnline(false); if (stream) stream.abort(); });
  document.addEventListener("visibilitychange", () => { if (!document.hidden && me && !live) retry(); });
  setInterval(() => {
    if (!me) return;
    if (mine().some((t) => !t.fail)) flush();
    if (!live && online) refreshDay();
  }, 20000);
  // The fixed bar covers the end of the page: leave that much room below it.
  new ResizeObserver(() => document.body.style.setProperty("--bar", $("actions").offsetHeight + "px")).observe($("actions"));
  if (localStorage.getItem(TOKEN_KEY)) loadHome();
  else show("login");
});
