// End-to-end: the Dishub console runs a city without curl (SPEC §11.1). `parkir demo` on a fresh
// database, headless Chromium at 1366×768 in an English browser (so nothing may follow the
// browser's language): an admin sets up a merchant account, a zone, a spot, an attendant and a
// week's roster through the console only — a form with several invalid fields first, each
// Bahasa message next to its field — then opens a day's recap and reads its workbook back;
// triages two alerts at once; follows an alert to its payments and recap; issues and reprints
// a warning letter; and an auditor is offered nothing it may not do. Every date comes from the
// server's answers or is a fixed one, never from the wall clock. Screenshots go to target/e2e/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { shots, startDemo } from "./harness.mjs";


let demo;
let base;
let browser;

before(async () => {
  demo = await startDemo("console", { lang: "en-US" });
  ({ base, browser } = demo);
});

after(async () => {
  if (demo) await demo.stop();
});

// ---- helpers (the same shapes as jukir.test.mjs) ---------------------------------------------

/** Reads the API as a test may (never to create what the console is meant to create). */
async function apiAs(token, path) {
  const res = await fetch(`${base}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
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
const dmy = (iso) => iso.split("-").reverse().join("/");

/** An English browser at 1366×768: the console must still write 30/11/2026 and Rp2.000. */
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

/** The message next to a field of `form`. */
const errorOf = (page, form, path) => page.locator(`${form} .field-error[data-for="${path}"]`);

/** Picks the option of a select by its visible text (a name, never an id). */
async function choose(page, selector, text) {
  await page.selectOption(selector, { label: text });
}

// ---- a minimal .xlsx reader: a zip of XML parts (ECMA-376), enough to read cells back ---------

function unzip(buf) {
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= 0, "a zip file");
  const files = {};
  let p = buf.readUInt32LE(end + 16);
  for (let i = buf.readUInt16LE(end + 10); i > 0; i--) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, "a central directory entry");
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const skip = nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLength);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files[name] = (method === 0 ? data : inflateRawSync(data)).toString("utf8");
    p += 46 + skip;
  }
  return files;
}

const unescapeXml = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&apos;/g, "'").replace(/&amp;/g, "&");

/** The first sheet as { cells: {"B9": value}, rows: [[row number, {column: value}]] }; numbers stay numbers. */
function readWorkbook(buf) {
  const files = unzip(buf);
  const strings = [...(files["xl/sharedStrings.xml"] || "").matchAll(/<si>([\s\S]*?)<\/si>/g)]
    .map(([, si]) => unescapeXml([...si.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join("")));
  const sheet = files["xl/worksheets/sheet1.xml"];
  assert.ok(sheet, "a first worksheet");
  const cells = {};
  const rows = new Map();
  for (const [, col, row, attrs, inner] of sheet.matchAll(/<c r="([A-Z]+)(\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const v = inner?.match(/<v>([\s\S]*?)<\/v>/)?.[1];
    const inline = inner?.match(/<t[^>]*>([\s\S]*?)<\/t>/)?.[1];
    const type = attrs.match(/t="(\w+)"/)?.[1];
    const value = type === "s" ? strings[Number(v)] : type === "inlineStr" ? unescapeXml(inline ?? "")
      : type === "str" ? unescapeXml(v ?? "") : v === undefined ? null : Number(v);
    cells[col + row] = value;
    if (!rows.has(+row)) rows.set(+row, {});
    rows.get(+row)[col] = value;
  }
  return { cells, rows: [...rows.entries()], frozen: /state="frozen"/.test(sheet) };
}

// ---- the tests ---------------------------------------------------------------------------------

test("a clerk sets up a zone, a spot, an attendant and a week's duty from the console alone", async () => {
  const { context, page, errors, languages } = await newConsole();
  await consoleLogin(page, "admin", "jambi-demo-2026");
  const token = await staffToken("admin", "jambi-demo-2026");
  await page.click("nav a[data-page=registri]");
  await page.waitForSelector("#merchant-form");

  // A merchant account with five invalid fields: one answer, each message next to its field.
  const m = "#merchant-form";
  await page.fill(`${m} input[name=name]`, "PARKIR KOTA BARU");
  await page.fill(`${m} input[name=nmid]`, "ID12");
  await page.fill(`${m} input[name=city]`, "JAMBI");
  await page.fill(`${m} input[name=postal_code]`, "3612");
  await page.fill(`${m} input[name=gui]`, "ID.CO.BANKJAMBI.WWW");
  await page.fill(`${m} input[name=pan]`, "123");
  await page.fill(`${m} input[name=merchant_id]`, "PKB000000000001");
  await page.fill(`${m} input[name=mcc]`, "75");
  const refused = page.waitForResponse((r) => r.url().endsWith("/api/v1/merchant-accounts") && r.request().method() === "POST");
  await page.click(`${m} button[type=submit]`);
  const problem = await (await refused).json();
  assert.equal((await refused).status(), 400);
  assert.deepEqual(problem.errors.map((e) => e.field).sort(), ["criteria", "mcc", "nmid", "pan", "postal_code"]);
  await page.waitForFunction(() => document.querySelector('#merchant-form .field-error[data-for="pan"]').textContent !== "");
  assert.equal(await errorOf(page, m, "pan").textContent(), "harus 16 sampai 19 digit");
  assert.equal(await errorOf(page, m, "nmid").textContent(), "harus ID diikuti 10 sampai 13 digit");
  assert.equal(await errorOf(page, m, "postal_code").textContent(), "harus 5 digit");
  assert.equal(await errorOf(page, m, "mcc").textContent(), "harus 4 digit (7523 untuk parkir)");
  assert.equal(await errorOf(page, m, "criteria").textContent(), "harus salah satu dari UMI, UKE, UME, UBE, URE");
  assert.equal(await errorOf(page, m, "name").textContent(), "", "a valid field has no message");
  // Each message sits next to its own input (below it, within the same field box).
  for (const path of ["pan", "nmid", "postal_code", "mcc", "criteria"]) {
    const input = await page.locator(`${m} .field[data-field="${path}"] :is(input, select)`).boundingBox();
    const message = await errorOf(page, m, path).boundingBox();
    assert.ok(message.y >= input.y + input.height - 1 && message.y - (input.y + input.height) < 40, `${path}: message under its input`);
    assert.ok(Math.abs(message.x - input.x) < 4, `${path}: message aligned with its input`);
  }
  await page.locator(m).screenshot({ path: join(shots, "50-console-merchant-errors.png") });

  await page.fill(`${m} input[name=nmid]`, "ID1026100000777");
  await page.fill(`${m} input[name=postal_code]`, "36124");
  await page.fill(`${m} input[name=pan]`, "9360011300000007777");
  await page.fill(`${m} input[name=mcc]`, "7523");
  await choose(page, `${m} select[name=criteria]`, "UKE — Usaha Kecil");
  await page.click(`${m} button[type=submit]`);
  await page.waitForFunction(() => document.querySelector("#merchants-table")?.textContent.includes("PARKIR KOTA BARU"));

  // A zone paid into that account, chosen by name; rupiah typed the Indonesian way.
  const z = "#zone-form";
  await page.fill(`${z} input[name=code]`, "KBR");
  await page.fill(`${z} input[name=name]`, "Zona Kota Baru");
  await page.fill(`${z} input[name=district]`, "Kota Baru");
  await choose(page, `${z} select[name=merchant_account_id]`, "PARKIR KOTA BARU · ID1026100000777");
  await page.fill(`${z} input[data-class=motorcycle]`, "2.000");
  await page.fill(`${z} input[data-class=car]`, "Rp3.000");
  await page.fill(`${z} input[name=share]`, "60");
  await page.fill(`${z} input[name=target]`, "60.000");
  await page.click(`${z} button[type=submit]`);
  await page.waitForSelector('.zone-card:has-text("Zona Kota Baru (KBR)")');
  const zone = (await apiAs(token, "/zones?limit=100")).body.items.find((x) => x.code === "KBR");
  assert.deepEqual(zone.tariffs, { car: 3000, motorcycle: 2000 });
  assert.equal(zone.attendant_share_bps, 6000);
  assert.equal(zone.daily_target, 60000);
  assert.equal(zone.merchant_account_id, (await apiAs(token, "/merchant-accounts")).body.items.find((x) => x.nmid === "ID1026100000777").id);

  // A spot in that zone; coordinates with a decimal comma.
  const s = "#spot-form";
  await choose(page, `${s} select[name=zone]`, "Zona Kota Baru (KBR)");
  await page.fill(`${s} input[name=code]`, "JMB-KBR-001");
  await page.fill(`${s} input[name=name]`, "Jl. Kapten Pattimura");
  await page.fill(`${s} input[name=latitude]`, "-1,6265");
  await page.fill(`${s} input[name=longitude]`, "103,5802");
  await page.click(`${s} button[type=submit]`);
  await page.waitForFunction(() => document.querySelector("#spots-table")?.textContent.includes("JMB-KBR-001"));
  const spot = (await apiAs(token, "/spots?limit=100")).body.items.find((x) => x.code === "JMB-KBR-001");
  assert.equal(spot.zone_id, zone.id);
  assert.equal(spot.latitude, -1.6265);
  assert.equal(spot.longitude, 103.5802);

  // An attendant.
  const a = "#attendant-form";
  await page.fill(`${a} input[name=name]`, "Rina Wulandari");
  await page.fill(`${a} input[name=nik]`, "1571015505900021");
  await page.fill(`${a} input[name=phone]`, "0812 7400 0321");
  await page.fill(`${a} input[name=kta_number]`, "KTA-JMB-2026-321");
  await page.fill(`${a} input[name=pin]`, "319586");
  await page.click(`${a} button[type=submit]`);
  await page.waitForFunction(() => document.querySelector("#attendants-table")?.textContent.includes("Rina Wulandari"));
  const rina = (await apiAs(token, "/attendants?limit=500")).body.items.find((x) => x.name === "Rina Wulandari");
  assert.equal(rina.kta_number, "KTA-JMB-2026-321");

  // A week's roster (fixed dates: Monday 1 to Sunday 7 March 2027), chosen by names. First the
  // dates the wrong way round and an impossible time: each message next to its own field.
  const r = "#roster-form";
  await choose(page, `${r} select[name=attendant]`, "Rina Wulandari · KTA-JMB-2026-321");
  await choose(page, `${r} select[name=spot_id]`, "JMB-KBR-001 · Jl. Kapten Pattimura");
  await page.fill(`${r} input[name=from]`, "31/02/2027");
  await page.fill(`${r} input[name=to]`, "01/03/2027");
  await page.fill(`${r} input[name=end]`, "25:00");
  await page.click(`${r} button[type=submit]`);
  await page.waitForFunction(() => document.querySelector('#roster-form .field-error[data-for="from"]').textContent !== "");
  assert.equal(await errorOf(page, r, "from").textContent(), "tanggal harus dd/mm/yyyy, mis. 30/11/2026");
  assert.equal(await errorOf(page, r, "end").textContent(), "jam harus JJ:MM, mis. 07:00");
  assert.equal(await errorOf(page, r, "to").textContent(), "");
  await page.fill(`${r} input[name=from]`, "07/03/2027");
  await page.fill(`${r} input[name=end]`, "17:00");
  const backwards = page.waitForResponse((x) => x.url().endsWith("/assignments/roster"));
  await page.click(`${r} button[type=submit]`);
  assert.equal((await backwards).status(), 400);
  await page.waitForFunction(() => document.querySelector('#roster-form .field-error[data-for="to"]').textContent !== "");
  assert.equal(await errorOf(page, r, "to").textContent(), "tidak boleh sebelum tanggal mulai");
  assert.equal(await errorOf(page, r, "from").textContent(), "");
  await page.locator(r).screenshot({ path: join(shots, "51-console-roster-errors.png") });

  await page.fill(`${r} input[name=from]`, "01/03/2027");
  await page.fill(`${r} input[name=to]`, "07/03/2027");
  await page.locator(`${r} input[name=to]`).dispatchEvent("change");
  assert.match(await page.textContent("#roster-preview"), /Akan dibuat 6 jadwal, 01\/03\/2027 – 06\/03\/2027, pukul 07\.00–17\.00 WIB/);
  const made = page.waitForResponse((x) => x.url().endsWith("/assignments/roster"));
  await page.click(`${r} button[type=submit]`);
  const roster = await (await made).json();
  assert.equal((await made).status(), 201);
  await page.waitForSelector("#roster-done:not(:empty)");
  assert.equal(await page.textContent("#roster-done"), `${roster.created} jadwal dibuat untuk Rina Wulandari di JMB-KBR-001.`);
  // The duties, as the API has them: one a day, Monday to Saturday, 07.00–17.00 WIB.
  const duties = (await apiAs(token, `/attendants/${rina.id}/assignments?limit=100`)).body.items;
  assert.ok(duties.length === 6 || duties.length === 7, `a week's roster made ${duties.length} assignments`);
  assert.deepEqual(duties.map((d) => d.id).sort(), [...roster.assignment_ids].sort());
  assert.ok(duties.every((d) => d.spot_id === spot.id));
  assert.deepEqual(duties.map((d) => d.starts_at).sort(),
    ["2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04", "2027-03-05", "2027-03-06"]
      .map((d) => new Date(`${d}T07:00:00+07:00`).toISOString().replace(".000Z", "Z")));
  // The attendant's duty list shows them by spot and day, in Bahasa.
  await page.waitForSelector("#assignments-table tbody tr[data-assignment]");
  assert.equal(await page.locator("#assignments-table tbody tr[data-assignment]").count(), duties.length);
  assert.match(await page.textContent("#assignments-table"), /JMB-KBR-001 · Jl\. Kapten Pattimura/);
  assert.match(await page.textContent("#assignments-table"), /Senin, 01\/03\/2027/);
  await page.locator("#reg-duty").screenshot({ path: join(shots, "52-console-roster.png") });
  await page.screenshot({ path: join(shots, "53-console-registri.png"), fullPage: true });

  assert.deepEqual([...languages], ["id"], "every API call asks for Bahasa");
  assert.deepEqual(errors, [], "no script errors");
  await context.close();
});

test("Rekap Harian for a day the server names, and its workbook read back", async () => {
  const token = await staffToken("admin", "jambi-demo-2026");
  // The day: the business date of the demo's seeded alert, as the server has it.
  const silence = (await apiAs(token, "/alerts?kind=qr_silence")).body.items[0];
  const date = silence.business_date;
  const daily = (await apiAs(token, `/reconciliation/daily?date=${date}`)).body;

  const { context, page, errors } = await newConsole();
  await consoleLogin(page, "admin", "jambi-demo-2026");
  await page.click("nav a[data-page=rekap-harian]");
  await page.waitForSelector("#rekap-total");
  // The date is typed as a clerk writes it.
  await page.fill("#rekap-date-text", dmy(date));
  await page.press("#rekap-date-text", "Enter");
  await page.locator("#rekap-date-text").dispatchEvent("change");
  await page.waitForFunction((d) => document.getElementById("rekap-date")?.value === d, date);
  await page.waitForSelector("#rekap-total");
  assert.equal(await page.inputValue("#rekap-date-text"), dmy(date));
  const totals = await page.locator("#rekap-total th").allTextContents();
  assert.equal(rupiah(totals[5]), daily.totals.gross);
  assert.match(totals[5], /^Rp[0-9.]+$/);
  assert.equal(await page.locator("#rekap-table tbody tr").count(), daily.rows.length);
  await page.screenshot({ path: join(shots, "54-console-rekap-harian.png"), fullPage: true });

  const download = page.waitForEvent("download");
  await page.click("#rekap-xlsx");
  const file = await download;
  assert.equal(file.suggestedFilename(), `rekonsiliasi-${date}.xlsx`);
  const saved = join(shots, `54-console-${file.suggestedFilename()}`);
  await file.saveAs(saved);
  const book = readWorkbook(readFileSync(saved));
  assert.equal(book.cells.A2, "Rekap Harian Retribusi Parkir");
  assert.equal(book.cells.A3, `Tanggal: ${dmy(date)}`);
  assert.ok(book.frozen, "the header row is frozen");
  const [headerRow, header] = book.rows.find(([, cols]) => Object.values(cols).includes("Juru Parkir"));
  const column = (name) => Object.keys(header).find((c) => header[c] === name);
  const dataRows = book.rows.filter(([n, cols]) => n > headerRow && cols[column("Juru Parkir")] && cols[column("Juru Parkir")] !== "TOTAL");
  assert.equal(dataRows.length, daily.rows.length);
  for (const [, cols] of dataRows) {
    const row = daily.rows.find((x) => x.name === cols[column("Juru Parkir")]);
    assert.ok(row, `a row for ${cols[column("Juru Parkir")]}`);
    assert.equal(cols[column("Bruto")], row.gross, "money is a number, not text");
  }
  const total = book.rows.find(([, cols]) => Object.values(cols).includes("TOTAL"))[1];
  assert.equal(total[column("Bruto")], daily.totals.gross);
  assert.equal(total[column("Transaksi")], daily.totals.tx_count);
  assert.deepEqual(errors, [], "no script errors");
  await context.close();
});

test("alerts: a compact list, two acknowledged at once after a confirmation, and one click to the day", async () => {
  const token = await staffToken("admin", "jambi-demo-2026");
  const open = (await apiAs(token, "/alerts?status=open&limit=100")).body.items;
  assert.ok(open.length >= 2, "the demo has alerts");
  const { context, page, errors } = await newConsole();
  await consoleLogin(page, "admin", "jambi-demo-2026");
  await page.click("nav a[data-page=peringatan]");
  await page.waitForSelector("#alert-list article.alert");

  // One line per alert: date, kind, severity, subject by name, short evidence, status.
  const lines = page.locator("#alert-list article.alert");
  assert.equal(await lines.count(), open.length);
  for (let i = 0; i < open.length; i++) {
    const box = await lines.nth(i).locator(".alert-line").boundingBox();
    assert.ok(box.height <= 48, `line ${i} is one line (${box.height}px)`);
  }
  const first = lines.nth(0);
  assert.match(await first.locator(".cell-date").textContent(), /^\d{2}\/\d{2}\/\d{4}$/);
  assert.ok(["Tinggi", "Sedang", "Rendah"].includes(await first.locator(".badge.sev").textContent()));
  assert.equal(await first.locator(".badge.st").textContent(), "Baru");
  const subjects = await page.locator("#alert-list .cell-subject").allTextContents();
  assert.ok(subjects.every((t) => /^(JMB-[A-Z]+-\d{3}|[A-Z][a-z. ]+.*|Seluruh kota)$/.test(t) && !/^\d+$/.test(t)), subjects.join("|"));
  await page.screenshot({ path: join(shots, "55-console-peringatan.png") });

  // Tick two; the confirmation declined changes nothing, and no line leaves the list.
  const [x, y] = open.slice(0, 2);
  await page.check(`#alert-list article[data-alert="${x.id}"] input.pick`);
  await page.check(`#alert-list article[data-alert="${y.id}"] input.pick`);
  assert.equal(await page.textContent("#alert-chosen"), "2 dipilih");
  await page.fill("#bulk-note", "Dicek petugas lapangan.");
  let question = "";
  page.once("dialog", (d) => { question = d.message(); d.dismiss(); });
  await page.click("button[data-bulk=acknowledged]");
  await page.waitForFunction(() => true);
  assert.match(question, /^Ubah 2 peringatan menjadi "Ditangani"\?/);
  assert.equal((await apiAs(token, `/alerts?status=open&limit=100`)).body.items.length, open.length, "declined: nothing changed");

  page.once("dialog", (d) => d.accept());
  const patched = page.waitForResponse((r) => r.url().endsWith("/api/v1/alerts") && r.request().method() === "PATCH");
  await page.click("button[data-bulk=acknowledged]");
  assert.equal((await patched).status(), 200);
  await page.waitForSelector(`#alert-list article[data-alert="${x.id}"] .badge.st-acknowledged`);
  await page.waitForSelector(`#alert-list article[data-alert="${y.id}"] .badge.st-acknowledged`);
  assert.equal(await lines.count(), open.length, "the changed lines stay until the list is reloaded");
  assert.deepEqual(await page.locator("#alert-list .cell-subject").allTextContents(), subjects, "and keep their names");
  for (const alert of [x, y]) {
    const now = (await apiAs(token, `/alerts?kind=${alert.kind}&limit=100`)).body.items.find((a) => a.id === alert.id);
    assert.equal(now.status, "acknowledged");
    assert.equal(now.notes.at(-1).text, "Dicek petugas lapangan.");
    assert.equal(now.notes.at(-1).by, "admin");
  }
  const rest = (await apiAs(token, `/alerts?status=open&limit=100`)).body.items;
  assert.equal(rest.length, open.length - 2);
  await page.screenshot({ path: join(shots, "56-console-peringatan-bulk.png") });

  // From the seeded QR silence: one click to that spot's payments of that day …
  const silence = open.find((a) => a.kind === "qr_silence");
  const row = page.locator(`#alert-list article[data-alert="${silence.id}"]`);
  await row.locator(".alert-line").click();
  assert.match(await row.locator(".alert-detail").textContent(), /Diperkirakan/);
  await page.screenshot({ path: join(shots, "57-console-peringatan-rincian.png") });
  await row.locator("a[data-link=payments]").click();
  await page.waitForSelector("#pay-table tbody tr");
  const payments = (await apiAs(token, `/payments?date=${silence.business_date}&spot_id=${silence.spot_id}&limit=50`)).body.items;
  assert.ok(payments.length > 0);
  assert.equal(await page.locator("#pay-table tbody tr.click").count(), payments.length);
  assert.equal(await page.inputValue("#pay-date-text"), dmy(silence.business_date));
  const spotsShown = new Set(await page.locator("#pay-table tbody tr td:nth-child(7)").allTextContents());
  assert.deepEqual([...spotsShown], [silence.spot_code]);
  // … in Bahasa and by name: no raw codes, no ids.
  const cells = await page.locator("#pay-table tbody tr").first().locator("td").allTextContents();
  assert.match(cells[0], /^\d{2}\.\d{2} WIB$/);
  assert.ok(["Tunai", "QRIS (SNAP BI)", "QRIS (Midtrans)", "QRIS (Xendit)"].includes(cells[1]), cells[1]);
  assert.ok(["Motor", "Mobil"].includes(cells[3]), cells[3]);
  assert.match(cells[4], /^Rp\d{1,3}(\.\d{3})*$/);
  assert.equal(cells[5], { paid: "Lunas", pending: "Menunggu" }[payments[0].status] ?? cells[5]);
  assert.equal(cells[7], payments[0].attendant_name);
  await page.screenshot({ path: join(shots, "58-console-pembayaran-titik.png") });

  // … and to that day's recap of the spot's zone, its row marked.
  await page.goBack();
  await page.waitForSelector(`#alert-list article[data-alert="${silence.id}"]`);
  await page.locator(`#alert-list article[data-alert="${silence.id}"] a[data-link=recap]`).click();
  await page.waitForSelector("#rekap-total");
  const spots = (await apiAs(token, "/spots?limit=100")).body.items;
  const zoneId = spots.find((s2) => s2.id === silence.spot_id).zone_id;
  assert.equal(await page.inputValue("#rekap-date"), silence.business_date);
  assert.equal(await page.inputValue("#rekap-zone"), String(zoneId));
  assert.match(await page.locator("#rekap-table tr.hl").textContent(), new RegExp(silence.spot_code));
  await page.screenshot({ path: join(shots, "59-console-rekap-dari-peringatan.png") });
  assert.deepEqual(errors, [], "no script errors");
  await context.close();
});

test("a warning letter is issued after a confirmation, registered, and printed with its spots and KTA", async () => {
  const token = await staffToken("admin", "jambi-demo-2026");
  const streak = (await apiAs(token, "/alerts?kind=shortfall_streak")).body.items[0];
  assert.ok(streak, "the demo has a shortfall streak");
  const { context, page, errors } = await newConsole();
  await consoleLogin(page, "admin", "jambi-demo-2026");
  await page.click("nav a[data-page=surat-peringatan]");
  await page.waitForSelector(`#letters-waiting tr[data-alert="${streak.id}"]`);
  page.once("dialog", (d) => d.dismiss());
  await page.click(`#letters-waiting tr[data-alert="${streak.id}"] button[data-action=SP1]`);
  assert.equal((await apiAs(token, "/warning-letters")).body.items.length, 0, "declined: no letter");
  let question = "";
  page.once("dialog", (d) => { question = d.message(); d.accept(); });
  await page.click(`#letters-waiting tr[data-alert="${streak.id}"] button[data-action=SP1]`);
  await page.waitForSelector("#letter");
  assert.match(question, new RegExp(`^Terbitkan SP1 \\(peringatan pertama\\) untuk ${streak.attendant_name}\\?`));
  const [letter] = (await apiAs(token, "/warning-letters")).body.items;
  assert.equal(letter.alert_id, streak.id);
  const text = await page.textContent("#letter");
  assert.match(text, /SURAT PERINGATAN PERTAMA \(SP1\)/);
  assert.ok(text.includes(letter.kta_number), "the letter names the KTA");
  assert.ok(text.includes((await apiAs(token, "/office")).body.name.toUpperCase()), "the office's letterhead");
  assert.ok(letter.spots.length > 0 && letter.spots.every((code) => text.includes(code)), "the letter names the spots");
  assert.equal(rupiah(await page.textContent("#letter-total")), letter.total_shortfall);
  await page.screenshot({ path: join(shots, "5a-console-surat.png"), fullPage: true });

  // The register lists it; it prints again from there.
  await page.click("nav a[data-page=surat-peringatan]");
  await page.waitForSelector(`#letters-table tr[data-letter="${letter.id}"]`);
  const cells = await page.locator(`#letters-table tr[data-letter="${letter.id}"] td`).allTextContents();
  assert.equal(cells[0], letter.number);
  assert.equal(cells[3], letter.attendant_name);
  assert.equal(cells[5], letter.spots.join(", "));
  assert.equal(await page.locator(`#letters-waiting tr[data-alert="${streak.id}"]`).count(), 0, "a streak gets one letter");
  await page.screenshot({ path: join(shots, "5b-console-register-surat.png"), fullPage: true });
  await page.click(`#letters-table tr[data-letter="${letter.id}"] a`);
  await page.waitForSelector("#letter");
  assert.equal(rupiah(await page.textContent("#letter-total")), letter.total_shortfall);
  assert.deepEqual(errors, [], "no script errors");
  await context.close();
});

test("the dashboard's best and worst are different people, with round rupiah ticks", async () => {
  const { context, page, errors } = await newConsole();
  await consoleLogin(page, "admin", "jambi-demo-2026");
  await page.waitForSelector("#best");
  const best = await page.locator("#best .bar-label").allTextContents();
  const worst = await page.locator("#worst .bar-label").allTextContents();
  assert.deepEqual(best.filter((n) => worst.includes(n)), [], "nobody is in both lists");
  const ticks = await page.locator("svg.chart").first().locator("text.axis[text-anchor=end]").allTextContents();
  assert.ok(ticks.length >= 3, ticks.join("|"));
  for (const t of ticks) assert.match(t, /^Rp(0|\d+( rb| jt| M)|\d+,5 (rb|jt|M))$/, t);
  await page.screenshot({ path: join(shots, "5c-console-beranda.png"), fullPage: true });
  assert.deepEqual(errors, [], "no script errors");
  await context.close();
});

test("an auditor is offered nothing it may not do", async () => {
  // The auditor is made by the admin in the console too.
  const { context, page } = await newConsole();
  await consoleLogin(page, "admin", "jambi-demo-2026");
  await page.click("nav a[data-page=pengguna]");
  await page.fill("#user-form input[name=username]", "auditor.konsol");
  await page.selectOption("#user-form select[name=role]", "auditor");
  await page.fill("#user-form input[name=password]", "auditor-konsol-2026");
  await page.click("#user-form button[type=submit]");
  await page.waitForFunction(() => document.querySelector("#users-table")?.textContent.includes("auditor.konsol"));
  await context.close();

  const auditor = await newConsole();
  const p = auditor.page;
  await consoleLogin(p, "auditor.konsol", "auditor-konsol-2026");
  assert.equal(await p.locator("nav a[data-page=setelmen]:visible").count(), 0, "no settlement menu");
  await p.goto(`${base}/dishub#/setelmen`);
  await p.waitForSelector("main h1");
  assert.equal(await p.locator("#settlement-form").count(), 0, "no settlement upload form");
  await p.goto(`${base}/dishub#/registri`);
  await p.waitForSelector("#attendants-table");
  assert.equal(await p.locator("main form").count(), 0, "no registry forms");
  // Only the card to print (a read, SPEC §16); nothing that changes an attendant.
  assert.equal(await p.locator("#attendants-table button:not([data-action=identity])").count(), 0);
  await p.locator("#attendants-table button[data-action=identity]").first().click();
  assert.equal(await p.locator("section.identity input[type=file]").count(), 0, "no upload");
  assert.ok(await p.locator("section.identity input[name=photo_public]").isDisabled(), "consent not editable");
  await p.goto(`${base}/dishub#/peringatan`);
  await p.waitForSelector("#alert-list");
  assert.equal(await p.locator("#alert-list input.pick").count(), 0, "no bulk triage");
  assert.equal(await p.locator("#bulk-bar").count(), 0);
  await p.goto(`${base}/dishub#/surat-peringatan`);
  await p.waitForSelector("#letters-table");
  assert.equal(await p.locator("button[data-action=SP1]").count(), 0, "no letters to issue");
  await p.screenshot({ path: join(shots, "5d-console-auditor-surat.png"), fullPage: true });
  assert.deepEqual(auditor.errors, [], "no script errors");
  await auditor.context.close();
});
