// Konsol Dishub: forms. A field is a label, an input and the slot its error goes to; the slot is
// named by the JSON path the API names in `errors[].field` (`tariffs.motorcycle`), so each
// message of a problem lands next to its own field. Inputs read numbers, dates and times the
// way a clerk types them (`2.000`, `30/11/2026`, `07.00`), never the browser's language.
// Uses `el` and `dmy` from app.js (classic scripts share their top-level names).
"use strict";

let fieldSeq = 0;

/** A labelled input with its error slot; `name` is the field's JSON path. */
function field(text, input, name, hint) {
  if (!input.id) input.id = `f${++fieldSeq}`;
  return el("label", { class: "field", for: input.id, "data-field": name },
    el("span", { class: "field-label" }, text), input,
    hint ? el("small", { class: "hint" }, hint) : null,
    el("span", { class: "field-error", "data-for": name }));
}

/** A message as a clerk reads it: ISO dates as dd/mm/yyyy, the API's field names as the form's. */
function readable(message, names = {}) {
  let text = String(message).replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, "$3/$2/$1");
  for (const [key, words] of Object.entries(names)) {
    text = text.replace(new RegExp("`?\\b" + key.replace(/\./g, "\\.") + "\\b`?", "g"), words);
  }
  return text;
}

/** The error slot for `path`, or for its nearest parent (`tariffs.car` → `tariffs`). */
function slotFor(form, path) {
  let p = String(path);
  for (;;) {
    const slot = [...form.querySelectorAll(".field-error")].find((s) => s.dataset.for === p);
    if (slot) return slot;
    const dot = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    if (dot <= 0) return null;
    p = p.slice(0, dot);
  }
}

function clearProblems(form, general) {
  for (const m of form.querySelectorAll(".field-error")) m.textContent = "";
  for (const f of form.querySelectorAll(".field.invalid")) f.classList.remove("invalid");
  for (const i of form.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
  if (general) general.textContent = "";
}

/** Puts `[{field, message}]` next to their fields; what has no field goes to `general`. */
function placeErrors(form, general, errors, names = {}) {
  const loose = [];
  let first = null;
  for (const fe of errors) {
    const slot = slotFor(form, fe.field);
    const message = readable(fe.message, names);
    if (!slot) { loose.push(`${names[fe.field] || fe.field}: ${message}`); continue; }
    slot.textContent = slot.textContent ? `${slot.textContent}; ${message}` : message;
    const box = slot.closest(".field");
    box?.classList.add("invalid");
    const input = box?.querySelector("input, select, textarea");
    input?.setAttribute("aria-invalid", "true");
    first ||= input;
  }
  if (general && loose.length) general.textContent = loose.join(" · ");
  first?.focus({ preventScroll: false });
}

/** Shows a problem: each `errors[]` message next to its field, else the `detail` in `general`. */
function showProblem(form, general, e, names = {}) {
  clearProblems(form, general);
  const errors = e.problem?.errors || [];
  if (errors.length) placeErrors(form, general, errors, names);
  else if (general) general.textContent = readable(e.problem?.detail || e.message, names);
}

/** A problem found before asking the server: what a clerk typed does not read as a value. */
class FormErrors extends Error {
  constructor(errors) { super("form"); this.errors = errors; }
}

/**
 * Wires a form: on submit `build(check)` returns the body (calling `check(path, message)` for
 * what it cannot read), then `send(body)` talks to the API and `done(answer)` follows. The
 * submit button is disabled while the request runs, so a double click sends once.
 */
function onSubmit(form, general, { build, send, done, names = {} }) {
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearProblems(form, general);
    const problems = [];
    const body = build((path, message) => problems.push({ field: path, message }));
    if (problems.length) { placeErrors(form, general, problems, names); return; }
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    try { await done(await send(body)); }
    catch (e) { if (e.status !== 401) showProblem(form, general, e, names); }
    finally { if (button) button.disabled = false; }
  });
}

// ---- reading what a clerk types --------------------------------------------------------------
/** "30/11/2026", "30-11-2026", "30.11.2026", "1/2/2026" or ISO → "2026-11-30"; "" when empty; null when not a date. */
function parseDmy(text) {
  const t = String(text ?? "").trim();
  if (!t) return "";
  let m = t.match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/);
  let y, mo, d;
  if (m) [, y, mo, d] = m;
  else {
    m = t.match(/^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$/);
    if (!m) return null;
    [, d, mo, y] = m;
  }
  const iso = `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  const check = new Date(iso + "T00:00:00Z");
  return !isNaN(check) && check.toISOString().slice(0, 10) === iso ? iso : null;
}
/** "7", "7:00", "07.00", "0700" → "07:00"; "" when empty; null when not a time of day. */
function parseTime(text) {
  const t = String(text ?? "").trim();
  if (!t) return "";
  const m = t.match(/^(\d{1,2})(?:[:.]?(\d{2}))?$/);
  if (!m) return null;
  const h = Number(m[1]), min = Number(m[2] ?? 0);
  return h < 24 && min < 60 ? `${String(h).padStart(2, "0")}:${String(min).padStart(2, "0")}` : null;
}
/** "Rp2.000", "2.000", "2000", "2.000,00" → 2000; null when empty; NaN when not whole rupiah. */
function parseRupiah(text) {
  const t = String(text ?? "").replace(/^\s*Rp\.?\s*/i, "").replace(/\s/g, "").replace(/,0{1,2}$/, "");
  if (!t) return null;
  return /^\d{1,3}(\.\d{3})*$|^\d+$/.test(t) ? Number(t.replace(/\./g, "")) : NaN;
}
/** "-1,5869" or "-1.5869" → -1.5869; null when empty; NaN when not a number. */
function parseDecimal(text) {
  const t = String(text ?? "").trim().replace(",", ".");
  if (!t) return null;
  return /^[-+]?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
}

const DATE_HINT = "Tanggal ditulis dd/mm/yyyy, mis. 30/11/2026";

/**
 * A date typed as dd/mm/yyyy whatever the browser's language. The visible text field is
 * `#{id}-text`; the date itself (ISO, for links and scripts) is the hidden `#{id}`.
 */
function dateInput({ id, iso = "", name, label: aria } = {}) {
  const hidden = el("input", { type: "hidden", id, value: iso || "" });
  const text = el("input", { type: "text", class: "date", id: id ? `${id}-text` : null, name,
    inputmode: "numeric", placeholder: "dd/mm/yyyy", maxlength: 10, autocomplete: "off",
    "aria-label": aria, value: iso ? dmy(iso) : "" });
  const box = el("span", { class: "date-field" }, text, hidden);
  text.addEventListener("change", () => {
    const v = parseDmy(text.value);
    text.classList.toggle("bad", v === null);
    text.title = v === null ? DATE_HINT : "";
    if (v !== null) { hidden.value = v; if (v) text.value = dmy(v); }
  });
  /** The ISO date, "" when empty, null when what was typed is not a date. */
  box.value = () => parseDmy(text.value);
  box.input = text;
  box.onDate = (fn) => text.addEventListener("change", () => { const v = parseDmy(text.value); if (v !== null) fn(v); });
  return box;
}

/** A text input for whole rupiah, shown as 2.000 once typed. */
function rupiahInput(attrs = {}, value) {
  const input = el("input", { type: "text", inputmode: "numeric", autocomplete: "off", class: "money", ...attrs,
    value: value == null ? "" : nf.format(value) });
  input.addEventListener("change", () => {
    const v = parseRupiah(input.value);
    if (Number.isFinite(v)) input.value = nf.format(v);
  });
  return input;
}
