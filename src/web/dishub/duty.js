// Konsol Dishub: duty — a roster (one duty per chosen weekday from one date to another, at one
// spot), an attendant's duties with an early end, and every spot's duty on a timeline. Dates
// are typed dd/mm/yyyy and times JJ:MM in WIB; the API plans in the city's time zone.
// Loaded before app.js; the helpers (el, api, field, dateInput …) are its.
"use strict";

const ROSTER_NAMES = { from: "tanggal mulai", to: "tanggal selesai", weekdays: "hari", start: "jam mulai", end: "jam selesai", spot_id: "titik" };

async function dutySection(attendants, spots) {
  const timeline = el("div", { id: "duty-timeline-slot" });
  const list = el("div", { id: "assignments-slot" });
  const people = attendants.filter((a) => a.status === "active");
  const chooser = el("select", { id: "assignments-attendant", "aria-label": "Juru parkir" },
    el("option", { value: "" }, "— pilih juru parkir —"), people.map((a) => el("option", { value: a.id }, a.name)));
  const showList = async (id) => {
    chooser.value = String(id || "");
    fill(list, id ? await assignmentTable(attendants.find((a) => String(a.id) === String(id)), spots, refresh) : null);
  };
  chooser.addEventListener("change", () => showList(chooser.value));
  let first = addDays(todayLocal(), -3);
  const drawTimeline = async (from) => {
    first = from;
    fill(timeline, await dutyTimeline(spots, attendants, first, drawTimeline));
  };
  /** After a change: the timeline (moved to `from` when given) and the attendant's list. */
  const refresh = async (attendantId, from) => {
    await drawTimeline(from || first);
    await showList(attendantId ?? chooser.value);
  };
  const form = rosterForm(people, spots, refresh);
  await refresh("");
  return section("reg-duty", "Jadwal tugas",
    el("p", { class: "muted" }, "Satu jadwal per hari tugas. Jam selesai sama dengan atau sebelum jam mulai berarti sampai hari berikutnya."),
    form,
    el("section", { class: "card" }, el("h3", {}, "Jadwal seorang juru parkir"), el("label", {}, "Juru parkir ", chooser), list),
    timeline);
}

/** The days a roster makes: ISO dates from `from` to `to` on the chosen ISO weekdays. */
function rosterDays(from, to, weekdays) {
  const out = [];
  if (!from || !to || to < from) return out;
  for (let d = from, n = 0; d <= to && n < 400; d = addDays(d, 1), n++) {
    const iso = ((new Date(d + "T00:00:00Z").getUTCDay() + 6) % 7) + 1;
    if (weekdays.includes(iso)) out.push(d);
  }
  return out;
}

function rosterForm(people, spots, refresh) {
  const general = el("p", { class: "error", role: "alert" });
  const done = el("p", { class: "notice", role: "status", id: "roster-done" });
  const who = el("select", { name: "attendant", class: "wide" }, el("option", { value: "" }, "— pilih juru parkir —"),
    people.map((a) => el("option", { value: a.id }, `${a.name} · ${a.kta_number}`)));
  const where = el("select", { name: "spot_id", class: "wide" }, el("option", { value: "" }, "— pilih titik —"),
    spots.filter((s) => s.active).map((s) => el("option", { value: s.id }, `${s.code} · ${s.name}`)));
  const from = dateInput({ name: "from", label: "Dari tanggal" });
  const to = dateInput({ name: "to", label: "Sampai tanggal" });
  const boxes = [1, 2, 3, 4, 5, 6, 7].map((d) => el("input", { type: "checkbox", name: "weekday", value: d, checked: d <= 6 }));
  const start = el("input", { name: "start", class: "short", inputmode: "numeric", placeholder: "07:00", value: "07:00", maxlength: 5 });
  const end = el("input", { name: "end", class: "short", inputmode: "numeric", placeholder: "17:00", value: "17:00", maxlength: 5 });
  const preview = el("p", { class: "muted", id: "roster-preview" });
  const weekdays = () => boxes.filter((b) => b.checked).map((b) => Number(b.value));
  const preset = (days) => { for (const b of boxes) b.checked = days.includes(Number(b.value)); update(); };
  const update = () => {
    const f = from.value(), t = to.value();
    const days = rosterDays(f, t, weekdays());
    const s = parseTime(start.value), e = parseTime(end.value);
    preview.textContent = !f || !t || f === null || t === null ? "Isi tanggal mulai dan selesai untuk melihat jumlah jadwal."
      : days.length ? `Akan dibuat ${num(days.length)} jadwal, ${dmy(days[0])} – ${dmy(days[days.length - 1])}`
        + (s && e ? `, pukul ${s.replace(":", ".")}–${e.replace(":", ".")} ${ZONE.abbr}${e <= s ? " (sampai hari berikutnya)" : ""}.` : ".")
        : "Tidak ada hari yang cocok dengan pilihan hari.";
  };
  for (const i of [from.input, to.input, start, end, ...boxes]) i.addEventListener("change", update);
  const form = el("form", { class: "card form", id: "roster-form", novalidate: true },
    el("h3", {}, "Buat jadwal (roster)"),
    el("div", { class: "form-row" },
      field("Juru parkir ", who, "attendant"), field("Titik ", where, "spot_id")),
    el("div", { class: "form-row" },
      field("Dari tanggal ", from, "from", "mis. 01/03/2027"), field("Sampai tanggal ", to, "to", "Paling lama 92 hari"),
      field("Jam mulai ", start, "start", `JJ:MM ${ZONE.abbr}`), field("Jam selesai ", end, "end", `JJ:MM ${ZONE.abbr}`)),
    el("fieldset", { class: "weekdays" }, el("legend", {}, "Hari tugas"),
      boxes.map((b) => el("label", { class: "day" }, b, " ", label("weekdayShort", b.value))),
      el("span", { class: "presets" },
        el("button", { type: "button", onclick: () => preset([1, 2, 3, 4, 5]) }, "Sen–Jum"),
        el("button", { type: "button", onclick: () => preset([1, 2, 3, 4, 5, 6]) }, "Sen–Sab"),
        el("button", { type: "button", onclick: () => preset([1, 2, 3, 4, 5, 6, 7]) }, "Setiap hari")),
      el("span", { class: "field-error", "data-for": "weekdays" })),
    preview, general, done,
    el("button", { type: "submit", class: "primary" }, "Buat jadwal"));
  update();
  let body = null; // the roster last sent
  onSubmit(form, general, {
    names: ROSTER_NAMES,
    build: (check) => {
      done.textContent = "";
      if (!who.value) check("attendant", "pilih juru parkir");
      if (!where.value) check("spot_id", "pilih titik");
      const body = { spot_id: Number(where.value), weekdays: weekdays() };
      for (const [input, key] of [[from, "from"], [to, "to"]]) {
        const v = input.value();
        if (v === "") check(key, "wajib diisi");
        else if (v === null) check(key, "tanggal harus dd/mm/yyyy, mis. 30/11/2026");
        else body[key] = v;
      }
      for (const [input, key] of [[start, "start"], [end, "end"]]) {
        const v = parseTime(input.value);
        if (v === "") check(key, "wajib diisi");
        else if (v === null) check(key, "jam harus JJ:MM, mis. 07:00");
        else { body[key] = v; input.value = v; }
      }
      return body;
    },
    send: (sent) => { body = sent; return api(`/attendants/${who.value}/assignments/roster`, { method: "POST", body: sent }); },
    done: async (made) => {
      const name = who.selectedOptions[0].textContent.split(" · ")[0];
      const spot = where.selectedOptions[0].textContent.split(" · ")[0];
      const attendantId = who.value;
      done.textContent = `${num(made.created)} jadwal dibuat untuk ${name} di ${spot}.`;
      await refresh(attendantId, addDays(body.from, -1));
    },
  });
  return form;
}

/** One attendant's duties from a week ago on (or all), each with its end changeable. */
async function assignmentTable(attendant, spots, refresh) {
  const items = await all(`/attendants/${attendant.id}/assignments`);
  const spotName = (id) => { const s = spots.find((x) => x.id === id); return s ? `${s.code} · ${s.name}` : `Titik #${id}`; };
  const now = Date.now();
  const state = (a) => (Date.parse(a.starts_at) > now ? "upcoming" : a.ends_at && Date.parse(a.ends_at) <= now ? "ended" : "running");
  const sorted = [...items].sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
  const recent = sorted.filter((a) => !a.ends_at || Date.parse(a.ends_at) > now - 7 * 86400e3);
  const body = el("tbody");
  const older = el("button", { type: "button", hidden: recent.length === sorted.length }, `Tampilkan juga ${sorted.length - recent.length} jadwal lama`);
  const row = (a) => {
    const s = state(a);
    const tr = el("tr", { "data-assignment": a.id, class: "st-" + s },
      el("td", {}, spotName(a.spot_id)), el("td", {}, dayName(localParts(a.starts_at).date)),
      el("td", {}, `${localParts(a.starts_at).time} ${ZONE.abbr}`),
      el("td", {}, a.ends_at ? localTime(a.ends_at, localParts(a.starts_at).date) : "tanpa batas"),
      el("td", {}, el("span", { class: "badge duty-" + s }, label("dutyState", s))),
      el("td", { class: "no-print" }, s === "ended" ? null
        : el("button", { type: "button", "data-action": "end-duty", onclick: () => tr.after(endEditor(a, attendant, tr, refresh)) },
          s === "running" ? "Akhiri lebih awal" : "Ubah jam selesai")));
    return tr;
  };
  body.append(...recent.map(row));
  if (!recent.length) body.append(el("tr", {}, el("td", { colspan: 6, class: "muted" }, "Belum ada jadwal dalam seminggu terakhir atau ke depan.")));
  older.addEventListener("click", () => { body.replaceChildren(...sorted.map(row)); older.hidden = true; });
  return [el("table", { class: "data", id: "assignments-table" },
    el("thead", {}, el("tr", {}, ["Titik", "Hari", "Mulai", "Selesai", "Keadaan", ""].map((h) => el("th", {}, h)))), body), older];
}

/** A row under a duty to end it at a date and time (WIB); now for a running one. */
function endEditor(a, attendant, tr, refresh) {
  tr.parentElement.querySelector("tr.end-editor")?.remove();
  const running = Date.parse(a.starts_at) <= Date.now();
  const at = localParts(running ? Date.now() : a.ends_at || a.starts_at);
  const day = dateInput({ iso: at.date, label: "Tanggal selesai" });
  const time = el("input", { class: "short", inputmode: "numeric", value: at.time.replace(".", ":"), maxlength: 5, "aria-label": "Jam selesai" });
  const general = el("span", { class: "error", role: "alert" });
  const form = el("form", { class: "inline-form", novalidate: true },
    field("Selesai tanggal ", day, "ends_at"), field(`Jam (${ZONE.abbr}) `, time, "ends_time"),
    el("button", { type: "submit", class: "primary" }, "Simpan"), el("button", { type: "button", onclick: () => row.remove() }, "Batal"), general);
  const row = el("tr", { class: "end-editor" }, el("td", { colspan: 6 }, form));
  onSubmit(form, general, {
    names: { ends_at: "jam selesai", starts_at: "jam mulai" },
    build: (check) => {
      const d = day.value(), t = parseTime(time.value);
      if (!d) check("ends_at", "tanggal harus dd/mm/yyyy");
      if (!t) check("ends_time", "jam harus JJ:MM");
      return { ends_at: `${d}T${t}:00${ZONE.offset}` };
    },
    send: (body) => {
      if (!confirm(`Akhiri tugas ${attendant.name} pada ${local(body.ends_at)}?`)) return Promise.reject(new ApiError(0, { detail: "Dibatalkan." }));
      return api(`/attendants/${attendant.id}/assignments/${a.id}`, { method: "PATCH", body });
    },
    done: () => refresh(attendant.id),
  });
  return row;
}

/** Duty per spot over `days` days from `from` (ISO) as horizontal bars (WIB); `move(from)`
 *  draws another window. */
async function dutyTimeline(spots, attendants, from, move, days = 15) {
  const lists = await Promise.all(attendants.map((a) =>
    all(`/attendants/${a.id}/assignments`).then((items) => items.map((x) => ({ ...x, name: a.name })), () => [])));
  const every = lists.flat();
  const today = todayLocal();
  const last = addDays(from, days - 1);
  const start = Date.parse(`${from}T00:00:00${ZONE.offset}`);
  const end = Date.parse(`${addDays(last, 1)}T00:00:00${ZONE.offset}`);
  const W = 1000, row = 26, left = 130;
  const x = (t) => left + ((Math.min(Math.max(t, start), end) - start) / (end - start)) * (W - left - 10);
  const chart = svg("svg", { viewBox: `0 0 ${W} ${row * spots.length + 36}`, class: "chart timeline", role: "img",
    "aria-label": `Jadwal tugas ${dmy(from)} sampai ${dmy(last)}` });
  for (let d = 0; d <= days; d++) {
    const t = start + d * 86400e3;
    const iso = addDays(from, d);
    chart.append(svg("line", { x1: x(t), x2: x(t), y1: 0, y2: row * spots.length, class: iso === today ? "grid today" : "grid" }));
    if (d < days) {
      const cls = iso === today ? "axis today" : "axis";
      chart.append(svg("text", { x: x(t + 43200e3), y: row * spots.length + 16, "text-anchor": "middle", class: cls },
        label("weekdayShort", ((new Date(iso + "T00:00:00Z").getUTCDay() + 6) % 7) + 1)),
      svg("text", { x: x(t + 43200e3), y: row * spots.length + 30, "text-anchor": "middle", class: cls }, dmy(iso).slice(0, 5)));
    }
  }
  spots.forEach((sp, i) => {
    chart.append(svg("text", { x: 0, y: i * row + 17, class: "axis" }, sp.code));
    for (const a of every.filter((a) => a.spot_id === sp.id)) {
      const s = Date.parse(a.starts_at), e = a.ends_at ? Date.parse(a.ends_at) : end;
      if (e < start || s > end) continue;
      const bar = svg("rect", { x: x(s), y: i * row + 4, width: Math.max(2, x(e) - x(s)), height: row - 8, rx: 3, class: "duty noncash" });
      bar.append(svg("title", {}, `${a.name}: ${local(a.starts_at)} – ${a.ends_at ? local(a.ends_at) : "tanpa batas"}`));
      chart.append(bar);
      if (x(e) - x(s) > 60) chart.append(svg("text", { x: x(s) + 4, y: i * row + 17, class: "duty-label" }, a.name));
    }
  });
  return el("section", { class: "card", id: "duty-timeline" },
    el("div", { class: "card-head" }, el("h3", {}, `Jadwal tugas per titik, ${dmy(from)} – ${dmy(last)}`),
      el("span", { class: "actions no-print" },
        el("button", { type: "button", onclick: () => move(addDays(from, -7)) }, "‹ Seminggu sebelumnya"),
        el("button", { type: "button", onclick: () => move(addDays(today, -3)) }, "Hari ini"),
        el("button", { type: "button", onclick: () => move(addDays(from, 7)) }, "Seminggu berikutnya ›"))),
    chart);
}
