// End-to-end: bagi hasil from the Dishub console (SPEC §15). `parkir demo` on a fresh database,
// headless Chromium at 1366×768 in an English browser. Two past days (the server's yesterday and
// the day before, as its daily report names them) are closed through the API; then, in the
// console only, an admin records a cash deposit and drafts a run over those days, whose lines
// must equal a hand computation from the days' frozen reconciliation rows; the same admin may not
// approve it (four eyes: the API's 403 is shown), a second admin approves it, downloads the bank's
// transfer file (its amounts sum to the run's payable total) and records the bank references; an
// auditor only reads; and the demo attendant sees the statement on the phone. No wall clock.
// Screenshots go to target/e2e/6x-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { shots, startDemo } from "./harness.mjs";


let demo;
let base;
let browser;

before(async () => {
  demo = await startDemo("payouts", { lang: "en-US" });
  ({ base, browser } = demo);
});

after(async () => {
  if (demo) await demo.stop();
});


// ---- helpers -------------------------------------------------------------------------------------

const ADMIN = ["admin", "jambi-demo-2026"];
const PHONE = "081274000001";
const PIN = "240117";

/** The API in Bahasa, as the console asks it. */
async function call(token, method, path, body) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Accept-Language": "id", ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
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

/** "Rp589.000" → 589000, "−Rp1.000" → -1000. */
const rupiah = (text) => (/[−-]/.test(text) ? -1 : 1) * Number(text.replace(/[^0-9]/g, ""));
const rp = (n) => (n < 0 ? "−Rp" : "Rp") + new Intl.NumberFormat("id-ID").format(Math.abs(n));
const dmy = (iso) => iso.split("-").reverse().join("/");
function addDays(iso, n) {
  const d = new Date(iso + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

async function newConsole() {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "en-US", acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  const languages = new Set();
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => {
    if (r.url().includes("/api/v1/")) languages.add(r.headers()["accept-language"]);
  });
  return { context, page, errors, languages };
}

async function consoleLogin(page, username, password) {
  await page.goto(`${base}/dishub`);
  await page.fill("#login-username", username);
  await page.fill("#login-password", password);
  await page.click("#login-form button[type=submit]");
  await page.waitForSelector(".kpis");
}

const errorOf = (page, form, path) => page.locator(`${form} .field-error[data-for="${path}"]`);

/** The console's run page, read back: one object per line row, money as numbers. */
async function linesShown(page) {
  return page.$$eval("#payout-lines tbody tr[data-attendant]", (rows) => rows.map((tr) => ({
    attendant_id: Number(tr.dataset.attendant),
    cells: [...tr.children].map((td) => td.textContent.trim()),
  })));
}

// ---- the test --------------------------------------------------------------------------------------

test("a run over two closed days: drafted, refused to its maker, approved by another admin, transferred, paid, seen on the phone", async () => {
  const admin = await staffToken(...ADMIN);

  // The two days: the server's yesterday (its daily report's default date) and the day before.
  const yesterday = (await call(admin, "GET", "/reconciliation/daily")).body;
  const days = [addDays(yesterday.date, -1), yesterday.date];
  for (const d of days) {
    const closed = await call(admin, "POST", `/reconciliation/daily/${d}/close`, {});
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
  }
  // The hand computation from the frozen rows: the attendant's share of non-cash, the city's of cash.
  const expected = new Map();
  for (const d of days) {
    const report = (await call(admin, "GET", `/reconciliation/daily?date=${d}`)).body;
    assert.equal(report.closed, true);
    for (const r of report.rows) {
      if (r.attendant_id == null || !r.gross) continue;
      const e = expected.get(r.attendant_id) || { name: r.name, noncash_share: 0, cash_city_share: 0, deposits: 0 };
      const noncash = (r.noncash_gross * r.attendant_share) / r.gross;
      const cash = (r.cash_gross * r.city_share) / r.gross;
      assert.ok(Number.isInteger(noncash) && Number.isInteger(cash), `whole rupiah for ${r.name} on ${d}`);
      e.noncash_share += noncash;
      e.cash_city_share += cash;
      expected.set(r.attendant_id, e);
    }
  }
  assert.ok(expected.size >= 2, "attendants worked those days");
  const people = (await call(admin, "GET", "/attendants?limit=500")).body.items;
  const ahmad = people.find((a) => a.phone.replace(/\D/g, "").endsWith(PHONE.slice(1)));
  assert.ok(ahmad, "the demo attendant");

  // ---- the first admin: a cash deposit, then the draft ---------------------------------------
  const first = await newConsole();
  const { page } = first;
  await consoleLogin(page, ...ADMIN);
  await page.click("nav a[data-page=bagi-hasil]");
  await page.waitForSelector("#run-form");

  // A deposit with nothing chosen and a bad amount: each message next to its field.
  await page.fill("#deposit-form [name=amount]", "50,5");
  await page.click("#deposit-form button[type=submit]");
  await assert.doesNotReject(errorOf(page, "#deposit-form", "attendant_id").filter({ hasText: /pilih/ }).waitFor());
  assert.match(await errorOf(page, "#deposit-form", "amount").textContent(), /rupiah/);
  assert.match(await errorOf(page, "#deposit-form", "deposited_at.time").textContent(), /wajib/);
  await page.selectOption("#deposit-form [name=attendant_id]", { label: `${ahmad.name} (${ahmad.kta_number})` });
  await page.fill("#deposit-form [name=amount]", "50.000");
  await page.fill("#deposit-date-text", dmy(days[1]));
  await page.fill("#deposit-form [name=deposit_time]", "16.30");
  await page.fill("#deposit-form [name=reference]", "STR-E2E-0001");
  await page.click("#deposit-form button[type=submit]");
  await page.waitForSelector("#deposits-table tr[data-deposit]");
  const depositRow = (await page.locator("#deposits-table tr[data-deposit]").first().textContent());
  assert.match(depositRow, new RegExp(`${dmy(days[1])} 16\\.30 WIB`));
  assert.match(depositRow, /Rp50\.000/);
  expected.get(ahmad.id).deposits = 50000;

  // The period backwards: the server's message stands next to "Sampai tanggal".
  await page.fill("#run-from-text", dmy(days[1]));
  await page.fill("#run-to-text", dmy(days[0]));
  await page.click("#run-form button[type=submit]");
  await errorOf(page, "#run-form", "to").filter({ hasText: /./ }).waitFor();
  await page.screenshot({ path: join(shots, "60-payouts-list.png"), fullPage: true });
  await page.fill("#run-from-text", dmy(days[0]));
  await page.fill("#run-to-text", dmy(days[1]));
  await page.click("#run-form button[type=submit]");
  await page.waitForSelector("#payout-lines");
  const runId = Number(new URL(page.url()).hash.match(/id=(\d+)/)[1]);
  const run = (await call(admin, "GET", `/payouts/${runId}`)).body;
  assert.equal(run.status, "draft");
  assert.deepEqual([run.from, run.to], days);

  // Every line equals the hand computation, on screen and in the API.
  const accounts = new Map();
  for (const a of people) accounts.set(a.id, (await call(admin, "GET", `/attendants/${a.id}`)).body.payout_account);
  assert.equal(run.lines.length, expected.size);
  const shown = new Map((await linesShown(page)).map((r) => [r.attendant_id, r.cells]));
  for (const [id, e] of expected) {
    const line = run.lines.find((l) => l.attendant_id === id);
    assert.ok(line, `a line for ${e.name}`);
    const net = e.noncash_share - e.cash_city_share + e.deposits;
    const status = net > 0 ? (accounts.get(id) ? "payable" : "held") : net < 0 ? "owes" : "settled";
    assert.deepEqual(
      [line.noncash_share, line.cash_city_share, line.deposits, line.carried_in, line.net, line.status],
      [e.noncash_share, e.cash_city_share, e.deposits, 0, net, status], e.name);
    const cells = shown.get(id);
    assert.equal(cells[0], e.name);
    assert.deepEqual(cells.slice(1, 8).map(rupiah),
      [line.noncash_share, line.cash_city_share, line.deposits, line.carried_in, line.net, line.payable, line.carried_out]);
    assert.equal(cells[8], { payable: "Dibayar", held: "Ditahan (tanpa rekening)", owes: "Berutang", settled: "Lunas" }[status]);
    if (accounts.get(id)) assert.match(cells[9], /\*{6}\d{4}/, "the account number masked on screen");
  }
  assert.ok(run.lines.some((l) => l.status === "held"), "the demo's attendant without an account is held");
  const totals = await page.$$eval("#payout-total th", (ths) => ths.map((t) => t.textContent.trim()));
  assert.deepEqual(totals.slice(1, 8).map(rupiah), [run.totals.noncash_share, run.totals.cash_city_share, run.totals.deposits,
    run.totals.carried_in, run.totals.net, run.totals.payable, run.totals.carried_out]);
  const payable = run.lines.filter((l) => l.status === "payable");

  // Four eyes: the maker asks, confirms, and is refused in the API's words.
  let question = "";
  page.once("dialog", (d) => { question = d.message(); d.accept(); });
  await page.click("#payout-approve");
  await page.locator("#payout-error").filter({ hasText: /admin lain/ }).waitFor();
  assert.match(question, new RegExp(rp(run.totals.payable).replace(".", "\\.")));
  assert.match(question, new RegExp(`${payable.length} transfer`));
  assert.equal((await call(admin, "GET", `/payouts/${runId}`)).body.status, "draft");
  await page.screenshot({ path: join(shots, "61-payouts-draft-refused.png"), fullPage: true });
  assert.deepEqual(first.errors, []);
  assert.deepEqual([...first.languages], ["id"]);
  await first.context.close();

  // ---- a second admin approves, downloads the transfer file, records the references ---------
  const created = await call(admin, "POST", "/users", { username: "bendahara", role: "admin", password: "Kas-Daerah-Jambi-26" });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const second = await newConsole();
  const p2 = second.page;
  await consoleLogin(p2, "bendahara", "Kas-Daerah-Jambi-26");
  await p2.click("nav a[data-page=bagi-hasil]");
  await p2.click(`#payouts-table tr[data-run="${runId}"] a`);
  await p2.waitForSelector("#payout-approve");
  p2.once("dialog", (d) => d.accept());
  await p2.click("#payout-approve");
  await p2.waitForSelector("#payout-transfer");
  assert.equal((await call(admin, "GET", `/payouts/${runId}`)).body.status, "approved");
  await p2.screenshot({ path: join(shots, "62-payouts-approved.png"), fullPage: true });

  const download = p2.waitForEvent("download");
  await p2.click("#payout-transfer");
  const file = await download;
  assert.equal(file.suggestedFilename(), `transfer-bagi-hasil-${runId}.csv`);
  const saved = join(shots, `62-${file.suggestedFilename()}`);
  await file.saveAs(saved);
  const [head, ...rows] = readFileSync(saved, "utf8").trim().split(/\r?\n/);
  assert.equal(head, "bank_code,account_number,account_name,amount,reference");
  assert.equal(rows.length, payable.length);
  const sum = rows.reduce((s, r) => s + Number(r.split(",")[3]), 0);
  assert.equal(sum, run.totals.payable);
  for (const l of payable) assert.ok(rows.some((r) => r.endsWith(`,${l.payable},PRK-${runId}-${l.attendant_id}`)), l.name);

  // The references, all at once; an empty one is named next to its own field first.
  const refs = p2.locator("#paid-form input[name=bank_reference]");
  assert.equal(await refs.count(), payable.length);
  for (let i = 1; i < payable.length; i++) await refs.nth(i).fill(`TRF-E2E-${i}`);
  await p2.click("#paid-submit");
  await errorOf(p2, "#paid-form", "lines[0].bank_reference").filter({ hasText: /wajib/ }).waitFor();
  await refs.nth(0).fill("TRF-E2E-0");
  await p2.screenshot({ path: join(shots, "63-payouts-paid-form.png"), fullPage: true });
  await p2.click("#paid-submit");
  await p2.locator(".page-head .badge").filter({ hasText: "Dibayar" }).waitFor();
  const paid = (await call(admin, "GET", `/payouts/${runId}`)).body;
  assert.equal(paid.status, "paid");
  assert.ok(paid.lines.filter((l) => l.status === "payable").every((l) => /^TRF-E2E-\d$/.test(l.bank_reference)));
  await p2.emulateMedia({ media: "print" });
  await p2.screenshot({ path: join(shots, "64-payouts-print.png"), fullPage: true });
  await p2.emulateMedia({ media: "screen" });
  // The held attendant's account, from Registri: every broken field named at once, then saved.
  const held = paid.lines.find((l) => l.status === "held");
  await p2.click("nav a[data-page=registri]");
  await p2.click(`#attendants-table tr[data-attendant="${held.attendant_id}"] button[data-action=account]`);
  const acct = `.account-edit[data-attendant="${held.attendant_id}"]`;
  await p2.locator(`${acct} p.muted`).filter({ hasText: /Belum ada rekening/ }).waitFor();
  await p2.fill(`${acct} [name=bank_code]`, "2");
  await p2.fill(`${acct} [name=account_number]`, "12ab");
  await p2.click(`${acct} button[type=submit]`);
  await errorOf(p2, acct, "bank_code").filter({ hasText: /./ }).waitFor();
  assert.notEqual(await errorOf(p2, acct, "account_number").textContent(), "");
  assert.notEqual(await errorOf(p2, acct, "account_name").textContent(), "");
  await p2.screenshot({ path: join(shots, "66-registri-rekening.png") });
  await p2.fill(`${acct} [name=bank_code]`, "009");
  await p2.fill(`${acct} [name=account_number]`, "0123456789");
  await p2.fill(`${acct} [name=account_name]`, held.name.toUpperCase());
  await p2.click(`${acct} button[type=submit]`);
  await p2.waitForSelector(acct, { state: "detached" });
  const account = (await call(admin, "GET", `/attendants/${held.attendant_id}`)).body.payout_account;
  assert.deepEqual([account.bank_code, account.account_number], ["009", "0123456789"]);
  assert.deepEqual(second.errors, []);
  await second.context.close();

  // ---- an auditor reads, and is offered nothing ---------------------------------------------
  assert.equal((await call(admin, "POST", "/users", { username: "pemeriksa", role: "auditor", password: "Periksa-Jambi-2026" })).status, 201);
  const third = await newConsole();
  await consoleLogin(third.page, "pemeriksa", "Periksa-Jambi-2026");
  await third.page.click("nav a[data-page=bagi-hasil]");
  await third.page.waitForSelector("#payouts-table");
  assert.equal(await third.page.locator("#run-form, #deposit-form").count(), 0);
  await third.page.click(`#payouts-table tr[data-run="${runId}"] a`);
  await third.page.waitForSelector("#payout-lines");
  assert.equal(await third.page.locator("#payout-approve, #payout-cancel, #payout-transfer, #paid-form").count(), 0);
  assert.deepEqual(third.errors, []);
  await third.context.close();

  // ---- the attendant's phone ------------------------------------------------------------------
  const mine = paid.lines.find((l) => l.attendant_id === ahmad.id);
  const phone = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const pp = await phone.newPage();
  const phoneErrors = [];
  pp.on("pageerror", (e) => phoneErrors.push(e.message));
  await pp.goto(`${base}/jukir`);
  await pp.fill("#phone", PHONE);
  await pp.fill("#pin", PIN);
  await pp.click("#login-submit");
  const statement = pp.locator(`#payouts li[data-run="${runId}"]`);
  await statement.waitFor();
  const text = await statement.textContent();
  assert.match(text, new RegExp(`${dmy(days[0])} – ${dmy(days[1])}`));
  assert.match(text, /Dibayar/);
  const headline = { payable: `Diterima ${rp(mine.payable)}`, held: "Ditahan: belum ada rekening",
    owes: `Utang setoran ${rp(-mine.net)}`, settled: "Lunas" }[mine.status];
  assert.ok(text.includes(headline), `${headline} in ${text}`);
  for (const n of [mine.noncash_share, mine.cash_city_share, mine.deposits]) assert.ok(text.includes(rp(n)), `${rp(n)} in ${text}`);
  await statement.scrollIntoViewIfNeeded();
  await pp.screenshot({ path: join(shots, "65-phone-bagi-hasil.png") });
  assert.deepEqual(phoneErrors, []);
  await phone.close();
});
