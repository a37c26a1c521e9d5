// Konsol Dishub: Registri — a city set up from the console alone, in the order a clerk does it:
// the acquirer's merchant account, zones with their tariff/share/target versions, spots,
// attendants, and their duty (duty.js). Everything is chosen by name; each error of a form
// stands next to its field. Loaded before app.js; the helpers (el, api, field …) are its.
"use strict";

const REGISTRY_SECTIONS = [["reg-merchants", "Akun merchant"], ["reg-zones", "Zona & tarif"], ["reg-spots", "Titik parkir"],
  ["reg-attendants", "Juru parkir"], ["reg-duty", "Jadwal tugas"]];

async function registri(main) {
  const edit = can("registry");
  const [merchants, zones, spots, attendants] = await Promise.all([
    all("/merchant-accounts"), all("/zones"), spotList(), all("/attendants")]);
  const message = el("p", { class: "error", role: "alert", id: "registry-error" });
  const shown = REGISTRY_SECTIONS.filter(([id]) => id !== "reg-spots" || can("spots")).filter(([id]) => id !== "reg-duty" || can("duty"));
  const index = el("nav", { class: "section-index no-print", "aria-label": "Bagian registri" },
    shown.map(([id, text], i) => el("button", { type: "button", onclick: () => document.getElementById(id)?.scrollIntoView({ block: "start" }) },
      edit ? `${i + 1}. ${text}` : text)));
  fill(main, el("header", { class: "page-head" }, el("h1", {}, "Registri"),
    el("span", { class: "muted" }, edit ? "Urutan menyiapkan kota: akun merchant → zona → titik → juru parkir → jadwal tugas."
      : "Hanya admin yang dapat mengubah registri.")),
  index, message,
  merchantSection(merchants, edit),
  zoneSection(zones, merchants, edit),
  can("spots") ? spotSection(spots, zones, edit) : null,
  attendantSection(attendants, edit),
  can("duty") ? await dutySection(attendants, spots) : null);
}

/** A part of the registry; numbered in setup order for the admin who sets a city up. */
function section(id, title, ...children) {
  const n = REGISTRY_SECTIONS.findIndex(([key]) => key === id) + 1;
  return el("section", { class: "reg-section", id }, el("h2", { class: "reg-title" }, can("registry") ? `${n}. ${title}` : title), children);
}
/** A form's button that opens it, and the form hidden until then. */
function opener(text, form, id) {
  const button = el("button", { type: "button", class: "no-print", id, onclick: () => {
    form.hidden = !form.hidden;
    if (!form.hidden) form.querySelector("input, select")?.focus();
  } }, text);
  form.hidden = true;
  return button;
}

// ---- merchant accounts -----------------------------------------------------------------------
function merchantSection(merchants, edit) {
  const table = el("table", { class: "data", id: "merchants-table" },
    el("thead", {}, el("tr", {}, ["Nama (tampil di aplikasi)", "NMID", "Acquirer (GUI)", "PAN", "ID merchant", "Kriteria", "Kota", "Kode pos", "MCC"].map((h) => el("th", {}, h)))),
    el("tbody", {}, merchants.length ? merchants.map((m) => el("tr", {}, el("td", {}, m.name), el("td", { class: "mono" }, m.nmid), el("td", {}, m.gui),
      el("td", { class: "mono" }, m.pan), el("td", { class: "mono" }, m.merchant_id), el("td", {}, m.criteria), el("td", {}, m.city),
      el("td", {}, m.postal_code), el("td", {}, m.mcc)))
      : el("tr", {}, el("td", { colspan: 9, class: "muted" }, "Belum ada akun merchant."))));
  return section("reg-merchants", "Akun merchant QRIS",
    el("p", { class: "muted" }, "Data dari bank pengakuisisi (acquirer). Setiap zona dibayar ke satu akun merchant."),
    el("section", { class: "card table-card" }, table),
    edit ? merchantForm() : null);
}

function merchantForm() {
  const general = el("p", { class: "error", role: "alert" });
  const text = (name, attrs = {}) => el("input", { name, autocomplete: "off", ...attrs });
  const form = el("form", { class: "card form", id: "merchant-form", novalidate: true },
    el("h3", {}, "Akun merchant baru"),
    el("div", { class: "form-row" },
      field("Nama merchant ", text("name", { maxlength: 25 }), "name", "Tampil di aplikasi pembayar, maks. 25"),
      field("NMID ", text("nmid", { placeholder: "ID1026…" }), "nmid", "ID diikuti 10–13 angka"),
      field("Kriteria ", el("select", { name: "criteria" }, el("option", { value: "" }, "— pilih —"),
        Object.entries(LABELS.criteria).map(([v, t]) => el("option", { value: v }, t))), "criteria"),
      field("Kota ", text("city", { maxlength: 15 }), "city", "Maks. 15 huruf"),
      field("Kode pos ", text("postal_code", { inputmode: "numeric", maxlength: 5 }), "postal_code", "5 angka")),
    el("div", { class: "form-row" },
      field("GUI acquirer ", text("gui", { placeholder: "ID.CO.BANKJAMBI.WWW" }), "gui", "Dari bank, maks. 32"),
      field("PAN merchant ", text("pan", { inputmode: "numeric" }), "pan", "16–19 angka"),
      field("ID merchant di bank ", text("merchant_id", { maxlength: 15 }), "merchant_id", "Maks. 15"),
      field("MCC ", text("mcc", { value: "7523", inputmode: "numeric", maxlength: 4 }), "mcc", "7523 = parkir")),
    general, el("button", { type: "submit", class: "primary" }, "Simpan akun merchant"));
  onSubmit(form, general, {
    build: () => Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()])),
    send: (body) => api("/merchant-accounts", { method: "POST", body }),
    done: () => route(),
  });
  return form;
}

// ---- zones -------------------------------------------------------------------------------------
/** Vehicle classes in the order a clerk reads them: motorcycle, car, then the rest. */
const CLASS_ORDER = ["motorcycle", "car", "bus", "truck"];
const byClass = (a, b) => ((CLASS_ORDER.indexOf(a) + 1 || 99) - (CLASS_ORDER.indexOf(b) + 1 || 99)) || a.localeCompare(b);
const tariffText = (tariffs) => Object.keys(tariffs).sort(byClass).map((k) => `${label("vehicle", k)} ${rp(tariffs[k])}`).join(" · ");
const coord = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 7 });

function zoneSection(zones, merchants, edit) {
  const merchantName = (id) => merchants.find((m) => m.id === id)?.name || "—";
  const cards = zones.map((z) => {
    const now = Date.now();
    const inForce = [...z.versions].reverse().find((v) => Date.parse(v.effective_from) <= now);
    const editForm = edit ? zoneEditor(z, merchants) : null;
    const versionForm_ = edit ? versionForm(z) : null;
    return el("section", { class: "card zone-card", "data-zone": z.id },
      el("h3", {}, `${z.name} (${z.code}) · ${z.district}`),
      el("p", { class: "muted" }, `Akun merchant: ${merchantName(z.merchant_account_id)}`),
      el("div", { class: "actions no-print" },
        // The posters need the zone's spots, which only an admin may list.
        can("spots") ? el("a", { href: `#/poster?zone=${z.id}`, class: "button" }, "Cetak poster zona ini (A4)") : null,
        el("button", { type: "button", "data-action": "zone-cards", onclick: (ev) => printCards(`/zones/${z.id}/cards`, ev.target) }, "Cetak KTA zona ini (A4)"),
        edit ? opener("Ubah nama / akun", editForm) : null,
        edit ? opener("Tarif, bagian, target baru", versionForm_) : null),
      el("table", { class: "data versions" }, el("thead", {}, el("tr", {}, ["Berlaku sejak", "Tarif", "Bagian jukir", "Target harian", ""].map((h) => el("th", {}, h)))),
        el("tbody", {}, z.versions.map((v) => el("tr", { class: v === inForce ? "current" : null },
          el("td", {}, v.effective_from.startsWith("1970") ? "sejak awal" : local(v.effective_from)),
          el("td", {}, tariffText(v.tariffs)),
          el("td", {}, pct(v.attendant_share_bps)), el("td", {}, v.daily_target == null ? "—" : rp(v.daily_target)),
          el("td", {}, v === inForce ? el("span", { class: "badge closed" }, "berlaku sekarang")
            : Date.parse(v.effective_from) > now ? el("span", { class: "badge" }, "akan berlaku") : ""))))),
      editForm, versionForm_);
  });
  return section("reg-zones", "Zona dan tarif",
    cards.length ? cards : el("p", { class: "card muted" }, "Belum ada zona."),
    edit ? zoneForm(merchants) : null);
}

/** The inputs of tariff/share/target shared by a new zone and a zone's next version. */
function termsInputs(current = {}) {
  const classes = Object.keys(current.tariffs || {}).length ? Object.keys(current.tariffs).sort(byClass) : ["motorcycle", "car"];
  const example = { motorcycle: "2.000", car: "3.000" };
  const tariffs = Object.fromEntries(classes.map((k) => [k, rupiahInput({ "data-class": k, placeholder: `mis. ${example[k] || "5.000"}` }, current.tariffs?.[k])]));
  const share = el("input", { type: "text", inputmode: "decimal", name: "share", class: "short", placeholder: "60",
    value: current.attendant_share_bps == null ? "" : nf.format(current.attendant_share_bps / 100) });
  const target = rupiahInput({ name: "target", placeholder: "mis. 140.000" }, current.daily_target);
  const fields = [
    classes.map((k) => field(`Tarif ${label("vehicle", k)} (Rp) `, tariffs[k], `tariffs.${k}`)),
    field("Bagian jukir (%) ", share, "attendant_share_bps", "Sisanya untuk Pemkot"),
    field("Target harian (Rp) ", target, "daily_target", "Per jukir bertugas; kosong = tanpa target"),
    el("span", { class: "field-error", "data-for": "tariffs" }),
  ];
  /** The body's terms; `check(path, message)` for what does not read as a number. */
  const read = (check) => {
    const out = { tariffs: {} };
    for (const k of classes) {
      const v = parseRupiah(tariffs[k].value);
      if (v === null) continue;
      if (Number.isNaN(v)) check(`tariffs.${k}`, "harus rupiah bulat, mis. 2.000");
      else out.tariffs[k] = v;
    }
    const s = parseDecimal(share.value.replace("%", ""));
    if (s === null) check("attendant_share_bps", "wajib diisi");
    else if (Number.isNaN(s) || s < 0 || s > 100) check("attendant_share_bps", "harus persen 0 sampai 100, mis. 60");
    else out.attendant_share_bps = Math.round(s * 100);
    const t = parseRupiah(target.value);
    if (Number.isNaN(t)) check("daily_target", "harus rupiah bulat, mis. 140.000");
    else out.daily_target = t;
    return out;
  };
  return { fields, read };
}
const ZONE_NAMES = { attendant_share_bps: "bagian jukir", daily_target: "target harian", effective_from: "tanggal berlaku",
  merchant_account_id: "akun merchant" };

function merchantSelect(merchants, selected) {
  return el("select", { name: "merchant_account_id" }, el("option", { value: "" }, "— pilih akun merchant —"),
    merchants.map((m) => el("option", { value: m.id, selected: m.id === selected }, `${m.name} · ${m.nmid}`)));
}

function zoneForm(merchants) {
  const general = el("p", { class: "error", role: "alert" });
  const code = el("input", { name: "code", autocomplete: "off", class: "short", placeholder: "mis. PSR" });
  const name = el("input", { name: "name", autocomplete: "off", placeholder: "mis. Zona Pasar Jambi" });
  const district = el("input", { name: "district", autocomplete: "off", placeholder: "mis. Pasar Jambi" });
  const merchant = merchantSelect(merchants, merchants.length === 1 ? merchants[0].id : null);
  const terms = termsInputs();
  const form = el("form", { class: "card form", id: "zone-form", novalidate: true },
    el("h3", {}, "Zona baru"),
    el("div", { class: "form-row" },
      field("Kode zona ", code, "code", "Huruf/angka, mis. PSR"), field("Nama zona ", name, "name"),
      field("Kecamatan ", district, "district"), field("Akun merchant ", merchant, "merchant_account_id")),
    el("div", { class: "form-row" }, terms.fields),
    general, el("button", { type: "submit", class: "primary" }, "Simpan zona"));
  onSubmit(form, general, {
    names: ZONE_NAMES,
    build: (check) => {
      if (!merchant.value) check("merchant_account_id", "pilih akun merchant");
      return { code: code.value.trim(), name: name.value.trim(), district: district.value.trim(),
        merchant_account_id: Number(merchant.value), ...terms.read(check) };
    },
    send: (body) => api("/zones", { method: "POST", body }),
    done: () => route(),
  });
  return form;
}

/** A zone's name, district and merchant account (no new version). */
function zoneEditor(zone, merchants) {
  const general = el("p", { class: "error", role: "alert" });
  const name = el("input", { name: "name", value: zone.name });
  const district = el("input", { name: "district", value: zone.district });
  const merchant = merchantSelect(merchants, zone.merchant_account_id);
  const form = el("form", { class: "form sub-form zone-edit no-print", novalidate: true, "data-zone": zone.id },
    el("h4", {}, `Ubah ${zone.name}`),
    el("div", { class: "form-row" }, field("Nama zona ", name, "name"), field("Kecamatan ", district, "district"),
      field("Akun merchant ", merchant, "merchant_account_id", "Poster titik zona ini perlu dicetak ulang bila akun berubah")),
    general, el("button", { type: "submit", class: "primary" }, "Simpan perubahan"));
  onSubmit(form, general, {
    names: ZONE_NAMES,
    build: (check) => {
      const body = {};
      if (name.value.trim() !== zone.name) body.name = name.value.trim();
      if (district.value.trim() !== zone.district) body.district = district.value.trim();
      if (Number(merchant.value) !== zone.merchant_account_id) {
        if (!merchant.value) check("merchant_account_id", "pilih akun merchant");
        body.merchant_account_id = Number(merchant.value);
      }
      if (!Object.keys(body).length) check("name", "belum ada yang diubah");
      return body;
    },
    send: (body) => api(`/zones/${zone.id}`, { method: "PATCH", body }),
    done: () => route(),
  });
  return form;
}

/** A zone's next tariff/share/target version, in force from a date and time (WIB) or now. */
function versionForm(zone) {
  const current = zone.versions[zone.versions.length - 1] || {};
  const terms = termsInputs(current);
  const day = dateInput({ name: "effective_date", label: "Tanggal berlaku" });
  const time = el("input", { type: "text", name: "effective_time", class: "short", inputmode: "numeric", placeholder: "00:00", maxlength: 5 });
  const general = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "form sub-form version-form no-print", novalidate: true, "data-zone": zone.id },
    el("h4", {}, "Tarif, bagian jukir dan target baru"),
    el("p", { class: "muted" }, "Versi baru tidak mengubah pembayaran yang sudah terjadi; versi lama tetap tercatat."),
    el("div", { class: "form-row" }, terms.fields),
    el("div", { class: "form-row" },
      field("Berlaku sejak tanggal ", day, "effective_from", "dd/mm/yyyy; kosong = sekarang"),
      field(`Jam (${ZONE.abbr}) `, time, "effective_time", "JJ:MM, kosong = 00:00")),
    general, el("button", { type: "submit", class: "primary" }, "Simpan versi"));
  onSubmit(form, general, {
    names: ZONE_NAMES,
    build: (check) => {
      const body = terms.read(check);
      const d = day.value();
      const t = parseTime(time.value);
      if (d === null) check("effective_from", "tanggal harus dd/mm/yyyy, mis. 01/01/2027");
      if (t === null) check("effective_time", "jam harus JJ:MM, mis. 07:00");
      if (d) body.effective_from = `${d}T${t || "00:00"}:00${ZONE.offset}`;
      else if (t) check("effective_from", "isi tanggal untuk jam ini");
      return body;
    },
    send: (body) => {
      const when = body.effective_from ? local(body.effective_from) : "sekarang";
      if (!confirm(`Simpan versi baru untuk ${zone.name}, berlaku ${when}?\n${tariffText(body.tariffs)} · bagian jukir ${pct(body.attendant_share_bps)} · target ${body.daily_target == null ? "tanpa" : rp(body.daily_target)}`)) {
        return Promise.reject(new ApiError(0, { detail: "Dibatalkan; belum ada yang disimpan." }));
      }
      return api(`/zones/${zone.id}`, { method: "PATCH", body });
    },
    done: () => route(),
  });
  return form;
}

// ---- spots -------------------------------------------------------------------------------------
const SPOT_NAMES = { latitude: "lintang", longitude: "bujur", terminal_id: "ID terminal" };

function spotSection(spots, zones, edit) {
  const zoneName = (id) => zones.find((z) => z.id === id)?.name || "—";
  const qrCell = el("div", { class: "qr-preview", id: "qr-preview" });
  const qrCard = el("section", { class: "card qr-card", hidden: true }, qrCell,
    el("button", { type: "button", class: "no-print", onclick: () => { qrCard.hidden = true; } }, "Tutup"));
  const editSlot = el("div", { id: "spot-edit" });
  const message = el("p", { class: "error", role: "alert", id: "spots-error" });
  const rows = spots.map((sp) => el("tr", { "data-spot": sp.id }, el("td", {}, sp.code), el("td", {}, sp.name), el("td", {}, zoneName(sp.zone_id)),
    el("td", { class: "mono" }, sp.terminal_id),     el("td", {}, el("span", { class: "badge " + (sp.active ? "closed" : "open") }, label("spotStatus", sp.active))),
    el("td", { class: "no-print buttons" },
      el("button", { type: "button", onclick: async () => {
        qrCard.hidden = false;
        fill(qrCell, el("p", { class: "muted" }, "Memuat…"));
        fill(qrCell, el("strong", {}, `${sp.code} · ${sp.name}`), await authImage(`/spots/${sp.id}/qr.png?scale=6`, { alt: `QR ${sp.code}` }));
        qrCard.scrollIntoView({ block: "nearest" });
      } }, "Lihat QR"),
      edit ? [" ", el("button", { type: "button", "data-action": "edit-spot", onclick: () => { fill(editSlot, spotEditor(sp)); editSlot.scrollIntoView({ block: "nearest" }); } }, "Ubah"),
        " ", el("button", { type: "button", onclick: async () => {
          const question = sp.active
            ? `Nonaktifkan titik ${sp.code} (${sp.name})? Tagihan baru tidak dapat dibuat di titik ini sampai diaktifkan lagi.`
            : `Aktifkan lagi titik ${sp.code} (${sp.name})?`;
          if (!confirm(question)) return;
          try { await api(`/spots/${sp.id}`, { method: "PATCH", body: { active: !sp.active } }); route(); }
          catch (e) { message.textContent = readable(e.message); }
        } }, sp.active ? "Nonaktifkan" : "Aktifkan")] : null)));
  return section("reg-spots", "Titik parkir",
    message,
    el("section", { class: "card table-card" }, el("table", { class: "data", id: "spots-table" },
      el("thead", {}, el("tr", {}, ["Kode", "Lokasi", "Zona", "Terminal", "Status", ""].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { colspan: 6, class: "muted" }, "Belum ada titik."))))),
    el("div", { class: "spot-panels" }, editSlot, qrCard),
    edit ? spotForm(zones) : null);
}

function coordinates(lat, lon, check, body) {
  for (const [input, key, hint] of [[lat, "latitude", "mis. -1,5869"], [lon, "longitude", "mis. 103,6228"]]) {
    const v = parseDecimal(input.value);
    if (v === null) check(key, "wajib diisi");
    else if (Number.isNaN(v)) check(key, `harus angka desimal, ${hint}`);
    else body[key] = v;
  }
  return body;
}

function spotForm(zones) {
  const general = el("p", { class: "error", role: "alert" });
  const zone = el("select", { name: "zone" }, el("option", { value: "" }, "— pilih zona —"),
    zones.map((z) => el("option", { value: z.id, selected: zones.length === 1 }, `${z.name} (${z.code})`)));
  const code = el("input", { name: "code", autocomplete: "off", placeholder: "mis. JMB-PSR-011" });
  const name = el("input", { name: "name", autocomplete: "off", placeholder: "mis. Jl. Dr. Sutomo" });
  const lat = el("input", { name: "latitude", inputmode: "decimal", class: "short", placeholder: "-1,5869" });
  const lon = el("input", { name: "longitude", inputmode: "decimal", class: "short", placeholder: "103,6228" });
  const terminal = el("input", { name: "terminal_id", autocomplete: "off", class: "short", maxlength: 16 });
  const form = el("form", { class: "card form", id: "spot-form", novalidate: true },
    el("h3", {}, "Titik baru"),
    el("div", { class: "form-row" },
      field("Zona ", zone, "zone_id"), field("Kode titik ", code, "code", "Dicetak di poster, maks. 25"),
      field("Lokasi ", name, "name")),
    el("div", { class: "form-row" },
      field("Lintang ", lat, "latitude", "Dari peta, mis. -1,5869"), field("Bujur ", lon, "longitude", "mis. 103,6228"),
      field("ID terminal ", terminal, "terminal_id", "Boleh kosong: dibuat dari kode")),
    general, el("button", { type: "submit", class: "primary" }, "Simpan titik"));
  onSubmit(form, general, {
    names: SPOT_NAMES,
    build: (check) => {
      if (!zone.value) check("zone_id", "pilih zona");
      const body = coordinates(lat, lon, check, { code: code.value.trim(), name: name.value.trim() });
      if (terminal.value.trim()) body.terminal_id = terminal.value.trim();
      return body;
    },
    send: (body) => api(`/zones/${zone.value}/spots`, { method: "POST", body }),
    done: () => route(),
  });
  return form;
}

function spotEditor(sp) {
  const general = el("p", { class: "error", role: "alert" });
  const name = el("input", { name: "name", value: sp.name });
  const lat = el("input", { name: "latitude", inputmode: "decimal", class: "short", value: coord.format(sp.latitude) });
  const lon = el("input", { name: "longitude", inputmode: "decimal", class: "short", value: coord.format(sp.longitude) });
  const terminal = el("input", { name: "terminal_id", class: "short", maxlength: 16, value: sp.terminal_id });
  const form = el("form", { class: "card form spot-edit", novalidate: true, "data-spot": sp.id },
    el("h3", {}, `Ubah titik ${sp.code}`),
    el("div", { class: "form-row" }, field("Lokasi ", name, "name"), field("Lintang ", lat, "latitude"),
      field("Bujur ", lon, "longitude"), field("ID terminal ", terminal, "terminal_id", "Mengubahnya berarti poster dicetak ulang")),
    general, el("div", { class: "actions" }, el("button", { type: "submit", class: "primary" }, "Simpan perubahan"),
      el("button", { type: "button", onclick: () => form.remove() }, "Batal")));
  onSubmit(form, general, {
    names: SPOT_NAMES,
    build: (check) => {
      const body = {};
      const read = coordinates(lat, lon, check, {});
      if (name.value.trim() !== sp.name) body.name = name.value.trim();
      if (read.latitude !== undefined && read.latitude !== sp.latitude) body.latitude = read.latitude;
      if (read.longitude !== undefined && read.longitude !== sp.longitude) body.longitude = read.longitude;
      if (terminal.value.trim() !== sp.terminal_id) body.terminal_id = terminal.value.trim();
      if (!Object.keys(body).length) check("name", "belum ada yang diubah");
      return body;
    },
    send: (body) => api(`/spots/${sp.id}`, { method: "PATCH", body }),
    done: () => route(),
  });
  return form;
}

// ---- attendants ------------------------------------------------------------------------------
function attendantSection(attendants, edit) {
  const editSlot = el("div", { id: "attendant-edit" });
  const message = el("p", { class: "error", role: "alert", id: "attendants-error" });
  const open = (form) => { fill(editSlot, form); editSlot.scrollIntoView({ block: "nearest" }); form.querySelector("input")?.focus(); };
  const rows = attendants.map((a) => el("tr", { "data-attendant": a.id }, el("td", {}, a.name), el("td", { class: "mono" }, a.nik),
    el("td", { class: "mono" }, a.phone), el("td", {}, a.kta_number),
    el("td", { "data-photo": a.has_photo ? (a.photo_public ? "public" : "private") : "none" },
      a.has_photo ? (a.photo_public ? "Ada · tampil publik" : "Ada · tidak publik") : el("span", { class: "muted" }, "Belum ada")),
    el("td", {}, el("span", { class: "badge " + (a.status === "active" ? "closed" : "open") }, label("attendantStatus", a.status))),
    el("td", { class: "no-print buttons" },
      el("button", { type: "button", "data-action": "identity", onclick: () => open(identityEditor(a, edit)) }, edit ? "Foto & KTA" : "KTA"), " ",
      edit ? [
      el("button", { type: "button", onclick: () => open(attendantEditor(a)) }, "Ubah"), " ",
      el("button", { type: "button", onclick: () => open(pinEditor(a)) }, "Reset PIN"), " ",
      can("payoutAccount") ? [el("button", { type: "button", "data-action": "account", onclick: () => open(accountEditor(a)) }, "Rekening"), " "] : null,
      a.status === "retired" ? null : el("button", { type: "button", "data-action": a.status === "active" ? "suspend" : "reactivate", onclick: async () => {
        const next = a.status === "active" ? "suspended" : "active";
        const question = next === "suspended"
          ? `Skors ${a.name} (${a.kta_number})? Sesinya di HP berakhir dan ia tidak dapat menagih sampai diaktifkan lagi.`
          : `Aktifkan lagi ${a.name} (${a.kta_number})?`;
        if (!confirm(question)) return;
        try { await api(`/attendants/${a.id}`, { method: "PATCH", body: { status: next } }); route(); }
        catch (e) { message.textContent = readable(e.message); }
      } }, a.status === "active" ? "Skors" : "Aktifkan"),
    ] : null)));
  return section("reg-attendants", "Juru parkir",
    message,
    el("section", { class: "card table-card" }, el("table", { class: "data", id: "attendants-table" },
      el("thead", {}, el("tr", {}, ["Nama", "NIK", "No. HP", "KTA", "Foto", "Status", ""].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { colspan: 7, class: "muted" }, "Belum ada juru parkir."))))),
    editSlot,
    edit ? attendantForm() : null);
}

function attendantForm() {
  const general = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "card form", id: "attendant-form", novalidate: true },
    el("h3", {}, "Juru parkir baru"),
    el("div", { class: "form-row" },
      field("Nama ", el("input", { name: "name", autocomplete: "off" }), "name"),
      field("NIK (16 angka) ", el("input", { name: "nik", inputmode: "numeric", autocomplete: "off", maxlength: 16 }), "nik"),
      field("No. HP ", el("input", { name: "phone", inputmode: "tel", autocomplete: "off", placeholder: "08…" }), "phone"),
      field("No. KTA ", el("input", { name: "kta_number", autocomplete: "off" }), "kta_number"),
      field("PIN (6 angka) ", el("input", { name: "pin", inputmode: "numeric", type: "password", autocomplete: "new-password", maxlength: 6 }), "pin",
        "Bukan angka kembar, bukan urutan, bukan tanggal lahir")),
    general, el("button", { type: "submit", class: "primary" }, "Simpan"));
  onSubmit(form, general, {
    build: () => Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, k === "pin" ? String(v) : String(v).trim()])),
    send: (body) => api("/attendants", { method: "POST", body }),
    done: () => route(),
  });
  return form;
}

/** An attendant's name, phone and KTA number, edited in place (admin). */
function attendantEditor(a) {
  const name = el("input", { name: "name", value: a.name });
  const phone = el("input", { name: "phone", value: a.phone, inputmode: "tel" });
  const kta = el("input", { name: "kta_number", value: a.kta_number });
  const general = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "card form attendant-edit", novalidate: true, "data-attendant": a.id },
    el("h3", {}, `Ubah data ${a.name}`),
    el("div", { class: "form-row" }, field("Nama ", name, "name"), field("No. HP ", phone, "phone"), field("No. KTA ", kta, "kta_number")),
    general, el("div", { class: "actions" }, el("button", { type: "submit", class: "primary" }, "Simpan perubahan"),
      el("button", { type: "button", onclick: () => form.remove() }, "Batal")));
  onSubmit(form, general, {
    build: () => ({ name: name.value.trim(), phone: phone.value.trim(), kta_number: kta.value.trim() }),
    send: (body) => api(`/attendants/${a.id}`, { method: "PATCH", body }),
    done: () => route(),
  });
  return form;
}

/** A new PIN for an attendant, typed in a masked field; the server's refusal shows under it. */
function pinEditor(a) {
  const pin = el("input", { name: "pin", type: "password", inputmode: "numeric", autocomplete: "new-password", maxlength: 6 });
  const general = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "card form pin-reset", novalidate: true, "data-attendant": a.id },
    el("h3", {}, `Reset PIN ${a.name}`),
    el("p", { class: "muted" }, "6 angka; bukan angka kembar (000000), bukan urutan (123456), bukan tanggal lahir di NIK. Sesi lama juru parkir berakhir."),
    el("div", { class: "form-row" }, field("PIN baru ", pin, "pin")),
    general, el("div", { class: "actions" }, el("button", { type: "submit", class: "primary" }, "Simpan PIN"),
      el("button", { type: "button", onclick: () => form.remove() }, "Batal")));
  onSubmit(form, general, {
    build: () => ({ pin: pin.value }),
    send: (body) => api(`/attendants/${a.id}/pin`, { method: "POST", body }),
    done: () => route(),
  });
  return form;
}

/** The largest photo the server takes (SPEC §16), checked here first to spare a slow upload. */
const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

/**
 * An attendant's photo and card: the photo as stored (300×400), a new one uploaded (admin),
 * the attendant's consent to show it on the public check, and the KTA card to print.
 */
function identityEditor(a, edit) {
  const general = el("p", { class: "error", role: "alert" });
  const preview = el("div", { class: "photo-preview" }, el("span", { class: "muted" }, a.has_photo ? "Memuat foto…" : "Belum ada foto."));
  if (a.has_photo) {
    authImage(`/attendants/${a.id}/photo`, { alt: `Foto ${a.name}`, width: 150, height: 200 })
      .then((img) => fill(preview, img)).catch(() => fill(preview, el("span", { class: "muted" }, "Foto tidak dapat dimuat.")));
  }
  const file = el("input", { type: "file", name: "photo", accept: "image/jpeg,image/png" });
  const upload = el("form", { class: "photo-upload", novalidate: true },
    field("Foto baru (JPEG/PNG, paling besar 5 MB) ", file, "photo", "Dipotong tengah menjadi 3×4; data lokasi dan info kamera dibuang."),
    el("button", { type: "submit", class: "primary" }, "Unggah foto"));
  onSubmit(upload, general, {
    build: (check) => {
      const f = file.files[0];
      if (!f) check("photo", "pilih berkas foto dulu");
      else if (f.size > PHOTO_MAX_BYTES) check("photo", `berkas ${(f.size / 1048576).toFixed(1)} MB: paling besar 5 MB`);
      return f;
    },
    send: (f) => api(`/attendants/${a.id}/photo`, { method: "PUT", raw: f, rawType: f.type || "image/jpeg" }),
    done: () => route(),
  });
  const consent = el("input", { type: "checkbox", name: "photo_public", checked: a.photo_public, disabled: !edit });
  consent.addEventListener("change", async () => {
    general.textContent = "";
    try { await api(`/attendants/${a.id}`, { method: "PATCH", body: { photo_public: consent.checked } }); route(); }
    catch (e) { consent.checked = !consent.checked; general.textContent = readable(e.problem?.detail || e.message); }
  });
  const card = el("button", { type: "button", "data-action": "card", disabled: a.status !== "active",
    onclick: (ev) => printCards(`/attendants/${a.id}/card`, ev.target) }, "Cetak KTA");
  return el("section", { class: "card form identity", "data-attendant": a.id },
    el("h3", {}, `Foto & KTA ${a.name}`),
    el("div", { class: "identity-row" }, preview,
      el("div", {},
        edit ? upload : null,
        el("label", { class: "check" }, consent,
          " Juru parkir setuju fotonya tampil di halaman cek publik (/cek) saat ia aktif"),
        el("p", { class: "muted" }, a.status === "active"
          ? "Kartu ukuran KTP (85,6 × 54 mm) dengan QR ke halaman cek publik; berlaku sampai 31 Desember tahun ini."
          : "Kartu hanya dicetak untuk juru parkir aktif."),
        el("div", { class: "actions" }, card, el("button", { type: "button", onclick: (ev) => ev.target.closest("section").remove() }, "Tutup")),
        general)));
}

/**
 * Opens a printable card page (one card, or a zone's A4 sheets) in a new tab: fetched with the
 * token, shown as it came. The tab is opened at the click, so no pop-up blocker stops it.
 */
async function printCards(path, button) {
  const tab = window.open("", "_blank");
  if (button) button.disabled = true;
  try {
    const res = await fetch(API + path, { headers: headers() });
    if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
    const url = URL.createObjectURL(new Blob([await res.text()], { type: "text/html" }));
    if (tab) tab.location = url; else location.href = url;
  } catch (e) {
    tab?.close();
    alert(readable(e.problem?.detail || e.message));
  } finally {
    if (button) button.disabled = false;
  }
}
