// End-to-end, SPEC §11.2: the attendant's phone on a weak signal. `parkir demo` on a fresh
// database, the page in a 360×640 phone context: a static-QR payment reaches "Riwayat hari ini"
// through the event stream; a charge paid with the wrong amount is told on the charge sheet; a
// cash tap made offline waits on the phone, in view, and is sent exactly once when the signal
// returns; a tap the server refuses stays listed with the server's reason. Dates and instants
// come from the server's answers, never from this machine's clock. Screenshots go to
// target/e2e/4x-phone-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root, shots, startDemo } from "./harness.mjs";

const gatewayKey = readFileSync(join(root, "demo", "snap-gateway-DEMO-ONLY.key"), "utf8");
const PHONE = "081274000001";
const PIN = "240117";

let demo;
let base;
let browser;

/** The server's clock, from its Date header (whole seconds). */
async function serverNow() {
  const r = await fetch(`${base}/healthz`);
  return Date.parse(r.headers.get("date"));
}

/** An instant as the gateway writes it, in WIB. */
function wibTimestamp(ms) {
  return new Date(ms + 7 * 3600e3).toISOString().slice(0, 19) + "+07:00";
}

/** A SNAP QR MPM notify signed as the gateway does (type 2: SHA256withRSA, demo key). Without
 * a reference it is a payment of the spot's static QR, told apart by its terminal. */
async function notifyPaid({ reference, amount, terminal, txn }) {
  const ts = wibTimestamp(await serverNow());
  const payload = {
    originalReferenceNo: txn,
    latestTransactionStatus: "00",
    amount: { value: `${amount}.00`, currency: "IDR" },
    additionalInfo: { terminalId: terminal, paidTime: ts },
  };
  if (reference) payload.originalPartnerReferenceNo = reference;
  const body = JSON.stringify(payload);
  const hash = createHash("sha256").update(body).digest("hex");
  const signature = sign("sha256", Buffer.from(`POST:/v1.0/qr/qr-mpm-notify:${hash}:${ts}`), gatewayKey).toString("base64");
  const res = await fetch(`${base}/snap/v1.0/qr/qr-mpm-notify`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-TIMESTAMP": ts, "X-SIGNATURE": signature, "X-PARTNER-ID": "PARKIR-DEMO-GATEWAY" },
    body,
  });
  return { status: res.status, body: await res.json() };
}

async function apiAs(token, path, opts = {}) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method: opts.method || "GET",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Accept-Language": "id" },
    body: opts.body ? JSON.stringify(opts.body) : undefined,
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function staffToken(username, password) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(res.status, 200);
  return (await res.json()).access_token;
}

/** The attendant's payments of `date` as the admin sees them (all pages are one here). */
async function paymentsOf(admin, attendantId, date) {
  const r = await apiAs(admin, `/payments?attendant_id=${attendantId}&date=${date}&limit=500`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items;
}

/** Whether an element's box lies wholly inside the viewport as it is now (no scrolling). */
function inViewport(page, selector) {
  return page.evaluate((sel) => {
    const els = [...document.querySelectorAll(sel)];
    return els.length > 0 && els.every((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
    });
  }, selector);
}

before(async () => {
  demo = await startDemo("phone");
  ({ base, browser } = demo);
});

after(async () => {
  if (demo) await demo.stop();
});

test("the phone lists payments live, keeps its buttons in reach and sends offline cash once", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const apiCalls = [];
  page.on("request", (r) => { if (r.url().includes("/api/v1/")) apiCalls.push(r); });
  await page.goto(`${base}/jukir`);

  // Log in; the day (and so every date below) is the one the server's summary names.
  await page.fill("#phone", PHONE);
  await page.fill("#pin", PIN);
  const summaryReply = page.waitForResponse((r) => r.url().endsWith("/api/v1/me/summary") && r.ok());
  await page.click("#login-submit");
  const { date, tx_count: seeded } = await (await summaryReply).json();
  await page.waitForSelector("#home:not([hidden])");
  const token = await page.evaluate(() => localStorage.getItem("parkir.jukir.token"));
  const me = (await apiAs(token, "/me")).body;
  const terminal = me.on_duty.spot.terminal_id;
  const admin = await staffToken("admin", "jambi-demo-2026");

  // The stream is open and the day is listed (what the demo seeded before now).
  await page.waitForSelector("#live.on");
  const day = (await apiAs(token, `/me/payments?date=${date}`)).body.items;
  await page.waitForFunction((n) => document.querySelectorAll("#history li[data-id]").length === Math.min(n, 200), day.length);
  await page.waitForFunction(() => {
    const img = document.getElementById("static-qr");
    return img.complete && img.naturalWidth > 0;
  });

  // The charge and cash buttons are on screen without scrolling, big enough for a thumb.
  for (const sel of ["#charge-buttons button", "#cash-buttons button"]) {
    assert.ok(await inViewport(page, sel), `${sel} in the viewport`);
    const boxes = await page.locator(sel).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    assert.ok(boxes.every((h) => h >= 48), `${sel} at least 48 px tall: ${boxes}`);
  }
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById("actions")).position), "fixed");
  await page.screenshot({ path: join(shots, "40-phone-home.png") });
  // …and still there at the end of a long list.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  assert.ok(await page.evaluate(() => scrollY > 0), "the page does scroll");
  assert.ok(await inViewport(page, "#cash-buttons button"), "cash buttons in reach at the bottom of the page");
  await page.screenshot({ path: join(shots, "41-phone-scrolled.png") });
  await page.evaluate(() => window.scrollTo(0, 0));

  // A motorist pays the spot's static QR: the payment arrives through the stream. No request
  // for the day may bring it (the test waits with the list's own requests recorded).
  const callsBefore = apiCalls.length;
  const txn = `E2E-STATIC-${process.pid}`;
  const paid = await notifyPaid({ amount: 2000, terminal, txn });
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  const payment = (await paymentsOf(admin, me.id, date)).find((p) => p.gateway_txn_id === txn);
  assert.ok(payment, "the notify made a payment");
  await page.waitForSelector(`#history li[data-id="${payment.id}"]`, { timeout: 10_000 });
  const reloads = apiCalls.slice(callsBefore).filter((r) => r.url().includes("/me/payments"));
  assert.deepEqual(reloads.map((r) => r.url()), [], "it came by the stream, not by a reload");
  const top = page.locator("#history li").first();
  assert.equal(await top.getAttribute("data-id"), String(payment.id), "newest on top");
  const wibHm = new Date(Date.parse(payment.paid_at) + 7 * 3600e3).toISOString().slice(11, 16).replace(":", ".");
  assert.equal((await top.locator(".t").textContent()).trim(), wibHm);
  // The class is the one the server read from the amount (2000: a motorcycle's tariff).
  const kind = "QRIS" + ({ motorcycle: " · Motor", car: " · Mobil" }[payment.vehicle_class] ?? "");
  assert.equal((await top.locator(".k").textContent()).trim(), kind);
  assert.equal((await top.locator(".a").textContent()).trim(), "Rp2.000");
  assert.match(await page.textContent("#cash-note"), /QRIS masuk Rp2\.000/);
  await page.waitForFunction((n) => document.getElementById("today-count").textContent === String(n), seeded + 1);
  await page.locator("#today").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, "42-phone-riwayat.png") });

  // A charge paid with the wrong amount: the sheet says so, and the charge stays open.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.click('#charge-buttons button[data-class="motorcycle"]');
  await page.waitForSelector("#charge:not([hidden])");
  const reference = (await page.textContent("#charge-label")).split("ref ")[1].trim();
  const short = await notifyPaid({ reference, amount: 1000, terminal, txn: `E2E-SHORT-${process.pid}` });
  assert.equal(short.status, 200, JSON.stringify(short.body));
  await page.waitForSelector("#charge-mismatch:not([hidden])", { timeout: 10_000 });
  assert.match(await page.textContent("#charge-mismatch"), /Dibayar Rp1\.000, bukan Rp2\.000 — minta bayar ulang atau hubungi pengawas/);
  assert.ok(await page.isHidden("#charge-paid"), "not LUNAS");
  assert.ok(await inViewport(page, "#charge-mismatch"), "the warning is on screen");
  await page.screenshot({ path: join(shots, "43-phone-kurang-bayar.png") });
  const full = await notifyPaid({ reference, amount: 2000, terminal, txn: `E2E-FULL-${process.pid}` });
  assert.equal(full.status, 200, JSON.stringify(full.body));
  await page.waitForSelector("#charge-paid:not([hidden])", { timeout: 10_000 });
  assert.ok(await page.isHidden("#charge-mismatch"));
  await page.click("#charge-close");

  // No signal: a cash tap is kept on the phone, listed as waiting, with the notice in view.
  const before = (await paymentsOf(admin, me.id, date)).length;
  await context.setOffline(true);
  await page.waitForSelector("#net:not([hidden])");
  await page.click('#cash-buttons button[data-class="car"]');
  await page.click("#confirm-yes");
  await page.waitForSelector("#history li.wait");
  const queued = await page.evaluate(() => JSON.parse(localStorage.getItem("parkir.jukir.tunai")));
  assert.equal(queued.length, 1);
  const clientRef = queued[0].ref;
  assert.match(clientRef, /^.{1,64}$/);
  assert.equal(queued[0].cls, "car");
  assert.match(await page.textContent(`#history li[data-ref="${clientRef}"]`), /Tunai · Mobil\s*Rp3\.000\s*menunggu sinyal/);
  assert.match(await page.textContent("#net-text"), /Tidak ada sinyal · 1 tunai belum terkirim/);
  assert.match(await page.textContent("#cash-note"), /Tunai Mobil Rp3\.000 disimpan/);
  assert.ok(await inViewport(page, "#net"), "the notice at the top of the screen");
  await page.screenshot({ path: join(shots, "44-phone-offline.png") });
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  assert.ok(await inViewport(page, "#net"), "the notice still in view at the bottom of the page");
  assert.ok(await inViewport(page, "#cash-buttons button"));
  await page.screenshot({ path: join(shots, "45-phone-offline-scrolled.png") });
  assert.equal((await paymentsOf(admin, me.id, date)).length, before, "nothing recorded while offline");

  // The signal returns: the tap is sent, listed as recorded, the notice goes away.
  await context.setOffline(false);
  await page.waitForSelector("#history li.wait", { state: "detached", timeout: 15_000 });
  await page.waitForSelector("#net", { state: "hidden" });
  assert.match(await page.textContent("#cash-note"), /Tunai Mobil Rp3\.000 tercatat/);
  const recorded = (await paymentsOf(admin, me.id, date)).filter((p) => p.client_ref === clientRef);
  assert.equal(recorded.length, 1, "exactly one payment for the tap");
  assert.equal(recorded[0].amount, 3000);
  assert.equal(recorded[0].vehicle_class, "car");
  await page.waitForSelector(`#history li[data-id="${recorded[0].id}"]`);
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem("parkir.jukir.tunai")).length), 0);
  // The same client_ref again is the same payment, never a second one.
  const again = await apiAs(token, "/me/cash", { method: "POST", body: { vehicle_class: "car", client_ref: clientRef, recorded_at: queued[0].at } });
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.id, recorded[0].id);
  assert.equal((await paymentsOf(admin, me.id, date)).filter((p) => p.client_ref === clientRef).length, 1);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, "46-phone-terkirim.png") });

  // Every call asked for Bahasa Indonesia; the stream was opened with the token in a header,
  // never in its URL.
  for (const r of apiCalls) assert.equal((await r.allHeaders())["accept-language"], "id", r.url());
  const streams = apiCalls.filter((r) => r.url().endsWith("/api/v1/me/events"));
  assert.ok(streams.length >= 1);
  for (const r of streams) assert.equal((await r.allHeaders()).authorization, `Bearer ${token}`);
  assert.ok(apiCalls.every((r) => !r.url().includes(token)), "no token in a URL");

  assert.deepEqual(errors, [], "no script errors");
  await context.close();
});

test("a tap the server cannot take yet stays queued; one it refuses stays listed with its reason", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}/jukir`);
  await page.fill("#phone", PHONE);
  await page.fill("#pin", PIN);
  const summaryReply = page.waitForResponse((r) => r.url().endsWith("/api/v1/me/summary") && r.ok());
  await page.click("#login-submit");
  const date = (await (await summaryReply).json()).date;
  await page.waitForSelector("#live.on");
  const token = await page.evaluate(() => localStorage.getItem("parkir.jukir.token"));
  const me = (await apiAs(token, "/me")).body;
  const admin = await staffToken("admin", "jambi-demo-2026");

  // The server answers 503: the tap stays on the phone, however often it is tried.
  let tries = 0;
  await page.route("**/api/v1/me/cash", (route) => {
    tries += 1;
    route.fulfill({ status: 503, contentType: "application/problem+json", body: JSON.stringify({ status: 503, title: "Service Unavailable", detail: "Coba lagi nanti." }) });
  });
  await page.click('#cash-buttons button[data-class="motorcycle"]');
  await page.click("#confirm-yes");
  await page.waitForSelector("#history li.wait");
  const [tap] = await page.evaluate(() => JSON.parse(localStorage.getItem("parkir.jukir.tunai")));
  assert.ok(tries >= 1);
  assert.match(await page.textContent("#net-text"), /1 tunai belum terkirim/);
  assert.ok(await inViewport(page, "#net"));
  await page.screenshot({ path: join(shots, "47-phone-server-down.png") });
  assert.equal((await paymentsOf(admin, me.id, date)).filter((p) => p.client_ref === tap.ref).length, 0);

  // A tap kept more than 24 hours (by the server's clock) that the server refuses: listed as
  // failed with the server's words, never dropped.
  const stale = { ref: "hp-e2e-stale-0001", who: me.id, cls: "car", amount: 3000, at: new Date((await serverNow()) - 25 * 3600e3).toISOString() };
  await page.evaluate((t) => {
    const q = JSON.parse(localStorage.getItem("parkir.jukir.tunai"));
    localStorage.setItem("parkir.jukir.tunai", JSON.stringify(q.concat(t)));
  }, stale);

  // The server is back; a reload sends what waits, with the same client_refs.
  await page.unroute("**/api/v1/me/cash");
  await page.reload();
  await page.waitForSelector(`#history li.fail[data-ref="${stale.ref}"]`, { timeout: 15_000 });
  await page.waitForSelector(`#history li[data-ref="${tap.ref}"]`, { state: "detached" });
  const failed = await page.textContent(`#history li[data-ref="${stale.ref}"]`);
  assert.match(failed, /Gagal dikirim: .*24 jam/, failed);
  assert.match(failed, /Mobil\s*Rp3\.000/);
  const left = await page.evaluate(() => JSON.parse(localStorage.getItem("parkir.jukir.tunai")));
  assert.deepEqual(left.map((t) => t.ref), [stale.ref], "the refused tap is kept, the sent one gone");
  const sent = (await paymentsOf(admin, me.id, date)).filter((p) => p.client_ref === tap.ref);
  assert.equal(sent.length, 1);
  await page.waitForSelector(`#history li[data-id="${sent[0].id}"]`);
  assert.ok(await page.isHidden("#net"), "nothing waits: no notice");
  // In the page, in one step: the live list may re-render between a locator's find and its
  // scroll (the element it found is then detached).
  await page.evaluate((ref) => document.querySelector(`#history li[data-ref="${ref}"]`)?.scrollIntoView({ block: "center" }), stale.ref);
  await page.screenshot({ path: join(shots, "48-phone-ditolak.png") });
  assert.deepEqual(errors, [], "no script errors");
  await context.close();
});
