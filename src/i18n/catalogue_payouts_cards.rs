//! The catalogue's lines for paying the attendants (SPEC §15) and for their photo and card
//! (SPEC §16), in the form of [`super::catalogue::ID`]; searched after it.

pub const ID: &[(&str, &str)] = &[
    // Bagi hasil (SPEC §15).
    (
        "must be exactly 3 digits (the bank's code, e.g. 002)",
        "harus 3 digit (kode bank, mis. 002)",
    ),
    ("must be 6 to 20 digits", "harus 6 sampai 20 digit"),
    ("must not be in the future", "tidak boleh di masa depan"),
    (
        "must hold 1 to 500 lines",
        "harus berisi 1 sampai 500 baris",
    ),
    (
        "payout run {} does not exist",
        "periode bagi hasil {} tidak ada",
    ),
    (
        "payout run {} is a draft: approve or cancel it first",
        "bagi hasil {} masih draf: setujui atau batalkan dulu",
    ),
    (
        "another payout run is a draft: approve or cancel it first",
        "ada bagi hasil lain yang masih draf: setujui atau batalkan dulu",
    ),
    (
        "{} is not closed: close every day of the run first",
        "{} belum ditutup: tutup dulu setiap hari dalam periode ini",
    ),
    (
        "{} is already in a payout run",
        "{} sudah masuk periode bagi hasil lain",
    ),
    (
        "a day of this period is already in a payout run",
        "ada hari dalam periode ini yang sudah masuk bagi hasil lain",
    ),
    // The same, with the run's status in words (before the general lines: the first match wins).
    (
        "payout run {} is draft: only a draft can be approved",
        "bagi hasil {} masih draf: hanya draf yang dapat disetujui",
    ),
    (
        "payout run {} is approved: only a draft can be approved",
        "bagi hasil {} sudah disetujui: hanya draf yang dapat disetujui",
    ),
    (
        "payout run {} is paid: only a draft can be approved",
        "bagi hasil {} sudah dibayar: hanya draf yang dapat disetujui",
    ),
    (
        "payout run {} is cancelled: only a draft can be approved",
        "bagi hasil {} sudah dibatalkan: hanya draf yang dapat disetujui",
    ),
    (
        "payout run {} is draft: only a draft can be cancelled",
        "bagi hasil {} masih draf: hanya draf yang dapat dibatalkan",
    ),
    (
        "payout run {} is approved: only a draft can be cancelled",
        "bagi hasil {} sudah disetujui: hanya draf yang dapat dibatalkan",
    ),
    (
        "payout run {} is paid: only a draft can be cancelled",
        "bagi hasil {} sudah dibayar: hanya draf yang dapat dibatalkan",
    ),
    (
        "payout run {} is cancelled: only a draft can be cancelled",
        "bagi hasil {} sudah dibatalkan: hanya draf yang dapat dibatalkan",
    ),
    (
        "payout run {} is draft: only an approved run has a transfer file",
        "bagi hasil {} masih draf: berkas transfer hanya untuk yang sudah disetujui",
    ),
    (
        "payout run {} is approved: only an approved run has a transfer file",
        "bagi hasil {} sudah disetujui: berkas transfer hanya untuk yang sudah disetujui",
    ),
    (
        "payout run {} is paid: only an approved run has a transfer file",
        "bagi hasil {} sudah dibayar: berkas transfer hanya untuk yang sudah disetujui",
    ),
    (
        "payout run {} is cancelled: only an approved run has a transfer file",
        "bagi hasil {} sudah dibatalkan: berkas transfer hanya untuk yang sudah disetujui",
    ),
    (
        "payout run {} is draft: only an approved run is paid",
        "bagi hasil {} masih draf: hanya yang sudah disetujui yang dapat dibayar",
    ),
    (
        "payout run {} is approved: only an approved run is paid",
        "bagi hasil {} sudah disetujui: hanya yang sudah disetujui yang dapat dibayar",
    ),
    (
        "payout run {} is paid: only an approved run is paid",
        "bagi hasil {} sudah dibayar: hanya yang sudah disetujui yang dapat dibayar",
    ),
    (
        "payout run {} is cancelled: only an approved run is paid",
        "bagi hasil {} sudah dibatalkan: hanya yang sudah disetujui yang dapat dibayar",
    ),
    (
        "payout run {} is {}: only a draft can be approved",
        "bagi hasil {} berstatus {}: hanya draf yang dapat disetujui",
    ),
    (
        "payout run {} is {}: only a draft can be cancelled",
        "bagi hasil {} berstatus {}: hanya draf yang dapat dibatalkan",
    ),
    (
        "payout run {} is {}: only an approved run has a transfer file",
        "bagi hasil {} berstatus {}: berkas transfer hanya untuk yang sudah disetujui",
    ),
    (
        "payout run {} is {}: only an approved run is paid",
        "bagi hasil {} berstatus {}: hanya yang sudah disetujui yang dapat dibayar",
    ),
    (
        "you created this payout run; another admin must approve it",
        "Anda yang membuat bagi hasil ini; admin lain yang harus menyetujuinya",
    ),
    (
        "attendant {} has no payable line in this run",
        "jukir {} tidak punya baris yang dibayar dalam periode ini",
    ),
    // The attendant's photo and card (SPEC §16).
    (
        "must be a JPEG or PNG photo (this is not an image)",
        "harus foto JPEG atau PNG (berkas ini bukan gambar)",
    ),
    (
        "must be a JPEG or PNG photo (this is {})",
        "harus foto JPEG atau PNG (berkas ini {})",
    ),
    (
        "could not be read: the file is damaged or incomplete",
        "tidak dapat dibaca: berkas rusak atau tidak lengkap",
    ),
    ("is an empty image (0 pixels)", "gambar kosong (0 piksel)"),
    (
        "is {}×{} pixels: at most 6000 pixels on a side",
        "berukuran {}×{} piksel: paling banyak 6000 piksel per sisi",
    ),
    (
        "is {}×{} pixels: at most 40 megapixels",
        "berukuran {}×{} piksel: paling banyak 40 megapiksel",
    ),
    (
        "is too large to decode (at most 40 megapixels, 8-bit colour)",
        "terlalu besar untuk dibaca (paling banyak 40 megapiksel, warna 8-bit)",
    ),
    ("could not be re-encoded", "tidak dapat disimpan ulang"),
    ("attendant {} has no photo", "jukir {} belum punya foto"),
    (
        "attendant {} is suspended: cards are printed for active attendants only",
        "jukir {} sedang diskors: kartu hanya dicetak untuk jukir aktif",
    ),
    (
        "attendant {} is retired: cards are printed for active attendants only",
        "jukir {} sudah berhenti: kartu hanya dicetak untuk jukir aktif",
    ),
    (
        "attendant {} is {}: cards are printed for active attendants only",
        "jukir {} berstatus {}: kartu hanya dicetak untuk jukir aktif",
    ),
    ("no attendant holds KTA {}", "tidak ada jukir dengan KTA {}"),
    (
        "no public photo for KTA {}",
        "tidak ada foto publik untuk KTA {}",
    ),
];
