//! `parkir qris decode|encode`: the pure QRIS engine on the command line.

use std::io::Read;
use std::process::ExitCode;

use clap::Subcommand;

#[derive(Subcommand)]
pub enum QrisCommand {
    /// Print the parsed payload as JSON (exit 0), or the first broken rule as
    /// {"error","code","tag"} (exit 1).
    Decode {
        /// The payload; `-` or nothing reads it from standard input.
        payload: Option<String>,
    },
    /// Build a payload from flags: static, or dynamic with --amount.
    Encode(Box<EncodeArgs>),
}

#[derive(clap::Args)]
pub struct EncodeArgs {
    /// Acquirer GUI (26/00), e.g. ID.CO.BANKJAMBI.WWW.
    #[arg(long)]
    gui: String,
    /// Merchant PAN (26/01).
    #[arg(long)]
    pan: String,
    /// Merchant id at the acquirer (26/02).
    #[arg(long)]
    merchant_id: String,
    /// Merchant criteria (26/03 and 51/03): UMI, UKE, UME, UBE or URE.
    #[arg(long)]
    criteria: String,
    /// National Merchant ID (51/02).
    #[arg(long)]
    nmid: String,
    /// Merchant name (59), ≤ 25.
    #[arg(long)]
    name: String,
    /// Merchant city (60), ≤ 15.
    #[arg(long)]
    city: String,
    /// Postal code (61).
    #[arg(long)]
    postal_code: String,
    /// Merchant category code (52).
    #[arg(long, default_value = "7523")]
    mcc: String,
    /// Amount in whole rupiah (54); makes the payload dynamic (01=12).
    #[arg(long)]
    amount: Option<i64>,
    /// Bill number (62/01), with --amount.
    #[arg(long, requires = "amount")]
    bill_number: Option<String>,
    /// Store label (62/03): the spot code.
    #[arg(long)]
    store_label: Option<String>,
    /// Terminal label (62/07): the spot's terminal id.
    #[arg(long)]
    terminal_label: Option<String>,
}

pub fn run(command: QrisCommand) -> ExitCode {
    use parkir::qris::{MerchantAccountInfo, Payload, StaticSpec, static_payload, to_dynamic};
    let print_error = |e: parkir::qris::QrisError| {
        let out = serde_json::json!({"error": e.message, "code": e.code, "tag": e.tag});
        println!("{out}");
        ExitCode::FAILURE
    };
    match command {
        QrisCommand::Decode { payload } => {
            let raw = match payload.as_deref() {
                Some(p) if p != "-" => p.to_owned(),
                _ => {
                    let mut input = String::new();
                    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
                        eprintln!("parkir: cannot read standard input: {e}");
                        return ExitCode::FAILURE;
                    }
                    input.trim_end_matches(['\n', '\r']).to_owned()
                }
            };
            match Payload::parse(&raw) {
                Ok(p) => {
                    let json = serde_json::to_string_pretty(&p.decoded()).unwrap_or_default();
                    println!("{json}");
                    ExitCode::SUCCESS
                }
                Err(e) => print_error(e),
            }
        }
        QrisCommand::Encode(a) => {
            let spec = StaticSpec {
                account: MerchantAccountInfo {
                    gui: a.gui,
                    pan: a.pan,
                    merchant_id: a.merchant_id,
                    criteria: a.criteria,
                },
                nmid: a.nmid,
                mcc: a.mcc,
                merchant_name: a.name,
                city: a.city,
                postal_code: a.postal_code,
                store_label: a.store_label,
                terminal_label: a.terminal_label,
            };
            let built = static_payload(&spec).and_then(|fixed| match a.amount {
                None => Ok(fixed),
                Some(amount) => {
                    let parsed = Payload::parse(&fixed)?;
                    to_dynamic(&parsed, amount, a.bill_number.as_deref())
                }
            });
            match built {
                Ok(payload) => {
                    println!("{payload}");
                    ExitCode::SUCCESS
                }
                Err(e) => print_error(e),
            }
        }
    }
}
