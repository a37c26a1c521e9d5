// Konsol: the operator's page (SPEC §17). Platform staff run cities, not their people: every
// city's day in sums (each in its own business day), a new city, a city's first admin and its
// gateway credentials (sent once, sealed by the server, never shown again). Loaded before
// app.js; the helpers (el, api, field, onSubmit …) are its.
"use strict";

const CITY_NAMES = { snap: "SNAP", city: "kota", code: "kode kota", name: "nama kota", timezone: "zona waktu", username: "nama pengguna",
  password: "kata sandi", "snap.client_key": "client key SNAP", "snap.client_secret": "client secret SNAP",
  "xendit.callback_token": "token callback Xendit", "midtrans.server_key": "server key Midtrans" };
const ZONE_LABELS = { "Asia/Jakarta": "WIB (Asia/Jakarta)", "Asia/Makassar": "WITA (Asia/Makassar)",
  "Asia/Jayapura": "WIT (Asia/Jayapura)" };

async function kota(main, params) {
  const date = params.get("date") || addDays(todayLocal(), -1);
  const [summary, cities] = await Promise.all([api(`/operator/summary?date=${date}`), api("/cities")]);
  const zoneOf = new Map(cities.map((c) => [c.id, c.timezone]));
  const sum = (k) => summary.cities.reduce((n, c) => n + c[k], 0);
  const cols = ["tx_count", "noncash_gross", "cash_gross", "gross", "city_share"];
  const money = (k, v) => (k === "tx_count" ? num(v) : rp(v));
  const table = el("table", { class: "data", id: "cities-table" },
    el("thead", {}, el("tr", {}, ["Kota", "Kode", "Zona waktu", "Transaksi", "Non-tunai", "Tunai", "Bruto", "Bagian kota"]
      .map((h, i) => el("th", { class: i > 2 ? "n" : null, scope: "col" }, h)))),
    el("tbody", {}, summary.cities.map((c) => el("tr", { "data-city": c.code },
      el("td", {}, c.name), el("td", {}, c.code), el("td", {}, ZONE_LABELS[zoneOf.get(c.city_id)] || zoneOf.get(c.city_id)),
      cols.map((k) => el("td", { class: "n" }, money(k, c[k])))))),
    el("tfoot", {}, el("tr", {}, el("th", { colspan: 3, scope: "row" }, "Semua kota"),
      cols.map((k) => el("td", { class: "n" }, money(k, sum(k)))))));
  const picker = dayPicker("kota-date", date, (d) => { location.hash = href("kota", { date: d }); });
  const added = cities.find((c) => c.code === params.get("added"));
  fill(main,
    el("header", { class: "page-head" }, el("h1", {}, "Kota"), picker),
    added ? el("p", { class: "notice", role: "status", id: "city-added" },
      `${added.name} (${added.code}) ditambahkan. Buat admin kotanya di bawah, lalu kredensial gateway-nya.`) : null,
    el("p", { class: "muted" }, `Hari bisnis ${dayName(date)}, tiap kota menurut zona waktunya sendiri. Hanya jumlah: data juru parkir, NIK dan nomor telepon tetap milik kota masing-masing.`),
    el("section", { class: "card table-card" }, table),
    el("div", { class: "grid2" }, newCityForm(date), cityAdminForm(cities, added)),
    gatewaysForm(cities, added));
}

function citySelect(cities, chosen) {
  return el("select", { name: "city" }, cities.map((c) =>
    el("option", { value: c.id, selected: chosen && chosen.id === c.id }, `${c.name} (${c.code})`)));
}
const cityName = (cities, id) => { const c = cities.find((x) => String(x.id) === String(id)); return c ? `${c.name} (${c.code})` : ""; };

function newCityForm(date) {
  const general = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "card form", id: "city-form", novalidate: true },
    el("h2", {}, "Kota baru"),
    field("Kode (2–8 huruf kapital, awalan kode titiknya) ", el("input", { name: "code", autocomplete: "off", maxlength: 8, placeholder: "mis. SMD" }), "code"),
    field("Nama ", el("input", { name: "name", autocomplete: "off", placeholder: "mis. Kota Samarinda" }), "name"),
    field("Zona waktu ", el("select", { name: "timezone" }, el("option", { value: "" }, "— pilih zona waktu —"),
      Object.entries(ZONE_LABELS).map(([v, t]) => el("option", { value: v }, t))), "timezone"),
    general, el("button", { type: "submit", class: "primary" }, "Tambah kota"));
  onSubmit(form, general, {
    build: () => { const b = Object.fromEntries(new FormData(form)); b.code = b.code.trim().toUpperCase(); return b; },
    send: (body) => api("/cities", { method: "POST", body }),
    done: (c) => { location.hash = href("kota", { date, added: c.code }); },
    names: CITY_NAMES,
  });
  return form;
}

function cityAdminForm(cities, chosen) {
  const general = el("p", { class: "error", role: "alert" });
  const notice = el("p", { class: "notice", role: "status" });
  const form = el("form", { class: "card form", id: "city-admin-form", novalidate: true },
    el("h2", {}, "Admin kota"),
    el("p", { class: "muted" }, "Admin sebuah kota (biasanya yang pertama); ia menambah pengguna kotanya sendiri dari menu Pengguna."),
    field("Kota ", citySelect(cities, chosen), "city"),
    field("Nama pengguna ", el("input", { name: "username", autocomplete: "off" }), "username"),
    field("Kata sandi (min. 10, bukan sandi umum) ", el("input", { name: "password", type: "password", autocomplete: "new-password" }), "password"),
    general, notice, el("button", { type: "submit", class: "primary" }, "Buat admin"));
  onSubmit(form, general, {
    build: () => Object.fromEntries(new FormData(form)),
    send: ({ city, ...body }) => api(`/cities/${city}/users`, { method: "POST", body }),
    done: (u) => {
      notice.textContent = `Admin ${u.username} dibuat untuk ${cityName(cities, form.elements.city.value)}.`;
      form.elements.username.value = ""; form.elements.password.value = "";
    },
    names: CITY_NAMES,
  });
  return form;
}

function gatewaysForm(cities, chosen) {
  const general = el("p", { class: "error", role: "alert" });
  const notice = el("p", { class: "notice", role: "status" });
  const secret = (name) => el("input", { name, type: "password", autocomplete: "off" });
  const form = el("form", { class: "card form", id: "gateways-form", novalidate: true },
    el("h2", {}, "Kredensial gateway kota"),
    el("p", { class: "muted" }, "Diisi sekali; disimpan terenkripsi dan tidak pernah ditampilkan lagi. Kosongkan gateway yang tidak dipakai. Notifikasi Midtrans kota ini memakai alamat …/gateways/midtrans/notification?city=KODE."),
    field("Kota ", citySelect(cities, chosen), "city"),
    el("div", { class: "form-row" },
      field("Client key SNAP (X-PARTNER-ID) ", el("input", { name: "snap.client_key", autocomplete: "off" }), "snap.client_key"),
      field("Client secret SNAP ", secret("snap.client_secret"), "snap.client_secret")),
    field("Kunci publik SNAP (PEM) ", el("textarea", { name: "snap.public_key_pem", rows: 3 }), "snap.public_key_pem"),
    el("div", { class: "form-row" },
      field("Server key Midtrans ", secret("midtrans.server_key"), "midtrans.server_key"),
      field("Token callback Xendit ", secret("xendit.callback_token"), "xendit.callback_token")),
    general, notice, el("button", { type: "submit", class: "primary" }, "Simpan kredensial"));
  onSubmit(form, general, {
    build: () => {
      const f = Object.fromEntries(new FormData(form));
      const body = {};
      if (f["snap.client_key"]) {
        body.snap = { client_key: f["snap.client_key"] };
        if (f["snap.client_secret"]) body.snap.client_secret = f["snap.client_secret"];
        if (f["snap.public_key_pem"]) body.snap.public_key_pem = f["snap.public_key_pem"];
      }
      if (f["midtrans.server_key"]) body.midtrans = { server_key: f["midtrans.server_key"] };
      if (f["xendit.callback_token"]) body.xendit = { callback_token: f["xendit.callback_token"] };
      return { city: f.city, body };
    },
    send: ({ city, body }) => api(`/cities/${city}/gateways`, { method: "PUT", body }),
    done: (v) => {
      const on = ["snap", "midtrans", "xendit"].filter((g) => v[g]).map((g) => g.toUpperCase());
      notice.textContent = `Tersimpan untuk ${cityName(cities, form.elements.city.value)}. Terpasang: ${on.join(", ") || "belum ada"}.`;
      for (const f of form.querySelectorAll("input, textarea")) f.value = "";
    },
    names: CITY_NAMES,
  });
  return form;
}
