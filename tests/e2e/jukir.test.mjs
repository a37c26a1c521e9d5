// End-to-end: `parkir demo` on a fresh database. The attendant's page in a phone-sized headless
// Chromium: a wrong PIN, the login, the spot's QR, a motorcycle charge, a signed SNAP notify for
// its reference, and LUNAS. Then the Dishub console at 1366×768: the dashboard and the daily
// recap against the API, closing a day, the workbook download, and an auditor without the close
// button. Screenshots go to target/e2e/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root, shots, startDemo } from "./harness.mjs";

const gatewayKey = readFileSync(join(root, "demo", "snap-gateway-DEMO-ONLY.key"), "utf8");

let demo;
let base;
let browser;

function wibTimestamp() {
  return new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 19) + "+07:00";
}

/** A SNAP QR MPM notify signed as the gateway does (type 2: SHA256withRSA, demo key). */
async function notifyPaid(reference, amount, terminal) {
  const ts = wibTimestamp();
  const body = JSON.stringify({
    originalReferenceNo: `E2E-${Date.now()}`,
    originalPartnerReferenceNo: reference,
    latestTransactionStatus: "00",
    amount: { value: `${amount}.00`, currency: "IDR" },
    additionalInfo: { terminalId: terminal, paidTime: ts },
  });
  const hash = createHash("sha256").update(body).digest("hex");
  const signature = sign("sha256", Buffer.from(`POST:/v1.0/qr/qr-mpm-notify:${hash}:${ts}`), gatewayKey).toString("base64");
  const res = await fetch(`${base}/snap/v1.0/qr/qr-mpm-notify`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-TIMESTAMP": ts, "X-SIGNATURE": signature, "X-PARTNER-ID": "PARKIR-DEMO-GATEWAY" },
    body,
  });
  return { status: res.status, body: await res.json() };
}

before(async () => {
  demo = await startDemo("jukir");
  ({ base, browser } = demo);
});

after(async () => {
  if (demo) await demo.stop();
});

test("an attendant logs in, charges a motorcycle and sees LUNAS", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(`${base}/jukir`);

  // A wrong PIN gets its message.
  await page.fill("#phone", "081274000001");
  await page.fill("#pin", "000000");
  await page.click("#login-submit");
  await page.waitForSelector("#login-error:not([hidden])");
  assert.equal(await page.textContent("#login-error"), "Nomor HP atau PIN salah.");
  await page.screenshot({ path: join(shots, "01-wrong-pin.png") });

  // The right one opens the home screen with the spot's QR, loaded with the token. The day's
  // count is whatever the demo seeded before now (none just after midnight): the test reads it
  // from the summary the page asked for, and later expects its own two payments on top of it.
  await page.fill("#pin", "240117");
  const summary = page.waitForResponse((r) => r.url().endsWith("/api/v1/me/summary") && r.ok());
  await page.click("#login-submit");
  const seeded = (await (await summary).json()).tx_count;
  await page.waitForSelector("#home:not([hidden])");
  await page.waitForFunction(() => {
    const img = document.getElementById("static-qr");
    return img.complete && img.naturalWidth > 0 && img.src.startsWith("blob:");
  });
  assert.equal(await page.textContent("#merchant-name"), "DISHUB KOTA JAMBI");
  assert.match(await page.textContent("#merchant-nmid"), /NMID ID1026100000123 · Terminal JMBPSR001/);
  assert.match(await page.textContent("#spot-code"), /JMB-PSR-001/);
  assert.ok(!(await page.evaluate(() => location.href)).includes("token"), "no token in the URL");
  assert.ok(await page.evaluate(() => !!localStorage.getItem("parkir.jukir.token")));
  await page.waitForFunction((n) => document.getElementById("today-count").textContent === String(n), seeded);
  await page.screenshot({ path: join(shots, "02-home.png"), fullPage: true });

  // Charge a motorcycle: the dynamic QR full screen, with amount and countdown.
  await page.click('#charge-buttons button[data-class="motorcycle"]');
  await page.waitForSelector("#charge:not([hidden])");
  await page.waitForFunction(() => {
    const img = document.getElementById("charge-qr");
    return img.complete && img.naturalWidth > 0;
  });
  assert.equal(await page.textContent("#charge-amount"), "Rp2.000");
  assert.match(await page.textContent("#charge-countdown"), /Berlaku [0-9]+:[0-9]{2}/);
  const label = await page.textContent("#charge-label");
  const reference = label.split("ref ")[1].trim();
  assert.match(reference, /^P[0-9]{6}[0-9A-Z]{10}$/);
  await page.screenshot({ path: join(shots, "03-charge.png") });

  // The gateway pays it; the page shows LUNAS within a poll or two.
  const paid = await notifyPaid(reference, 2000, "JMBPSR001");
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  assert.equal(paid.body.responseCode, "2005200");
  await page.waitForSelector("#charge-paid:not([hidden])", { timeout: 15_000 });
  assert.equal((await page.textContent(".lunas")).trim(), "LUNAS Rp2.000");
  assert.match(await page.textContent("#paid-time"), /Dibayar pukul .* WIB/);
  await page.screenshot({ path: join(shots, "04-lunas.png") });

  // Cash after a confirmation.
  await page.click("#charge-close");
  await page.click('#cash-buttons button[data-class="car"]');
  await page.waitForSelector("#confirm:not([hidden])");
  assert.equal(await page.textContent("#confirm-text"), "Catat pembayaran tunai Mobil Rp3.000?");
  await page.click("#confirm-yes");
  await page.waitForSelector("#cash-note:not([hidden])");
  assert.match(await page.textContent("#cash-note"), /Tunai Mobil Rp3\.000 tercatat/);
  // The day now counts the charge and the cash on top of what was there.
  await page.waitForFunction((n) => document.getElementById("today-count").textContent === String(n), seeded + 2);
  await page.screenshot({ path: join(shots, "05-cash.png") });

  // An expired session goes back to the login with a message.
  await page.evaluate(() => localStorage.setItem("parkir.jukir.token", "expired.token.value"));
  await page.reload();
  await page.waitForSelector("#login-error:not([hidden])");
  assert.equal(await page.textContent("#login-error"), "Sesi Anda berakhir. Silakan masuk lagi.");
  await page.screenshot({ path: join(shots, "06-session-expired.png") });

  assert.deepEqual(errors.filter((e) => !e.includes("401")), [], "no script errors");
  await context.close();
});

test("no signal is a message, never a blank page", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await page.goto(`${base}/jukir`);
  await context.setOffline(true);
  await page.fill("#phone", "081274000002");
  await page.fill("#pin", "240117");
  await page.click("#login-submit");
  await page.waitForSelector("#login-error:not([hidden])");
  assert.match(await page.textContent("#login-error"), /Tidak ada sinyal/);
  await page.screenshot({ path: join(shots, "07-no-signal.png") });
  await context.setOffline(false);
  await context.close();
});

// ---- The Dishub console (/dishub) at 1366×768, against the same demo ----------------------

async function apiAs(token, path, opts = {}) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method: opts.method || "GET",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
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

/** "Rp589.000" → 589000. */
const rupiah = (text) => Number(text.replace(/[^0-9]/g, ""));

async function consoleLogin(context, username, password) {
  const page = await context.newPage();
  await page.goto(`${base}/dishub`);
  await page.fill("#login-username", username);
  await page.fill("#login-password", password);
  await page.click("#login-form button[type=submit]");
  await page.waitForSelector(".kpis");
  return page;
}

test("a Dishub admin sees the day and the month, closes a day and downloads the workbook", async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "id-ID", acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}/dishub`);
  await page.fill("#login-username", "admin");
  await page.fill("#login-password", "bukan-kata-sandinya");
  await page.click("#login-form button[type=submit]");
  await page.waitForFunction(() => document.getElementById("login-error").textContent !== "");
  assert.equal(await page.textContent("#login-error"), "Nama pengguna atau kata sandi salah.");
  await page.screenshot({ path: join(shots, "10-dishub-wrong-password.png") });

  await page.fill("#login-password", "jambi-demo-2026");
  const monthlyReply = page.waitForResponse((r) => r.url().includes("/api/v1/reports/monthly?") && r.ok());
  await page.click("#login-form button[type=submit]");
  await page.waitForSelector(".kpis");
  const monthly = await (await monthlyReply).json();
  // The dashboard's month equals the API's for the month the page asked for.
  const token = await staffToken("admin", "jambi-demo-2026");
  const api = await apiAs(token, `/reports/monthly?month=${monthly.month}`);
  assert.equal(rupiah(await page.textContent(".kpi:nth-child(4) .kpi-value")), api.body.totals.gross);
  assert.equal(await page.locator("svg.chart").count(), 2, "daily revenue and QRIS adoption");
  await page.screenshot({ path: join(shots, "11-dishub-beranda.png"), fullPage: true });

  // The daily recap (yesterday by default) equals GET /reconciliation/daily.
  await page.click("nav a[data-page=rekap-harian]");
  await page.waitForSelector("#rekap-total");
  const date = await page.inputValue("#rekap-date");
  const daily = await apiAs(token, `/reconciliation/daily?date=${date}`);
  const totalCells = await page.locator("#rekap-total th").allTextContents();
  assert.equal(Number(totalCells[2].replace(/\./g, "")), daily.body.totals.tx_count);
  assert.equal(rupiah(totalCells[5]), daily.body.totals.gross);
  assert.equal(await page.locator("#rekap-table tbody tr").count(), daily.body.rows.length);
  await page.screenshot({ path: join(shots, "12-dishub-rekap-harian.png"), fullPage: true });

  const download = page.waitForEvent("download");
  await page.click("text=Unduh Excel");
  const file = await download;
  assert.equal(file.suggestedFilename(), `rekonsiliasi-${date}.xlsx`);
  await file.saveAs(join(shots, file.suggestedFilename()));

  // Close the day, confirmed.
  page.once("dialog", (d) => d.accept());
  await page.click("#close-day");
  await page.waitForSelector(".badge.closed");
  assert.equal((await apiAs(token, `/reconciliation/daily?date=${date}`)).body.closed, true);
  assert.equal(await page.locator("#close-day").count(), 0, "a closed day has no close button");
  await page.screenshot({ path: join(shots, "13-dishub-closed.png"), fullPage: true });

  // Today has not ended: the recap says so and offers no close (SPEC §8).
  const today = new Date().toLocaleDateString("en-CA", { timeZone: "Asia/Jakarta" });
  await page.goto(`${base}/dishub#/rekap-harian?date=${today}&zone=`);
  await page.waitForSelector("#rekap-running");
  assert.equal(await page.locator("#close-day").count(), 0, "today cannot be closed");
  await page.screenshot({ path: join(shots, "13b-dishub-today-running.png"), fullPage: true });

  await page.click("nav a[data-page=rekap-bulanan]");
  await page.waitForSelector("#bulanan-table tbody tr");
  await page.screenshot({ path: join(shots, "14-dishub-rekap-bulanan.png"), fullPage: true });

  // A bank file: three of that day's payments and one Parkir never heard of.
  const paid = await apiAs(token, `/payments?date=${date}&status=paid&limit=500`);
  const rows = paid.body.items.filter((p) => p.gateway === "snap").slice(0, 3)
    .map((p) => `${p.gateway_txn_id},${p.paid_at},${p.amount},14,${p.amount - 14},${p.terminal_id ?? ""},ID1026100000123`);
  const csv = ["reference,paid_at,amount,fee,net,terminal_id,nmid", ...rows,
    `E2E-NOT-IN-PARKIR,${date}T10:00:00+07:00,2000,14,1986,JMBPSR001,ID1026100000123`].join("\n") + "\n";
  await page.click("nav a[data-page=setelmen]");
  await page.setInputFiles("#settlement-file", { name: "setelmen.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.click("#settlement-form button[type=submit]");
  await page.waitForSelector("#settlement-result:not([hidden])");
  const counts = await page.locator("#settlement-result .kpi").allTextContents();
  assert.ok(counts.some((c) => c.startsWith("MATCHED") && c.endsWith(String(rows.length))), counts.join("|"));
  assert.ok(counts.some((c) => c.startsWith("MISSING_CALLBACK") && c.endsWith("1")), counts.join("|"));
  await page.screenshot({ path: join(shots, "15-dishub-setelmen.png"), fullPage: true });

  // The registry: a bad NIK gets its message next to the field; a new attendant; a PIN reset.
  await page.click("nav a[data-page=registri]");
  await page.waitForSelector("#attendants-table");
  await page.fill("#attendant-form input[name=name]", "Yusuf Effendi");
  await page.fill("#attendant-form input[name=nik]", "12345");
  await page.click("#attendant-form button[type=submit]");
  await page.waitForFunction(() => document.querySelector('.field-error[data-for="nik"]').textContent !== "");
  assert.equal(await page.textContent('.field-error[data-for="nik"]'), "harus 16 digit");
  await page.fill("#attendant-form input[name=nik]", "1571013003950011");
  await page.fill("#attendant-form input[name=phone]", "0812 7400 0099");
  await page.fill("#attendant-form input[name=kta_number]", "KTA-JMB-2026-099");
  await page.fill("#attendant-form input[name=pin]", "135790");
  await page.click("#attendant-form button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#attendants-table")?.textContent.includes("Yusuf Effendi"));
  const row = page.locator("#attendants-table tr", { hasText: "Yusuf Effendi" });
  // A PIN reset in a masked field; a weak PIN is refused next to the field (SPEC §10).
  await row.locator("text=Reset PIN").click();
  await page.waitForSelector(".pin-reset input[name=pin]");
  assert.equal(await page.getAttribute(".pin-reset input[name=pin]", "type"), "password");
  await page.fill(".pin-reset input[name=pin]", "123456");
  await page.click(".pin-reset button[type=submit]");
  await page.waitForFunction(() => document.querySelector('.pin-reset .field-error[data-for="pin"]').textContent !== "");
  assert.match(await page.textContent('.pin-reset .field-error[data-for="pin"]'), /deret angka/);
  await page.screenshot({ path: join(shots, "16b-dishub-reset-pin.png"), fullPage: true });
  await page.fill(".pin-reset input[name=pin]", "246801");
  const reset = page.waitForResponse((r) => r.url().endsWith("/pin"));
  await page.click(".pin-reset button[type=submit]");
  assert.equal((await reset).status(), 204);
  const login = await fetch(`${base}/api/v1/auth/attendant-login`, { method: "POST",
    headers: { "Content-Type": "application/json" }, body: JSON.stringify({ phone: "081274000099", pin: "246801" }) });
  assert.equal(login.status, 200, "the new PIN logs in");
  // Edit: a bad phone gets its message next to the field; a good one is saved.
  await row.locator("text=Ubah").click();
  await page.fill(".attendant-edit input[name=phone]", "12");
  await page.click(".attendant-edit button[type=submit]");
  await page.waitForFunction(() => document.querySelector('.attendant-edit .field-error[data-for="phone"]').textContent !== "");
  await page.fill(".attendant-edit input[name=phone]", "0812 7400 0098");
  await page.fill(".attendant-edit input[name=name]", "Yusuf Effendi S.");
  await page.click(".attendant-edit button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#attendants-table")?.textContent.includes("Yusuf Effendi S."));
  assert.equal(await page.locator("#duty-timeline svg.chart").count(), 1, "duty on a timeline");
  await page.screenshot({ path: join(shots, "16-dishub-registri.png"), fullPage: true });

  await page.click("text=Cetak poster zona ini (A4)");
  await page.waitForSelector("#poster-sheet img");
  await page.waitForFunction(() => [...document.querySelectorAll("#poster-sheet img")].every((i) => i.complete && i.naturalWidth > 0));
  await page.screenshot({ path: join(shots, "17-dishub-poster.png"), fullPage: true });

  await page.click("nav a[data-page=pembayaran]");
  await page.waitForSelector("#pay-table tbody tr");
  // Search one payment by its transaction id.
  await page.fill("#pay-reference", rows.length ? paid.body.items.find((p) => p.gateway === "snap").gateway_txn_id : "x");
  await page.dispatchEvent("#pay-reference", "change");
  await page.waitForFunction(() => document.querySelectorAll("#pay-table tbody tr.click").length === 1);
  await page.screenshot({ path: join(shots, "18-dishub-pembayaran.png"), fullPage: true });
  await page.click("nav a[data-page=pengguna]");
  await page.waitForSelector("#users-table");
  await page.screenshot({ path: join(shots, "19-dishub-pengguna.png"), fullPage: true });
  assert.deepEqual(errors, [], "no script errors");
  await context.close();
});

test("an auditor sees the recap but no button to close it", async () => {
  const admin = await staffToken("admin", "jambi-demo-2026");
  const created = await apiAs(admin, "/users", { method: "POST", body: { username: "auditor.e2e", role: "auditor", password: "auditor-e2e-2026" } });
  assert.equal(created.status, 201);
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "id-ID" });
  const page = await consoleLogin(context, "auditor.e2e", "auditor-e2e-2026");
  // Two days ago: seeded by the demo and still open.
  const open = new Date(Date.now() + 7 * 3600e3 - 2 * 86400e3).toISOString().slice(0, 10);
  await page.goto(`${base}/dishub#/rekap-harian?date=${open}`);
  await page.waitForSelector("#rekap-total");
  assert.equal(await page.locator(".badge.open").count(), 1);
  assert.equal(await page.locator("#close-day").count(), 0);
  assert.match(await page.textContent("#who"), /Auditor/);
  assert.equal(await page.locator("nav a[data-page=pengguna]:visible").count(), 0, "no user management");
  await page.screenshot({ path: join(shots, "20-dishub-auditor.png"), fullPage: true });
  // Alerts: read, but nothing to press.
  await page.click("nav a[data-page=peringatan]");
  await page.waitForSelector("#alert-list");
  assert.equal(await page.locator("form.triage").count(), 0);
  assert.equal(await page.locator("#evaluate").count(), 0);
  await context.close();
});

test("a supervisor reads the demo's leak alerts in plain numbers and an admin prints an SP1", async () => {
  const admin = await staffToken("admin", "jambi-demo-2026");
  const made = await apiAs(admin, "/users", { method: "POST", body: { username: "supervisor.e2e", role: "supervisor", password: "supervisor-e2e-2026" } });
  assert.equal(made.status, 201);
  const open = await apiAs(admin, "/alerts?status=open&limit=100");
  const spots = await apiAs(admin, "/spots?limit=100");
  const spotId = (code) => spots.body.items.find((s) => s.code === code).id;
  // The demo's seeded incidents: yesterday JMB-TLN-005 took only cash; JMB-TLN-004 leaked.
  const silence = open.body.items.find((a) => a.kind === "qr_silence" && a.spot_id === spotId("JMB-TLN-005"));
  assert.ok(silence, JSON.stringify(open.body.items.map((a) => [a.kind, a.spot_id])));
  assert.ok(open.body.items.some((a) => a.kind === "noncash_drop" && a.spot_id === spotId("JMB-TLN-004")));
  // The demo has no payments today, so today's evaluation may find the whole city silent: a
  // city-wide gateway_silence, about no spot.
  assert.ok(open.body.items.every((a) => a.kind === "shortfall_streak" || a.kind === "cash_shift"
    || (a.kind === "gateway_silence" && a.spot_id == null)
    || [spotId("JMB-TLN-004"), spotId("JMB-TLN-005")].includes(a.spot_id)), "no other spot alerted");

  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "id-ID" });
  const errors = [];
  const page = await consoleLogin(context, "supervisor.e2e", "supervisor-e2e-2026");
  page.on("pageerror", (e) => errors.push(e.message));
  await page.click("nav a[data-page=peringatan]");
  await page.waitForSelector("#alert-list");
  assert.equal(await page.locator("article.alert").count(), open.body.items.length);
  const card = page.locator(`article.alert[data-alert="${silence.id}"]`);
  assert.equal((await card.locator(".summary").textContent()).trim(), silence.evidence.summary);
  assert.match(await card.textContent(), /Diperkirakan/);
  assert.equal(await page.locator("button[data-action=SP1]").count(), 0, "letters are the admin's");
  await page.screenshot({ path: join(shots, "21-dishub-peringatan.png"), fullPage: true });
  // A line of the compact list opens its evidence, notes and actions.
  await card.locator(".alert-line").click();
  await card.locator("textarea").fill("Petugas dikirim ke JMB-TLN-005.");
  const patched = page.waitForResponse((r) => r.url().endsWith(`/alerts/${silence.id}`) && r.request().method() === "PATCH");
  await card.locator("button[data-action=acknowledge]").click();
  assert.equal((await patched).status(), 200);
  const after = await apiAs(admin, `/alerts?kind=qr_silence&spot_id=${spotId("JMB-TLN-005")}`);
  assert.equal(after.body.items[0].status, "acknowledged");
  assert.equal(after.body.items[0].notes[0].text, "Petugas dikirim ke JMB-TLN-005.");
  await context.close();

  // The admin turns the streak into an SP1 and prints it.
  const adminContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "id-ID" });
  const adminPage = await consoleLogin(adminContext, "admin", "jambi-demo-2026");
  adminPage.on("pageerror", (e) => errors.push(e.message));
  await adminPage.goto(`${base}/dishub#/peringatan?status=open&kind=shortfall_streak`);
  await adminPage.locator("#alert-list article.alert .alert-line").first().click();
  await adminPage.waitForSelector("button[data-action=SP1]");
  // Issuing a letter asks first (SPEC §11.1).
  adminPage.once("dialog", (d) => d.accept());
  await adminPage.locator("button[data-action=SP1]").first().click();
  await adminPage.waitForSelector("#letter");
  const streak = (await apiAs(admin, "/alerts?kind=shortfall_streak")).body.items[0];
  const letters = await apiAs(admin, `/attendants/${streak.attendant_id}/warning-letters`);
  assert.equal(letters.body.length, 1);
  assert.equal(rupiah(await adminPage.textContent("#letter-total")), letters.body[0].total_shortfall);
  assert.equal(letters.body[0].total_shortfall, streak.evidence.total_shortfall);
  assert.match(await adminPage.textContent("#letter"), /SURAT PERINGATAN PERTAMA \(SP1\)/);
  // The letterhead and the signature block come from the office settings (the demo's).
  assert.match(await adminPage.textContent("#letter"), /Dinas Perhubungan Kota Jambi/i);
  assert.match(await adminPage.textContent("#letter"), /Kepala Dinas Perhubungan Kota Jambi/);
  await adminPage.screenshot({ path: join(shots, "22-dishub-surat-sp1.png"), fullPage: true });
  await adminPage.emulateMedia({ media: "print" });
  await adminPage.screenshot({ path: join(shots, "23-dishub-surat-sp1-print.png"), fullPage: true });
  assert.deepEqual(errors, [], "no script errors");
  await adminContext.close();
});

test("a motorist checks JMB-PSR-001 on a phone and reports a different QR; Dishub sees it", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, javaScriptEnabled: false });
  const page = await context.newPage();
  // The landing page: the code as people type it leads to the spot's page (SPEC §13).
  await page.goto(`${base}/cek`);
  await page.screenshot({ path: join(shots, "29-cek-landing.png"), fullPage: true });
  await page.fill("#code", "jmb-psr-001");
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/cek/JMB-PSR-001`);
  const text = await page.textContent("main");
  assert.match(text, /Ahmad Fauzi/);
  assert.match(text, /KTA-JMB-2026-001/);
  assert.match(text, /DISHUB KOTA JAMBI/);
  assert.match(text, /NMID ID1026100000123/);
  assert.match(text, /pastikan nama di aplikasi Anda sama/i);
  await page.screenshot({ path: join(shots, "30-cek.png"), fullPage: true });
  // Nothing chosen: the message is next to the choices, nothing is stored.
  await page.click("button[type=submit]");
  assert.match(await page.textContent("main"), /Pilih jenis laporan/);
  await page.check("input[value=qr_berbeda]");
  await page.fill("#note", "Stiker QR di tiang atas nama pribadi.");
  await page.click("button[type=submit]");
  const reference = (await page.textContent(".ref")).trim();
  assert.match(reference, /^LW-[0-9]{6}-[A-Z0-9]{6}$/);
  await page.screenshot({ path: join(shots, "31-cek-terkirim.png"), fullPage: true });
  await page.goto(`${base}/cek/JMB-ZZZ-404`);
  assert.match(await page.textContent("main"), /tidak terdaftar/);
  // The city's hotline and a report form for an unregistered kerb (SPEC §13).
  assert.match(await page.textContent("main"), /0811-7400-100/);
  assert.equal(await page.locator("input[value=jukir_tidak_resmi]").count(), 1);
  await page.screenshot({ path: join(shots, "32-cek-404.png"), fullPage: true });
  await context.close();

  const admin = await staffToken("admin", "jambi-demo-2026");
  const spots = await apiAs(admin, "/spots?limit=100");
  const spot = spots.body.items.find((s) => s.code === "JMB-PSR-001").id;
  const alerts = await apiAs(admin, `/alerts?kind=citizen_reports&spot_id=${spot}`);
  assert.equal(alerts.body.items.length, 1);
  assert.ok(alerts.body.items[0].evidence.references.includes(reference));
  const consoleContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "id-ID" });
  const console_ = await consoleLogin(consoleContext, "admin", "jambi-demo-2026");
  await console_.click("nav a[data-page=laporan-warga]");
  await console_.waitForSelector("#report-list");
  assert.match(await console_.textContent("#report-list"), new RegExp(reference));
  await console_.screenshot({ path: join(shots, "33-dishub-laporan-warga.png"), fullPage: true });
  await console_.goto(`${base}/dishub#/peringatan?status=open&kind=citizen_reports`);
  await console_.waitForSelector(`article.alert[data-kind=citizen_reports]`);
  await console_.screenshot({ path: join(shots, "34-dishub-peringatan-warga.png"), fullPage: true });
  await consoleContext.close();
});
