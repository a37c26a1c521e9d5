//! Typed columns: a row carries `Rupiah` and its vocabularies, read and written through
//! PostgreSQL itself; a stored word outside a vocabulary is a read error naming it.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::helpers::spawn_app;
use parkir::domain::{
    AttendantStatus, PaymentSource, PaymentStatus, ReportKind, ReportStatus, Rupiah,
};
use parkir::reconcile::alerts::{AlertKind, AlertStatus, Severity};
use parkir::reconcile::settlement::RowStatus;

#[actix_web::test]
async fn vocabularies_and_rupiah_round_trip_through_postgres() {
    let app = spawn_app().await;
    let mut conn = app.db.conn();
    let row: (
        PaymentStatus,
        PaymentSource,
        AttendantStatus,
        AlertKind,
        Severity,
        RowStatus,
        Rupiah,
    ) = diesel::select((
        PaymentStatus::Refunded.into_sql::<Text>(),
        "settlement".into_sql::<Text>(),
        AttendantStatus::Suspended.into_sql::<Text>(),
        "gateway_silence".into_sql::<Text>(),
        Severity::High.into_sql::<Text>(),
        "MISSING_CALLBACK".into_sql::<Text>(),
        Rupiah(2_000).into_sql::<BigInt>(),
    ))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(
        row,
        (
            PaymentStatus::Refunded,
            PaymentSource::Settlement,
            AttendantStatus::Suspended,
            AlertKind::GatewaySilence,
            Severity::High,
            RowStatus::MISSING_CALLBACK,
            Rupiah(2_000),
        )
    );
}

#[actix_web::test]
async fn the_triage_vocabularies_round_trip_too() {
    let app = spawn_app().await;
    let mut conn = app.db.conn();
    let row: (AlertStatus, ReportKind, ReportStatus) = diesel::select((
        AlertStatus::Acknowledged.into_sql::<Text>(),
        "jukir_tidak_resmi".into_sql::<Text>(),
        ReportStatus::InReview.into_sql::<Text>(),
    ))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(
        row,
        (
            AlertStatus::Acknowledged,
            ReportKind::JukirTidakResmi,
            ReportStatus::InReview
        )
    );
}

#[actix_web::test]
async fn a_word_outside_the_vocabulary_is_a_read_error_not_a_guess() {
    let app = spawn_app().await;
    let mut conn = app.db.conn();
    let err = diesel::select("Paid".into_sql::<Text>())
        .get_result::<PaymentStatus>(&mut conn)
        .unwrap_err();
    let cause = std::error::Error::source(&err).map(ToString::to_string);
    assert_eq!(
        cause.as_deref(),
        Some(r#"unknown payment status "Paid""#),
        "{err:?}"
    );
}
