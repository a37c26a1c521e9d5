// Parkir — the attendant's phone page. Plain JavaScript, no dependencies, no inline code
// (the Content-Security-Policy allows only this origin). The token lives in localStorage,
// never in a URL.
"use strict";

const TOKEN_KEY = "parkir.jukir.token";
const API = "/api/v1";
const LABELS = { motorcycle: "Motor", car: "Mobil", truck: "Truk", bus: "Bus", bicycle: "Sepeda" };
const $ = (id) => document.getElementById(id);

let me = null;
let charge = null;
let pollTimer = null;
let tickTimer = null;
let summaryTimer = null;
let lastRetry = null;

function rupiah(n) {
  const s = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return (n < 0 ? "-" : "") + "Rp" + s;
}

function label(cls) {
  return LABELS[cls] || cls.charAt(0).toUpperCase() + cls.slice(1).replace(/_/g, " ");
}

function wibTime(iso) {
  return new Date(iso).toLocaleTimeString("id-ID", {
    timeZone: "Asia/Jakarta", hour: "2-digit", minute: "2-digit", second: "2-digit",
  }) + " WIB";
}

class ApiError extends Error {
  constructor(kind, status, body, retryAfter) {
    super(kind);
    this.kind = kind;
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
  }
}

async function api(method, path, body, raw) {
  const headers = {};
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) headers["Authorization"] = "Bearer " + token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let res;
  try {
    res = await fetch(API + path, {
      method, headers, cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError("network", 0, null, null);
  }
  if (!res.ok) {
    let problem = null;
    try { problem = await res.json(); } catch (e) { problem = null; }
    throw new ApiError("http", res.status, problem, res.headers.get("Retry-After"));
  }
  return raw ? res.blob() : res.json();
}

function showBanner(text, retry) {
  $("banner-text").textContent = text;
  lastRetry = retry || null;
  $("banner-retry").hidden = !retry;
  $("banner").hidden = false;
}

function hideBanner() {
  $("banner").hidden = true;
}

// Every failure ends in a message: network → "Tidak ada sinyal", 401 → back to login.
function handle(err, retry) {
  if (err.kind === "network") {
    showBanner("Tidak ada sinyal. Periksa koneksi Anda.", retry);
  } else if (err.status === 401) {
    logout("Sesi Anda berakhir. Silakan masuk lagi.");
  } else if (err.status === 403) {
    logout("Akun Anda tidak aktif. Hubungi Dishub.");
  } else if (err.status === 409) {
    showBanner("Anda tidak sedang bertugas saat ini.", retry);
  } else {
    const detail = err.body && err.body.detail ? err.body.detail : "Terjadi kesalahan.";
    showBanner(detail, retry);
  }
}

async function showImage(img, path) {
  const blob = await api("GET", path, undefined, true);
  if (img.dataset.url) URL.revokeObjectURL(img.dataset.url);
  const url = URL.createObjectURL(blob);
  img.dataset.url = url;
  img.src = url;
}

function show(section) {
  $("login").hidden = section !== "login";
  $("home").hidden = section !== "home";
  $("logout").hidden = section !== "home";
}

function logout(message) {
  localStorage.removeItem(TOKEN_KEY);
  me = null;
  closeCharge();
  clearInterval(summaryTimer);
  hideBanner();
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
    if (err.kind === "network") {
      e.textContent = "Tidak ada sinyal. Periksa koneksi lalu coba lagi.";
    } else if (err.status === 401) {
      e.textContent = "Nomor HP atau PIN salah.";
    } else if (err.status === 429) {
      const minutes = Math.max(1, Math.ceil(Number(err.retryAfter || 60) / 60));
      e.textContent = "Terlalu banyak percobaan. Coba lagi dalam " + minutes + " menit.";
    } else if (err.status === 403) {
      e.textContent = "Akun Anda tidak aktif. Hubungi Dishub.";
    } else if (err.status === 400) {
      e.textContent = "Periksa nomor HP: contoh 081234567890.";
    } else {
      e.textContent = "Gagal masuk. Coba lagi.";
    }
    e.hidden = false;
  } finally {
    $("login-submit").disabled = false;
  }
}

function classButtons(container, onClick) {
  container.textContent = "";
  const tariffs = me.on_duty.tariffs || {};
  const order = Object.keys(tariffs).sort((a, b) => {
    const rank = (c) => (c === "motorcycle" ? 0 : c === "car" ? 1 : 2);
    return rank(a) - rank(b) || a.localeCompare(b);
  });
  for (const cls of order) {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.class = cls;
    b.textContent = label(cls) + " " + rupiah(tariffs[cls]);
    b.addEventListener("click", () => onClick(cls, tariffs[cls]));
    container.appendChild(b);
  }
}

async function loadHome() {
  try {
    me = await api("GET", "/me");
  } catch (err) {
    handle(err, loadHome);
    if (err.kind === "network" && !me) show(localStorage.getItem(TOKEN_KEY) ? "home" : "login");
    return;
  }
  hideBanner();
  show("home");
  const duty = me.on_duty;
  $("off-duty").hidden = !!duty;
  $("qr-card").hidden = !duty;
  $("today").hidden = !duty;
  $("charge-card").hidden = !duty;
  if (!duty) {
    $("spot-name").textContent = me.name;
    $("spot-code").textContent = "";
    return;
  }
  $("spot-name").textContent = duty.spot.name;
  $("spot-code").textContent = "Titik " + duty.spot.code + " · " + duty.zone_name;
  $("merchant-name").textContent = duty.qris.merchant_name;
  $("merchant-nmid").textContent = "NMID " + (duty.qris.nmid || "-") + " · Terminal " + (duty.qris.terminal_label || duty.spot.terminal_id);
  classButtons($("charge-buttons"), (cls) => startCharge(cls));
  classButtons($("cash-buttons"), (cls, amount) => confirmCash(cls, amount));
  try {
    await showImage($("static-qr"), "/me/qr.png?scale=10&ecc=M");
  } catch (err) {
    handle(err, loadHome);
  }
  refreshSummary();
  clearInterval(summaryTimer);
  summaryTimer = setInterval(refreshSummary, 15000);
}

async function refreshSummary() {
  if (!me || !me.on_duty) return;
  try {
    const s = await api("GET", "/me/summary");
    $("today-count").textContent = String(s.tx_count);
    $("today-gross").textContent = rupiah(s.gross);
    $("today-share").textContent = rupiah(s.attendant_share);
    hideBanner();
  } catch (err) {
    handle(err, refreshSummary);
  }
}

async function startCharge(cls) {
  closeCharge();
  try {
    charge = await api("POST", "/me/charges", { vehicle_class: cls });
  } catch (err) {
    handle(err, () => startCharge(cls));
    return;
  }
  charge.cls = cls;
  $("charge").hidden = false;
  $("charge-label").textContent = label(cls) + " · ref " + charge.reference;
  $("charge-amount").textContent = rupiah(charge.amount);
  $("charge-paid").hidden = true;
  $("charge-expired").hidden = true;
  $("charge-qr").hidden = false;
  $("charge-countdown").hidden = false;
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
  const left = Math.max(0, Math.round((new Date(charge.expires_at) - Date.now()) / 1000));
  const m = Math.floor(left / 60);
  const s = String(left % 60).padStart(2, "0");
  $("charge-countdown").textContent = "Berlaku " + m + ":" + s;
}

async function poll() {
  if (!charge) return;
  let c;
  try {
    c = await api("GET", "/me/charges/" + charge.id);
  } catch (err) {
    handle(err, poll);
    return;
  }
  hideBanner();
  if (c.status === "paid") {
    stopTimers();
    $("charge-qr").hidden = true;
    $("charge-countdown").hidden = true;
    $("paid-amount").textContent = rupiah(c.amount);
    $("paid-time").textContent = "Dibayar pukul " + wibTime(c.paid_at);
    $("charge-paid").hidden = false;
    refreshSummary();
  } else if (c.status === "expired") {
    stopTimers();
    $("charge-qr").hidden = true;
    $("charge-countdown").hidden = true;
    $("charge-expired").hidden = false;
  }
}

function stopTimers() {
  clearInterval(pollTimer);
  clearInterval(tickTimer);
  pollTimer = tickTimer = null;
}

function closeCharge() {
  stopTimers();
  charge = null;
  $("charge").hidden = true;
}

function confirmCash(cls, amount) {
  $("confirm-text").textContent = "Catat pembayaran tunai " + label(cls) + " " + rupiah(amount) + "?";
  $("confirm").hidden = false;
  $("confirm-yes").onclick = async () => {
    $("confirm").hidden = true;
    try {
      const p = await api("POST", "/me/cash", { vehicle_class: cls });
      const note = $("cash-note");
      note.textContent = "Tunai " + label(cls) + " " + rupiah(p.amount) + " tercatat pukul " + wibTime(p.paid_at) + ".";
      note.hidden = false;
      refreshSummary();
    } catch (err) {
      handle(err, () => confirmCash(cls, amount));
    }
  };
  $("confirm-no").onclick = () => { $("confirm").hidden = true; };
}

document.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", () => {
    // The token ends on the server too (SPEC §10); on a weak signal the phone does not wait.
    const token = localStorage.getItem(TOKEN_KEY);
    if (token) fetch("/api/v1/auth/logout", { method: "POST", headers: { Authorization: `Bearer ${token}` } }).catch(() => {});
    logout("");
  });
  $("charge-close").addEventListener("click", closeCharge);
  $("charge-retry").addEventListener("click", () => charge && startCharge(charge.cls));
  $("banner-retry").addEventListener("click", () => { hideBanner(); if (lastRetry) lastRetry(); });
  window.addEventListener("online", () => { hideBanner(); if (me) loadHome(); });
  window.addEventListener("offline", () => showBanner("Tidak ada sinyal. Periksa koneksi Anda.", loadHome));
  if (localStorage.getItem(TOKEN_KEY)) {
    loadHome();
  } else {
    show("login");
  }
});
