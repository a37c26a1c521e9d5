// Konsol Dishub: every word the console shows for a code the API sends — flags, kinds,
// statuses, sources, vehicles, roles — in this one catalogue, so a label is changed once and
// never drifts between pages. The flag words are the server's (`PaymentFlag::label_id`), as
// the `lang=id` exports print them. Loaded first; `label(group, code)` reads it.
"use strict";

const LABELS = {
  /** Payment and daily-row flags (badges). */
  flag: {
    late: "terlambat", amount_not_a_tariff: "bukan tarif", outside_duty: "di luar jam tugas",
    unmatched_payments: "tak tercocokkan", no_noncash_while_on_duty: "tanpa non-tunai", shortfall: "kurang target",
    amount_mismatch: "nominal tidak cocok", unknown_terminal: "terminal tak dikenal", unattributed: "tanpa titik",
    inactive_spot: "titik nonaktif", unmatched_reference: "referensi tak dikenal", status_regression: "status mundur",
  },
  /** A flag's longer explanation (the badge's tooltip). */
  flagHelp: {
    late: "Diterima setelah hari itu ditutup; dicatat sebagai penyesuaian.",
    amount_not_a_tariff: "Nominal tidak sama dengan tarif zona untuk jenis kendaraan mana pun.",
    outside_duty: "Dibayar di luar jam tugas juru parkir di titik itu.",
    unmatched_payments: "Pembayaran yang tidak dapat dikaitkan ke juru parkir mana pun.",
    no_noncash_while_on_duty: "Bertugas, tetapi tidak ada satu pun pembayaran non-tunai.",
    shortfall: "Pendapatan di bawah target harian.",
    amount_mismatch: "Nominal dari gateway berbeda dengan tagihan.",
    unknown_terminal: "Terminal pada pembayaran tidak terdaftar di titik mana pun.",
    unattributed: "Pembayaran tidak dapat dikaitkan ke titik parkir.",
    inactive_spot: "Titik parkir sedang nonaktif.",
    unmatched_reference: "Referensi tagihan tidak dikenal.",
    status_regression: "Gateway mencoba memundurkan status; dicatat, tidak diterapkan.",
  },
  paymentStatus: { paid: "Lunas", pending: "Menunggu", failed: "Gagal", refunded: "Dikembalikan", reversed: "Dibatalkan", expired: "Kedaluwarsa" },
  /** How the money came: the gateway name of a payment. */
  gateway: { cash: "Tunai", snap: "QRIS (SNAP BI)", midtrans: "QRIS (Midtrans)", xendit: "QRIS (Xendit)" },
  /** How Parkir learnt of a payment. */
  source: { callback: "notifikasi gateway", cash: "dicatat juru parkir", settlement: "file setelmen" },
  vehicle: { motorcycle: "Motor", car: "Mobil", bus: "Bus", truck: "Truk" },
  /** What Parkir did with one callback. */
  verdict: { accepted: "Diterima", duplicate: "Duplikat", updated: "Memperbarui status", regression: "Status mundur (diabaikan)", rejected: "Ditolak" },
  alertKind: {
    qr_silence: "QR senyap", noncash_drop: "Non-tunai turun", cash_shift: "Bergeser ke tunai",
    shortfall_streak: "Kurang target beruntun", unsettled: "Belum disetelmen", citizen_reports: "Laporan warga",
    gateway_silence: "Gangguan pembayaran se-kota",
  },
  severity: { high: "Tinggi", medium: "Sedang", low: "Rendah" },
  alertStatus: { open: "Baru", acknowledged: "Ditangani", resolved: "Selesai" },
  /** The verb of a triage button, by the status it sets. */
  alertAction: { acknowledged: "Tandai ditangani", resolved: "Selesaikan", open: "Buka lagi" },
  reportKind: { pungli: "Pungutan liar", tarif_berlebih: "Tarif berlebih", qr_berbeda: "QR berbeda",
    jukir_tidak_resmi: "Jukir tidak resmi", lainnya: "Lainnya" },
  reportStatus: { new: "Baru", in_review: "Diperiksa", valid: "Terbukti", invalid: "Tidak terbukti" },
  role: { admin: "Admin", supervisor: "Supervisor", auditor: "Auditor", operator: "Operator platform" },
  attendantStatus: { active: "Aktif", suspended: "Diskors", retired: "Berhenti" },
  spotStatus: { true: "Aktif", false: "Nonaktif" },
  /** QRIS merchant criteria (tag 26/03). */
  criteria: { UMI: "UMI — Usaha Mikro", UKE: "UKE — Usaha Kecil", UME: "UME — Usaha Menengah",
    UBE: "UBE — Usaha Besar", URE: "URE — Usaha Reguler" },
  letterLevel: { SP1: "SP1 (peringatan pertama)", SP2: "SP2 (peringatan kedua)" },
  /** ISO weekdays, 1 = Monday. */
  weekday: { 1: "Senin", 2: "Selasa", 3: "Rabu", 4: "Kamis", 5: "Jumat", 6: "Sabtu", 7: "Minggu" },
  weekdayShort: { 1: "Sen", 2: "Sel", 3: "Rab", 4: "Kam", 5: "Jum", 6: "Sab", 7: "Min" },
  dutyState: { running: "Sedang bertugas", upcoming: "Akan datang", ended: "Selesai" },
  /** A bagi hasil run (SPEC §15). */
  payoutStatus: { draft: "Draf", approved: "Disetujui", paid: "Dibayar", cancelled: "Dibatalkan" },
  /** One attendant's line of a run: what happens to their net. */
  payoutLine: { payable: "Dibayar", held: "Ditahan (tanpa rekening)", owes: "Berutang", settled: "Lunas" },
};

/** The label of `code` in `group`; an unknown code is shown as the API sent it. */
function label(group, code) {
  const words = LABELS[group];
  return words && Object.prototype.hasOwnProperty.call(words, code) ? words[code] : String(code ?? "—");
}
