//! How typed values sit in columns: [`Rupiah`] in a `bigint`, each vocabulary in a `text`
//! column as its `as_str` word. The types derive `AsExpression`/`FromSqlRow` where they are
//! defined; how they are written and read is here, with the rest of diesel.

use diesel::deserialize::{self, FromSql};
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::BigInt;

use crate::domain::{
    AttendantStatus, PaymentSource, PaymentStatus, ReportKind, ReportStatus, Rupiah,
};
use crate::reconcile::alerts::{AlertKind, AlertStatus, Severity};
use crate::reconcile::settlement::RowStatus;

impl ToSql<BigInt, Pg> for Rupiah {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <i64 as ToSql<BigInt, Pg>>::to_sql(&self.0, out)
    }
}

impl FromSql<BigInt, Pg> for Rupiah {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
        <i64 as FromSql<BigInt, Pg>>::from_sql(bytes).map(Rupiah)
    }
}

/// A vocabulary in a `text` column: written as its `as_str`, read back through its `parse`; a
/// stored word outside the vocabulary is a read error naming it, never a guess.
macro_rules! text_column {
    ($t:ty, $what:literal) => {
        impl ToSql<diesel::sql_types::Text, Pg> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                std::io::Write::write_all(out, self.as_str().as_bytes())?;
                Ok(serialize::IsNull::No)
            }
        }

        impl FromSql<diesel::sql_types::Text, Pg> for $t {
            fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
                let raw = std::str::from_utf8(bytes.as_bytes())?;
                <$t>::parse(raw)
                    .ok_or_else(|| format!(concat!("unknown ", $what, " {:?}"), raw).into())
            }
        }
    };
}

text_column!(PaymentStatus, "payment status");
text_column!(PaymentSource, "payment source");
text_column!(AttendantStatus, "attendant status");
text_column!(AlertKind, "alert kind");
text_column!(Severity, "alert severity");
text_column!(AlertStatus, "alert status");
text_column!(ReportKind, "report kind");
text_column!(ReportStatus, "report status");
text_column!(RowStatus, "settlement row status");
