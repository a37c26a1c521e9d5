//! The catalogue's lines for many cities on one deployment (SPEC §17), in the form of
//! [`super::catalogue::ID`]; searched after it.

pub const ID: &[(&str, &str)] = &[
    (
        "must be 2 to 8 capital letters (e.g. BPN)",
        "harus 2 sampai 8 huruf kapital (mis. BPN)",
    ),
    (
        "give the city's name, at most 80 characters, no control characters",
        "isi nama kota, paling banyak 80 karakter, tanpa karakter kontrol",
    ),
    (
        "must be Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)",
        "harus Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT)",
    ),
    (
        "another city has this code",
        "kode ini sudah dipakai kota lain",
    ),
    ("city {} does not exist", "kota {} tidak ada"),
    ("give the new name", "isi nama yang baru"),
    (
        "{}: another city holds it; register a separate one per city",
        "{}: sudah dipakai kota lain; daftarkan yang terpisah untuk tiap kota",
    ),
    (
        "8 to 512 characters, no control characters",
        "8 sampai 512 karakter, tanpa karakter kontrol",
    ),
    (
        "1 to 128 visible ASCII characters",
        "1 sampai 128 karakter ASCII yang terlihat",
    ),
    (
        "give client_secret, public_key_pem or both: SNAP verifies with them",
        "isi client secret, kunci publik, atau keduanya: SNAP diverifikasi dengan itu",
    ),
    (
        "give at least one of snap, midtrans, xendit",
        "isi setidaknya satu gateway: SNAP, Midtrans atau Xendit",
    ),
    (
        "PARKIR_SECRET_KEY is not set: credentials cannot be stored sealed",
        "PARKIR_SECRET_KEY belum diatur: kredensial tidak dapat disimpan terenkripsi",
    ),
    (
        "an operator belongs to no city",
        "operator platform tidak termasuk kota mana pun",
    ),
    (
        "must be the gateway's RSA public key in PEM (-----BEGIN PUBLIC KEY-----)",
        "harus kunci publik RSA gateway dalam format PEM (-----BEGIN PUBLIC KEY-----)",
    ),
    (
        "this operator account is disabled",
        "akun operator ini dinonaktifkan",
    ),
];
