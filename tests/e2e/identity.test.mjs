// End-to-end: who is this attendant (SPEC §16). `parkir demo` on a fresh database, headless
// Chromium. An admin, in the console only, uploads a phone photo (a 4000×3000 JPEG the test
// draws in the browser) for an attendant who has none, records their consent, and prints the
// zone's KTA cards; the sheet is printed to PDF, rasterised at 300 dpi in grey as an office
// printer would, and every card's QR is read back (zbar); a phone (360×640) then opens what the
// attendant's QR says and sees their face. An unknown card is a 404 page with the hotline and a
// report form. No wall clock. Screenshots go to target/e2e/7x-*.png, the PDF to target/e2e/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { shots, startDemo } from "./harness.mjs";

let demo;
let base;
let browser;

before(async () => {
  demo = await startDemo("identity", { lang: "en-US" });
  ({ base, browser } = demo);
});

after(async () => {
  if (demo) await demo.stop();
});

const ADMIN = ["admin", "jambi-demo-2026"];

async function staffToken(username, password) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(res.status, 200);
  return (await res.json()).access_token;
}

async function api(token, path) {
  const res = await fetch(`${base}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, path);
  return res.json();
}

/** A phone camera's photo: 4000×3000, drawn and JPEG-encoded by the browser itself. */
async function phonePhoto(page) {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement("canvas");
    c.width = 4000; c.height = 3000;
    const g = c.getContext("2d");
    const sky = g.createLinearGradient(0, 0, 0, 3000);
    sky.addColorStop(0, "#87a9c9"); sky.addColorStop(1, "#d9d2c0");
    g.fillStyle = sky; g.fillRect(0, 0, 4000, 3000);
    g.fillStyle = "#e8791e"; // the vest
    g.beginPath(); g.ellipse(2000, 3000, 1100, 900, 0, 0, Math.PI * 2); g.fill();
    g.fillStyle = "#7a5a44"; // the face
    g.beginPath(); g.ellipse(2000, 1300, 520, 680, 0, 0, Math.PI * 2); g.fill();
    g.fillStyle = "#222"; // the cap
    g.fillRect(1450, 560, 1100, 260);
    return c.toDataURL("image/jpeg", 0.9);
  });
  return Buffer.from(dataUrl.split(",")[1], "base64");
}

test("an admin uploads a phone photo, prints the zone's cards, and a phone scanning one sees the face", async () => {
  const token = await staffToken(...ADMIN);
  const people = (await api(token, "/attendants?limit=500")).items;
  // The demo's last attendant has no photo yet.
  const who = people.find((a) => !a.has_photo && a.status === "active");
  assert.ok(who, "an attendant without a photo");
  const detail = await api(token, `/public/attendants/${encodeURIComponent(who.kta_number)}`);
  assert.equal(detail.photo_url, null);
  const zones = (await api(token, "/zones?limit=500")).items;
  const zone = zones.find((z) => z.name === detail.zone);
  assert.ok(zone, `the zone ${detail.zone}`);

  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) errors.push(m.text()); });
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${new URL(r.url()).pathname}`); });
  await page.goto(`${base}/dishub`);
  await page.fill("#login-username", ADMIN[0]);
  await page.fill("#login-password", ADMIN[1]);
  await page.click("#login-form button[type=submit]");
  await page.waitForSelector(".kpis");
  await page.click("nav a[data-page=registri]");
  const row = page.locator(`#attendants-table tr[data-attendant="${who.id}"]`);
  await row.waitFor();
  assert.equal(await row.locator("td[data-photo]").getAttribute("data-photo"), "none");
  await row.locator("button[data-action=identity]").click();
  const editor = page.locator(`section.identity[data-attendant="${who.id}"]`);
  await editor.waitFor();

  // A text file first: refused next to the field, in Bahasa, nothing stored.
  await editor.locator("input[type=file]").setInputFiles({ name: "catatan.jpg", mimeType: "image/jpeg", buffer: Buffer.from("bukan foto") });
  await editor.locator("button[type=submit]").click();
  const error = editor.locator('.field-error[data-for="photo"]');
  await page.waitForFunction((el) => el.textContent.length > 0, await error.elementHandle());
  assert.match(await error.textContent(), /JPEG atau PNG/);
  await page.screenshot({ path: join(shots, "70-photo-refused.png") });

  // The phone photo.
  const photo = await phonePhoto(page);
  assert.ok(photo.length > 100_000, "a camera-sized JPEG");
  await editor.locator("input[type=file]").setInputFiles({ name: "IMG_20261203_081500.jpg", mimeType: "image/jpeg", buffer: photo });
  await editor.locator("button[type=submit]").click();
  await page.waitForFunction((id) => document.querySelector(`#attendants-table tr[data-attendant="${id}"] td[data-photo]`)?.dataset.photo === "private", who.id);
  // Consent, from the same place.
  await page.locator(`#attendants-table tr[data-attendant="${who.id}"] button[data-action=identity]`).click();
  const again = page.locator(`section.identity[data-attendant="${who.id}"]`);
  await again.locator(".photo-preview img").waitFor();
  // A click, not check(): the change saves and re-renders the list at once, so the box
  // Playwright would look at again is already gone; the list's state says it took.
  await again.locator("input[name=photo_public]").click();
  await page.waitForFunction((id) => document.querySelector(`#attendants-table tr[data-attendant="${id}"] td[data-photo]`)?.dataset.photo === "public", who.id);
  await page.locator(`#attendants-table tr[data-attendant="${who.id}"] button[data-action=identity]`).click();
  await page.locator(`section.identity[data-attendant="${who.id}"] .photo-preview img`).waitFor();
  await page.locator(`section.identity[data-attendant="${who.id}"]`).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, "71-photo-and-consent.png") });

  // The zone's cards: a new tab with the A4 sheets.
  const [sheet] = await Promise.all([
    context.waitForEvent("page"),
    page.locator(`section.zone-card[data-zone="${zone.id}"] button[data-action=zone-cards]`).click(),
  ]);
  await sheet.waitForLoadState("load");
  await sheet.waitForSelector("article.card");
  const cards = await sheet.locator("article.card").count();
  assert.ok(cards >= 1 && cards <= 8, `${cards} cards on one sheet`);
  assert.equal(await sheet.locator(`article.card[data-kta="${who.kta_number}"] img.photo`).count(), 1, "the new photo is on the card");
  // The inline stylesheet applied (the console's policy admits it by its hash): ID-1 size.
  const size = await sheet.locator("article.card").first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return [r.width, r.height].map((px) => px / 96 * 25.4);
  });
  assert.ok(Math.abs(size[0] - 85.6) < 0.3 && Math.abs(size[1] - 54) < 0.3, `ID-1: ${size} mm`);
  await sheet.screenshot({ path: join(shots, "72-kta-sheet.png"), fullPage: true });
  const pdf = join(shots, "72-kta-sheet.pdf");
  await sheet.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });

  // As a cheap office printer and a phone camera would see it: 300 dpi, grey.
  const prefix = join(shots, "73-kta-print");
  execFileSync("pdftoppm", ["-r", "300", "-gray", "-png", pdf, prefix]);
  const pages = readdirSync(shots).filter((f) => f.startsWith("73-kta-print") && f.endsWith(".png"));
  assert.equal(pages.length, 1, "one A4 page");
  const read = execFileSync("zbarimg", ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", join(shots, pages[0])], { encoding: "utf8" })
    .trim().split("\n").filter(Boolean);
  assert.equal(read.length, cards, `every card's QR reads: ${read}`);
  const mine = read.find((url) => url.endsWith(`/cek/kta/${encodeURIComponent(who.kta_number)}`));
  assert.ok(mine, `the attendant's QR among ${read}`);
  const sheetErrors = [];
  sheet.on("console", (m) => { if (m.type() === "error") sheetErrors.push(m.text()); });
  // The one refusal is the text file's (400); nothing else failed, no script or policy error.
  assert.deepEqual(errors, [`400 /api/v1/attendants/${who.id}/photo`], "no other error");
  await context.close();

  // A phone scanning the printed card lands on the public check, with the face.
  const phone = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const mobile = await phone.newPage();
  const res = await mobile.goto(mine);
  assert.equal(res.status(), 200);
  assert.equal(await mobile.locator("h1").textContent(), who.name);
  await mobile.waitForFunction(() => document.querySelector("img.face")?.naturalWidth === 300);
  assert.match(await mobile.textContent(".verdict"), /JURU PARKIR RESMI/);
  assert.equal(await mobile.evaluate(() => document.documentElement.scrollWidth), 360, "no sideways scrolling");
  await mobile.screenshot({ path: join(shots, "74-cek-kta-phone.png"), fullPage: true });
  await phone.close();
});

test("an unknown card is a 404 page with the hotline and the report form, at phone size", async () => {
  const phone = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await phone.newPage();
  const res = await page.goto(`${base}/cek/kta/${encodeURIComponent("001/KTA/PALSU")}`);
  assert.equal(res.status(), 404);
  assert.match(await page.textContent("h1"), /001\/KTA\/PALSU tidak terdaftar/);
  assert.match(await page.textContent(".verdict"), /BUKAN JURU PARKIR RESMI/);
  assert.ok(await page.locator("a.call").count() >= 1, "the hotline to call");
  await page.check("input[value=jukir_tidak_resmi]");
  await page.fill("#note", "Rompi oranye, minta Rp5.000 depan toko emas");
  await page.screenshot({ path: join(shots, "75-cek-kta-unknown.png"), fullPage: true });
  const [answer] = await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  assert.equal(answer.status(), 201);
  assert.match(await page.textContent(".ref"), /\S/);
  await page.screenshot({ path: join(shots, "76-cek-kta-reported.png"), fullPage: true });
  await phone.close();
});
