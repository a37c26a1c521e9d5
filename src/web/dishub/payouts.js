// Konsol Dishub: Bagi Hasil (SPEC §15). The city owes each attendant their share of the QRIS
// money; each attendant owes the city its share of the cash they kept. A run settles both over
// closed days: a supervisor or admin drafts it, another admin approves it (four eyes), the
// treasurer sends the bank's transfer file and records the bank's references. Cash paid in
// (setoran tunai) is recorded here too. Loaded before app.js; the helpers (el, api, field …) are its.
"use strict";

const PAYOUT_NAMES = { from: "tanggal awal", to: "tanggal akhir", attendant_id: "juru parkir", amount: "nominal",
  deposited_at: "waktu setor", reference: "nomor bukti", bank_code: "kode bank", account_number: "nomor rekening",
  account_name: "nama pemilik rekening", bank_reference: "referensi bank" };

/** "******7890": an account number as a screen shows it (the transfer file carries it whole). */
const maskAccount = (n) => (n ? "******" + String(n).slice(-4) : "");
const period = (r) => `${dmy(r.from)} – ${dmy(r.to)}`;
function runBadge(status) {
  return el("span", { class: "badge po-" + status }, label("payoutStatus", status));
}
function lineBadge(status) {
  return el("span", { class: "badge pl-" + status }, label("payoutLine", status));
}

async function bagiHasil(main, params) {
  if (params.get("id")) return payoutRun(main, params.get("id"));
  const attendantFilter = params.get("attendant") || "";
  const [runs, people, deposits] = await Promise.all([
    api("/payouts?limit=100"), all("/attendants"),
    api(`/cash-deposits?${new URLSearchParams({ attendant_id: attendantFilter, limit: "100" })}`),
  ]);
  const names = new Map(people.map((a) => [a.id, a.name]));
  const table = el("table", { class: "data", id: "payouts-table" },
    el("thead", {}, el("tr", {}, ["No.", "Periode", "Status", "Juru parkir", "Dibayar", "Dibawa ke periode berikut", "Dibuat", "Disetujui"]
      .map((h, i) => el("th", { class: [4, 5].includes(i) ? "n" : null }, h)))),
    el("tbody", {}, runs.items.length ? runs.items.map((r) => el("tr", { class: "click", "data-run": r.id,
      onclick: () => { location.hash = href("bagi-hasil", { id: r.id }); } },
      el("td", {}, el("a", { href: href("bagi-hasil", { id: r.id }) }, `#${r.id}`)), el("td", {}, period(r)), el("td", {}, runBadge(r.status)),
      el("td", { class: "n" }, num(r.totals.lines)), el("td", { class: "n" }, rp(r.totals.payable)), el("td", { class: "n" }, rp(r.totals.carried_out)),
      el("td", {}, `${r.created_by} · ${local(r.created_at)}`), el("td", {}, r.approved_by ? `${r.approved_by} · ${local(r.approved_at)}` : "—")))
      : el("tr", {}, el("td", { colspan: 8, class: "muted" }, "Belum ada bagi hasil."))));
  fill(main,
    el("header", { class: "page-head" }, el("h1", {}, "Bagi Hasil"),
      el("span", { class: "muted" }, "Bagian juru parkir dari QRIS dikurangi bagian Pemkot dari uang tunai, per periode hari yang sudah ditutup.")),
    can("payoutRun") ? runForm(runs.items) : null,
    el("section", { class: "card table-card" }, el("h2", {}, "Daftar bagi hasil"), table),
    depositSection(people, names, deposits.items, attendantFilter));
}

/** "Buat bagi hasil": a period of closed days; the server names the first open one. */
function runForm(runs) {
  // The day after the last run that still counts is where the next one usually starts.
  const last = runs.find((r) => r.status !== "cancelled");
  const from = dateInput({ id: "run-from", iso: last ? addDays(last.to, 1) : "", name: "from" });
  const to = dateInput({ id: "run-to", name: "to" });
  const general = el("p", { class: "error", role: "alert", id: "run-error" });
  const form = el("form", { class: "card form", id: "run-form", novalidate: true },
    el("h2", {}, "Buat bagi hasil"),
    el("p", { class: "muted" }, "Semua hari dalam periode harus sudah ditutup di Rekap Harian. Draf diperiksa lalu disetujui oleh admin lain."),
    el("div", { class: "form-row" }, field("Dari tanggal ", from, "from", DATE_HINT), field("Sampai tanggal ", to, "to")),
    general, el("button", { type: "submit", class: "primary" }, "Buat bagi hasil"));
  onSubmit(form, general, {
    names: PAYOUT_NAMES,
    build: (check) => {
      const body = {};
      for (const [key, box] of [["from", from], ["to", to]]) {
        const v = box.value();
        if (v === "") check(key, "wajib diisi");
        else if (v === null) check(key, "bukan tanggal; tulis dd/mm/yyyy, mis. 30/11/2026");
        else body[key] = v;
      }
      return body;
    },
    send: (body) => api("/payouts", { method: "POST", body }),
    done: (run) => { location.hash = href("bagi-hasil", { id: run.id }); },
  });
  return form;
}

/** One run: its lines and totals, and what this role may do with it now. */
async function payoutRun(main, id) {
  const [run, o, place] = await Promise.all([api(`/payouts/${id}`), office(), signingPlace()]);
  const t = run.totals;
  const payable = run.lines.filter((l) => l.status === "payable");
  const message = el("p", { class: "error", role: "alert", id: "payout-error" });
  const fail = (e) => { message.textContent = readable(e.problem?.detail || e.message, PAYOUT_NAMES); };
  const act = async (question, path) => {
    if (!confirm(question)) return;
    message.textContent = "";
    try { await api(path, { method: "POST", body: {} }); route(); } catch (e) { if (e.status !== 401) fail(e); }
  };
  const mine = run.created_by === S.user;
  const draft = run.status === "draft";
  const sent = run.status === "approved" || run.status === "paid";
  const actions = el("div", { class: "actions no-print" },
    draft && can("payoutApprove") ? el("button", { class: "primary", id: "payout-approve", onclick: () => act(
      `Setujui bagi hasil ${period(run)}?\n\nTotal dibayar ${rp(t.payable)} dalam ${num(payable.length)} transfer`
      + ` ke rekening juru parkir.\nSetelah disetujui, angkanya tidak berubah lagi.`, `/payouts/${run.id}/approve`) }, "Setujui") : null,
    draft && can("payoutRun") ? el("button", { id: "payout-cancel", onclick: () => act(
      `Batalkan draf bagi hasil ${period(run)}? Hari-harinya dapat dimasukkan lagi ke bagi hasil baru.`, `/payouts/${run.id}/cancel`) }, "Batalkan") : null,
    sent && can("payoutApprove") ? el("button", { id: "payout-transfer", onclick: () =>
      download(`/payouts/${run.id}/transfer.csv`, `transfer-bagi-hasil-${run.id}.csv`).catch(fail) }, "Unduh berkas transfer") : null,
    el("button", { onclick: () => window.print() }, "Cetak"),
    el("a", { href: href("bagi-hasil"), class: "button" }, "Kembali ke daftar"));
  const hint = draft && can("payoutApprove") && mine
    ? el("p", { class: "muted no-print", id: "payout-four-eyes" }, "Anda membuat draf ini; persetujuan harus oleh admin lain.") : null;

  const money = (n) => el("td", { class: "n" }, rp(n));
  const account = (l) => (l.account_number
    ? [el("span", { class: "mono" }, `${l.bank_code} · ${maskAccount(l.account_number)}`), el("br"), el("small", {}, l.account_name)] : "—");
  const table = el("table", { class: "data", id: "payout-lines" },
    el("thead", {}, el("tr", {}, ["Juru parkir", "Bagian non-tunai", "Setoran tunai untuk Pemkot", "Setoran masuk", "Saldo lalu",
      "Bersih", "Dibayar", "Dibawa ke periode berikut", "Status", "Rekening", "Ref. bank"]
      .map((h, i) => el("th", { class: i >= 1 && i <= 7 ? "n" : null }, h)))),
    el("tbody", {}, run.lines.length ? run.lines.map((l) => el("tr", { "data-attendant": l.attendant_id },
      el("td", {}, l.name), money(l.noncash_share), money(l.cash_city_share), money(l.deposits), money(l.carried_in),
      el("td", { class: "n" + (l.net < 0 ? " short" : "") }, rp(l.net)), money(l.payable), money(l.carried_out),
      el("td", {}, lineBadge(l.status)), el("td", { class: "acct" }, account(l)), el("td", { class: "mono" }, l.bank_reference || "—")))
      : el("tr", {}, el("td", { colspan: 11, class: "muted" }, "Tidak ada juru parkir dengan pembayaran atau setoran pada periode ini."))),
    el("tfoot", {}, el("tr", { id: "payout-total" }, el("th", {}, `TOTAL (${num(t.lines)} juru parkir)`),
      [t.noncash_share, t.cash_city_share, t.deposits, t.carried_in, t.net, t.payable, t.carried_out].map((n) => el("th", { class: "n" }, rp(n))),
      el("th"), el("th"), el("th"))));
  const counts = Object.keys(LABELS.payoutLine).map((s) => [s, run.lines.filter((l) => l.status === s).length]).filter(([, n]) => n);

  fill(main,
    el("header", { class: "page-head no-print" }, el("h1", {}, `Bagi Hasil #${run.id}`),
      el("span", { class: "muted" }, period(run)), runBadge(run.status)),
    printHead(o, "DAFTAR BAGI HASIL JURU PARKIR", `Periode ${period(run)} · ${label("payoutStatus", run.status)}`),
    facts("pairs", [
      ["Periode", period(run)], ["Status", label("payoutStatus", run.status)],
      ["Dibuat", `${run.created_by} · ${local(run.created_at)}`],
      ["Disetujui", run.approved_by ? `${run.approved_by} · ${local(run.approved_at)}` : "—"],
      ["Dibayar", run.paid_at ? local(run.paid_at) : "—"],
      ["Total dibayar", `${rp(t.payable)} · ${num(payable.length)} transfer`],
      ["Ringkasan", counts.map(([s, n]) => `${num(n)} ${label("payoutLine", s).toLowerCase()}`).join(" · ") || "—"],
    ]),
    actions, hint, message,
    el("section", { class: "card table-card" }, table),
    el("p", { class: "muted" }, "Bersih = bagian non-tunai − setoran tunai untuk Pemkot + setoran masuk + saldo lalu. "
      + "Bersih positif dibayar ke rekening; tanpa rekening ditahan; negatif menjadi utang. Keduanya dibawa ke periode berikut."),
    run.status === "approved" && can("payoutApprove") && payable.some((l) => !l.bank_reference) ? paidForm(run, payable) : null,
    printFoot(o, place));
}

/** "Catat sudah dibayar": the bank's reference of each transfer, all at once. */
function paidForm(run, payable) {
  const open = payable.filter((l) => !l.bank_reference);
  const inputs = open.map((l) => el("input", { name: "bank_reference", autocomplete: "off", "data-attendant": l.attendant_id,
    "aria-label": `Referensi bank ${l.name}` }));
  const general = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "card form no-print", id: "paid-form", novalidate: true },
    el("h2", {}, "Catat sudah dibayar"),
    el("p", { class: "muted" }, "Isi referensi dari rekening koran bank untuk setiap transfer (kolom reference di berkas transfer: PRK-nomor-jukir)."),
    el("table", { class: "data" }, el("thead", {}, el("tr", {}, ["Juru parkir", "Rekening", "Jumlah", "Referensi transfer", "Referensi bank"]
      .map((h, i) => el("th", { class: i === 2 ? "n" : null }, h)))),
      el("tbody", {}, open.map((l, i) => el("tr", {}, el("td", {}, l.name),
        el("td", { class: "mono" }, `${l.bank_code} · ${maskAccount(l.account_number)}`), el("td", { class: "n" }, rp(l.payable)),
        el("td", { class: "mono" }, `PRK-${run.id}-${l.attendant_id}`),
        el("td", {}, field("", inputs[i], `lines[${i}].bank_reference`)))))),
    general, el("button", { type: "submit", class: "primary", id: "paid-submit" }, "Catat sudah dibayar"));
  onSubmit(form, general, {
    names: PAYOUT_NAMES,
    build: (check) => ({ lines: open.map((l, i) => {
      const reference = inputs[i].value.trim();
      if (!reference) check(`lines[${i}].bank_reference`, "wajib diisi");
      return { attendant_id: l.attendant_id, bank_reference: reference };
    }) }),
    send: (body) => api(`/payouts/${run.id}/paid`, { method: "POST", body }),
    done: () => route(),
  });
  return form;
}

// ---- Setoran tunai ---------------------------------------------------------------------------
function depositSection(people, names, deposits, attendantFilter) {
  const filter = el("select", { id: "deposit-filter" }, el("option", { value: "" }, "Semua juru parkir"),
    people.map((a) => el("option", { value: a.id, selected: String(a.id) === attendantFilter }, a.name)));
  filter.addEventListener("change", () => { location.hash = href("bagi-hasil", { attendant: filter.value }); });
  const table = el("table", { class: "data", id: "deposits-table" },
    el("thead", {}, el("tr", {}, ["Waktu setor", "Juru parkir", "Nominal", "Nomor bukti", "Dicatat oleh", "Bagi hasil"]
      .map((h, i) => el("th", { class: i === 2 ? "n" : null }, h)))),
    el("tbody", {}, deposits.length ? deposits.map((d) => el("tr", { "data-deposit": d.id }, el("td", {}, local(d.deposited_at)),
      el("td", {}, names.get(d.attendant_id) || `#${d.attendant_id}`), el("td", { class: "n" }, rp(d.amount)),
      el("td", { class: "mono" }, d.reference), el("td", {}, d.recorded_by),
      el("td", {}, d.payout_run_id ? el("a", { href: href("bagi-hasil", { id: d.payout_run_id }) }, `#${d.payout_run_id}`) : "belum")))
      : el("tr", {}, el("td", { colspan: 6, class: "muted" }, "Belum ada setoran tunai."))));
  return el("section", { class: "reg-section", id: "deposits" },
    el("h2", { class: "reg-title" }, "Setoran tunai"),
    el("p", { class: "muted" }, "Uang tunai bagian Pemkot yang disetor juru parkir ke kas daerah. Setoran masuk ke bagi hasil hari setornya."),
    can("deposits") ? depositForm(people) : null,
    el("div", { class: "toolbar no-print" }, el("label", {}, "Juru parkir ", filter)),
    el("section", { class: "card table-card" }, table));
}

function depositForm(people) {
  const who = el("select", { name: "attendant_id" }, el("option", { value: "" }, "— pilih juru parkir —"),
    people.map((a) => el("option", { value: a.id }, `${a.name} (${a.kta_number})`)));
  const amount = rupiahInput({ name: "amount", placeholder: "50.000" });
  const day = dateInput({ id: "deposit-date", iso: todayLocal(), name: "deposit_date" });
  const time = el("input", { name: "deposit_time", inputmode: "numeric", placeholder: "16.30", maxlength: 5, autocomplete: "off", class: "time" });
  const reference = el("input", { name: "reference", autocomplete: "off", placeholder: "STR-…" });
  const general = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "card form", id: "deposit-form", novalidate: true },
    el("h3", {}, "Catat setoran tunai"),
    el("div", { class: "form-row" },
      field("Juru parkir ", who, "attendant_id"),
      field("Nominal (Rp) ", amount, "amount", "mis. 50.000"),
      field("Tanggal setor ", day, "deposited_at"),
      field(`Jam (${ZONE.abbr}) `, time, "deposited_at.time", "mis. 16.30"),
      field("Nomor bukti setor ", reference, "reference", "Nomor slip/kuitansi")),
    general, el("button", { type: "submit", class: "primary" }, "Simpan setoran"));
  onSubmit(form, general, {
    names: PAYOUT_NAMES,
    build: (check) => {
      const body = { reference: reference.value.trim() };
      if (!who.value) check("attendant_id", "pilih juru parkir");
      else body.attendant_id = Number(who.value);
      const a = parseRupiah(amount.value);
      if (a === null) check("amount", "wajib diisi");
      else if (!Number.isFinite(a)) check("amount", "tulis rupiah utuh, mis. 50.000");
      else body.amount = a;
      const d = day.value(), hm = parseTime(time.value);
      if (d === "") check("deposited_at", "wajib diisi");
      else if (d === null) check("deposited_at", "bukan tanggal; tulis dd/mm/yyyy");
      if (hm === "") check("deposited_at.time", "wajib diisi");
      else if (hm === null) check("deposited_at.time", "bukan jam; tulis mis. 16.30");
      if (d && hm) body.deposited_at = `${d}T${hm}:00${ZONE.offset}`;
      return body;
    },
    send: (body) => api("/cash-deposits", { method: "POST", body }),
    done: () => route(),
  });
  return form;
}

// ---- Registri: an attendant's payout account ---------------------------------------------------
/** Where an attendant's share is paid (admin); the current account is read into the fields. */
function accountEditor(a) {
  const bank = el("input", { name: "bank_code", inputmode: "numeric", maxlength: 3, autocomplete: "off", placeholder: "002" });
  const number = el("input", { name: "account_number", inputmode: "numeric", maxlength: 20, autocomplete: "off" });
  const holder = el("input", { name: "account_name", autocomplete: "off" });
  const current = el("p", { class: "muted" }, "Memuat rekening…");
  const general = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "card form account-edit", novalidate: true, "data-attendant": a.id },
    el("h3", {}, `Rekening bagi hasil ${a.name}`), current,
    el("div", { class: "form-row" },
      field("Kode bank ", bank, "bank_code", "3 angka, mis. 002 BRI, 008 Mandiri, 009 BNI"),
      field("Nomor rekening ", number, "account_number", "6–20 angka"),
      field("Nama pemilik rekening ", holder, "account_name", "Seperti tertulis di buku tabungan")),
    general, el("div", { class: "actions" }, el("button", { type: "submit", class: "primary" }, "Simpan rekening"),
      el("button", { type: "button", onclick: () => form.remove() }, "Batal")));
  api(`/attendants/${a.id}`).then((d) => {
    const p = d.payout_account;
    current.textContent = p ? `Rekening sekarang: ${p.bank_code} · ${p.account_number} · ${p.account_name}`
      : "Belum ada rekening: bagian non-tunainya ditahan sampai rekening dicatat.";
    if (p) { bank.value = p.bank_code; number.value = p.account_number; holder.value = p.account_name; }
  }).catch((e) => { current.textContent = readable(e.message); });
  onSubmit(form, general, {
    names: PAYOUT_NAMES,
    build: () => ({ bank_code: bank.value.trim(), account_number: number.value.replace(/[\s.-]/g, ""), account_name: holder.value.trim() }),
    send: (body) => api(`/attendants/${a.id}/payout-account`, { method: "PUT", body }),
    done: () => route(),
  });
  return form;
}
