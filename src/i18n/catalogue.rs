//! Every message an API answer can carry, in English (as the code writes it) and in Bahasa
//! Indonesia. `{}` stands for a value (a number, a name, a field): the English side matches
//! it, the Bahasa side puts the same values back in the same order. The first matching line
//! wins, so a specific line comes before a general one.

pub const ID: &[(&str, &str)] = &[
    // Titles of the problem documents.
    ("Bad Request", "Permintaan tidak valid"),
    ("Unauthorized", "Belum masuk"),
    ("Forbidden", "Tidak diizinkan"),
    ("Not Found", "Tidak ditemukan"),
    ("Method Not Allowed", "Metode tidak diizinkan"),
    ("Conflict", "Bentrok dengan data yang ada"),
    ("Payload Too Large", "Data terlalu besar"),
    ("Unsupported Media Type", "Jenis data tidak didukung"),
    ("Too Many Requests", "Terlalu banyak permintaan"),
    ("Service Unavailable", "Layanan tidak tersedia"),
    ("Internal Server Error", "Kesalahan server"),
    // Formats and ranges of fields.
    ("must be exactly 16 digits", "harus 16 digit"),
    ("must be exactly 6 digits", "harus 6 digit"),
    ("must be 5 digits", "harus 5 digit"),
    ("must be 16 to 19 digits", "harus 16 sampai 19 digit"),
    (
        "must be 4 digits (7523 for parking)",
        "harus 4 digit (7523 untuk parkir)",
    ),
    (
        "must be ID followed by 10 to 13 digits",
        "harus ID diikuti 10 sampai 13 digit",
    ),
    ("must be L, M, Q or H", "harus L, M, Q atau H"),
    ("must be SP1 or SP2", "harus SP1 atau SP2"),
    (
        "must be an Indonesian mobile number (08…, 628… or +628…)",
        "harus nomor HP Indonesia (08…, 628… atau +628…)",
    ),
    (
        "must be an Indonesian mobile number: 08 followed by 8 to 11 digits",
        "harus nomor HP Indonesia: 08 diikuti 8 sampai 11 digit",
    ),
    (
        "must be 1 to 32 letters, digits, '-', '/' or '.'",
        "harus 1 sampai 32 huruf, angka, '-', '/' atau '.'",
    ),
    (
        "must be 1 to {} letters, digits, '-', '_' or '.'",
        "harus 1 sampai {} huruf, angka, '-', '_' atau '.'",
    ),
    ("must be 1 to {} characters", "harus 1 sampai {} karakter"),
    ("must be {} to {} characters", "harus {} sampai {} karakter"),
    (
        "must be at least {} characters",
        "paling sedikit {} karakter",
    ),
    (
        "must be at least {} bytes (e.g. `openssl rand -hex 32`)",
        "paling sedikit {} byte (mis. `openssl rand -hex 32`)",
    ),
    ("must be at most {} characters", "paling banyak {} karakter"),
    (
        "must be at most {} days counting both",
        "paling lama {} hari, termasuk kedua ujungnya",
    ),
    (
        "must be a whole rupiah amount from {} to {}",
        "harus rupiah bulat dari {} sampai {}",
    ),
    (
        "must be whole rupiah from {} to {}",
        "harus rupiah bulat dari {} sampai {}",
    ),
    (
        "must be a whole number from {} to {}",
        "harus bilangan bulat dari {} sampai {}",
    ),
    (
        "must be a whole number ≥ {}, got {}",
        "harus bilangan bulat ≥ {}, bukan {}",
    ),
    (
        "must be basis points from 0 to 10000 (6000 = 60%)",
        "harus basis poin 0 sampai 10000 (6000 = 60%)",
    ),
    (
        "must be a latitude inside Indonesia (-11.5 to 6.5)",
        "harus lintang di wilayah Indonesia (-11,5 sampai 6,5)",
    ),
    (
        "must be a longitude inside Indonesia (94.5 to 141.5)",
        "harus bujur di wilayah Indonesia (94,5 sampai 141,5)",
    ),
    ("must be a date YYYY-MM-DD", "harus tanggal TTTT-BB-HH"),
    ("must be a month YYYY-MM", "harus bulan TTTT-BB"),
    ("must be a time HH:MM", "harus jam JJ:MM"),
    (
        "must be ISO weekdays from 1 (Monday) to 7 (Sunday), at least one",
        "harus hari 1 (Senin) sampai 7 (Minggu), paling sedikit satu",
    ),
    ("must be an RFC 3339 instant", "harus waktu RFC 3339"),
    (
        "must be a cursor from next_cursor",
        "harus cursor dari next_cursor",
    ),
    ("must be after starts_at", "harus sesudah starts_at"),
    ("must not be before from", "tidak boleh sebelum from"),
    ("must not be empty", "tidak boleh kosong"),
    ("must not contain a NUL byte", "tidak boleh berisi byte NUL"),
    (
        "must not contain control characters",
        "tidak boleh berisi karakter kendali",
    ),
    (
        "must be UTF-8 text without NUL bytes",
        "harus teks UTF-8 tanpa byte NUL",
    ),
    (
        "must be printable ASCII without '|' (QRIS)",
        "harus huruf ASCII tanpa '|' (QRIS)",
    ),
    (
        "must be lower-case letters, digits or '_' (e.g. motorcycle, car)",
        "harus huruf kecil, angka atau '_' (mis. motorcycle, car)",
    ),
    (
        "must name at least one vehicle class, e.g. {}",
        "harus menyebut paling sedikit satu jenis kendaraan, mis. {}",
    ),
    (
        "must be one of this zone's classes: {}",
        "harus salah satu jenis kendaraan zona ini: {}",
    ),
    (
        "must be one of admin, supervisor, auditor",
        "harus salah satu dari admin, supervisor, auditor",
    ),
    ("must be one of {}", "harus salah satu dari {}"),
    (
        "must be new, in_review, valid or invalid",
        "harus new, in_review, valid atau invalid",
    ),
    (
        "must be open, acknowledged or resolved",
        "harus open, acknowledged atau resolved",
    ),
    (
        "must be pending, paid, failed, refunded or reversed",
        "harus pending, paid, failed, refunded atau reversed",
    ),
    (
        "must be pungli, tarif_berlebih, qr_berbeda, jukir_tidak_resmi or lainnya",
        "harus pungli, tarif_berlebih, qr_berbeda, jukir_tidak_resmi atau lainnya",
    ),
    (
        "must be noncash_drop, qr_silence, cash_shift, shortfall_streak, unsettled, citizen_reports or gateway_silence",
        "harus noncash_drop, qr_silence, cash_shift, shortfall_streak, unsettled, citizen_reports atau gateway_silence",
    ),
    (
        "must be a shortfall_streak alert of this attendant",
        "harus peringatan shortfall_streak milik jukir ini",
    ),
    (
        "must be a QRIS payload (58=ID) [rule {}, tag {}]",
        "harus isi QRIS (58=ID) [aturan {}, tag {}]",
    ),
    (
        "must be a static QRIS (01=11) to be printed on a sign [rule {}, tag {}]",
        "harus QRIS statis (01=11) untuk dicetak di papan [aturan {}, tag {}]",
    ),
    (
        "must equal the payload's terminal label 62/07 ({})",
        "harus sama dengan label terminal 62/07 pada QRIS ({})",
    ),
    (
        "must not be in the past: a change never revalues past payments",
        "tidak boleh di masa lalu: perubahan tidak mengubah nilai pembayaran lama",
    ),
    (
        "must not be one character repeated",
        "tidak boleh satu karakter yang diulang",
    ),
    (
        "must not be one digit repeated",
        "tidak boleh satu angka yang diulang",
    ),
    (
        "must not be a run of digits up or down (123456, 876543)",
        "tidak boleh deret angka naik atau turun (123456, 876543)",
    ),
    (
        "must not be the birth date in the NIK (digits 7 to 12)",
        "tidak boleh tanggal lahir di NIK (digit 7 sampai 12)",
    ),
    (
        "must not contain the username",
        "tidak boleh memuat nama pengguna",
    ),
    (
        "is one of the 10 000 most common passwords; choose another",
        "termasuk 10.000 kata sandi paling umum; pilih yang lain",
    ),
    (
        "must be at most 24 hours old",
        "paling lama 24 jam yang lalu",
    ),
    (
        "must be at most 2 minutes in the future",
        "paling jauh 2 menit ke depan",
    ),
    (
        "is required (a time, or null to re-open)",
        "wajib diisi (waktu, atau null untuk membuka lagi)",
    ),
    (
        "is required: no earlier version to inherit from",
        "wajib diisi: tidak ada versi sebelumnya",
    ),
    (
        "is required when spot_code is null",
        "wajib diisi bila spot_code kosong",
    ),
    (
        "is required: a spot's code, or null for a place no spot names",
        "wajib diisi: kode titik, atau null untuk tempat yang bukan titik terdaftar",
    ),
    ("is required", "wajib diisi"),
    (
        "may hold only letters, digits, '.', '_' and '-'",
        "hanya boleh huruf, angka, '.', '_' dan '-'",
    ),
    ("is invalid", "tidak sah"),
    (
        "no day from `from` to `to` falls on these weekdays",
        "tidak ada hari dari `from` sampai `to` yang jatuh pada hari-hari ini",
    ),
    (
        "is empty: give a value, or leave the parameter out",
        "kosong: isi nilainya, atau hapus parameternya",
    ),
    ("is out of range", "di luar rentang"),
    ("has the wrong format", "formatnya salah"),
    ("give a status or a note", "isi status atau catatan"),
    (
        "give active, password or role",
        "isi active, password atau role",
    ),
    (
        "only applies with tariffs, attendant_share_bps or daily_target",
        "hanya berlaku bersama tariffs, attendant_share_bps atau daily_target",
    ),
    ("a JSON object is required", "harus objek JSON"),
    (
        "refers to a record that does not exist",
        "merujuk data yang tidak ada",
    ),
    ("breaks the rule {}", "melanggar aturan {}"),
    (
        "the period may span at most {} days",
        "periode paling lama {} hari",
    ),
    // serde's words for a body or a query that does not parse.
    ("missing field `{}`", "wajib diisi"),
    (
        "unknown field `{}`, expected one of {}",
        "kolom `{}` tidak dikenal; yang dikenal: {}",
    ),
    (
        "unknown field `{}`, there are no fields",
        "kolom `{}` tidak dikenal",
    ),
    ("unknown field `{}`", "kolom `{}` tidak dikenal"),
    (
        "unknown variant `{}`, expected one of {}",
        "nilai `{}` tidak dikenal; pilih salah satu: {}",
    ),
    (
        "unknown variant `{}`, expected `{}`",
        "nilai `{}` tidak dikenal; harus `{}`",
    ),
    (
        "invalid type: {}, expected {}",
        "jenis data salah: {}, seharusnya {}",
    ),
    (
        "invalid value: {}, expected {}",
        "nilai salah: {}, seharusnya {}",
    ),
    (
        "invalid length {}, expected {}",
        "panjang salah {}, seharusnya {}",
    ),
    (
        "input contains invalid characters",
        "berisi karakter yang tidak sah",
    ),
    ("premature end of input", "data terpotong"),
    ("trailing characters", "ada karakter berlebih di akhir"),
    ("EOF while parsing {}", "data terpotong saat membaca {}"),
    ("expected value", "nilai tidak terbaca"),
    ("not JSON: {}", "bukan JSON: {}"),
    // Whole answers (the detail of a 401, 403, 404, 409, 413, 415, 429, 503).
    (
        "this needs the role {}; you are {}",
        "perlu peran {}; peran Anda {}",
    ),
    ("staff only", "khusus staf Dishub"),
    (
        "only an attendant has /me; staff use the registry endpoints",
        "/me hanya untuk jukir; staf memakai registri",
    ),
    (
        "missing Authorization: Bearer token",
        "belum masuk: token Bearer tidak ada",
    ),
    (
        "Authorization must be `Bearer <token>`",
        "Authorization harus `Bearer <token>`",
    ),
    (
        "invalid or expired access token",
        "token tidak sah atau sudah kedaluwarsa",
    ),
    ("invalid token", "token tidak sah"),
    (
        "this session has ended; log in again",
        "sesi sudah berakhir; silakan masuk lagi",
    ),
    (
        "this staff account is disabled",
        "akun staf ini dinonaktifkan",
    ),
    (
        "this attendant no longer exists",
        "jukir ini sudah tidak terdaftar",
    ),
    (
        "this attendant is {}; ask Dishub to reactivate the account",
        "jukir ini berstatus {}; minta Dishub mengaktifkan akun lagi",
    ),
    (
        "wrong username or password",
        "nama pengguna atau kata sandi salah",
    ),
    ("wrong phone number or PIN", "nomor HP atau PIN salah"),
    ("wrong credentials", "data masuk salah"),
    (
        "too many requests; retry after {} s",
        "terlalu banyak percobaan; coba lagi setelah {} detik",
    ),
    (
        "payload too large: the limit is {} bytes",
        "data terlalu besar: batasnya {} byte",
    ),
    (
        "unsupported media type: expected {}",
        "jenis data tidak didukung: harus {}",
    ),
    (
        "method not allowed",
        "metode tidak diizinkan untuk alamat ini",
    ),
    ("database unavailable", "basis data tidak tersedia"),
    (
        "the database connection was lost",
        "koneksi basis data terputus",
    ),
    (
        "the database is not accepting writes",
        "basis data sedang tidak menerima perubahan",
    ),
    (
        "an unexpected error occurred; it has been logged",
        "terjadi kesalahan tak terduga; sudah dicatat",
    ),
    (
        "the requested record does not exist",
        "data yang diminta tidak ada",
    ),
    (
        "merchant account {} does not exist",
        "akun merchant {} tidak ada",
    ),
    (
        "citizen report {} does not exist",
        "laporan warga {} tidak ada",
    ),
    ("attendant {} does not exist", "jukir {} tidak ada"),
    ("assignment {} does not exist", "jadwal tugas {} tidak ada"),
    ("alert {} does not exist", "peringatan {} tidak ada"),
    ("charge {} does not exist", "tagihan {} tidak ada"),
    ("payment {} does not exist", "pembayaran {} tidak ada"),
    ("settlement {} does not exist", "setelmen {} tidak ada"),
    (
        "spot_id: spot {} does not exist",
        "spot_id: titik {} tidak ada",
    ),
    ("spot {} does not exist", "titik {} tidak ada"),
    ("user {} does not exist", "pengguna {} tidak ada"),
    ("zone {} does not exist", "zona {} tidak ada"),
    ("letter {} does not exist", "surat {} tidak ada"),
    (
        "spot_code: no official spot has the code {}",
        "spot_code: tidak ada titik resmi berkode {}",
    ),
    ("no spot {}", "tidak ada titik {}"),
    ("no route for {}", "alamat {} tidak ada"),
    ("no such resource: {}", "tidak ada: {}"),
    (
        "the spot already has an assignment overlapping this period",
        "titik ini sudah punya jadwal tugas yang bertumpang tindih",
    ),
    (
        "the attendant already has an assignment overlapping this period",
        "jukir ini sudah punya jadwal tugas yang bertumpang tindih",
    ),
    (
        "the roster overlaps a duty on {}",
        "jadwal bentrok dengan tugas pada {}",
    ),
    (
        "a version with this effective_from already exists",
        "versi dengan effective_from ini sudah ada",
    ),
    (
        "a user named {} already exists",
        "pengguna bernama {} sudah ada",
    ),
    ("the username is taken", "nama pengguna sudah dipakai"),
    ("{} is already in use", "sudah dipakai"),
    ("{} is already closed", "{} sudah ditutup"),
    (
        "{} has not ended yet in {}: a day can be closed from 00:00 of the next day",
        "{} belum berakhir di {}: hari dapat ditutup mulai pukul 00.00 hari berikutnya",
    ),
    (
        "alert {} already has a warning letter",
        "peringatan {} sudah punya surat peringatan",
    ),
    (
        "attendant {} is {}; only an active attendant goes on duty",
        "jukir {} berstatus {}; hanya jukir aktif yang dapat bertugas",
    ),
    (
        "you are not on duty at any spot now; ask your supervisor",
        "Anda tidak sedang bertugas di titik mana pun; hubungi pengawas",
    ),
    (
        "spot {} is not active; no new charge can be made there",
        "titik {} tidak aktif; tidak bisa membuat tagihan baru",
    ),
    (
        "the zone has no tariff in force now",
        "zona ini belum punya tarif yang berlaku",
    ),
    (
        "the zone's merchant account makes no valid QRIS: {}",
        "akun merchant zona ini tidak menghasilkan QRIS yang sah: {}",
    ),
    (
        "you cannot disable or demote your own account; ask another admin",
        "Anda tidak bisa menonaktifkan atau menurunkan peran akun sendiri; minta admin lain",
    ),
    ("alerts {} do not exist", "peringatan {} tidak ada"),
    (
        "must name 1 to {} alerts",
        "harus menyebut 1 sampai {} peringatan",
    ),
];
