// @generated automatically by Diesel CLI.

diesel::table! {
    alert_runs (business_date) {
        city_id -> Int8,
        business_date -> Date,
        evaluated_at -> Timestamptz,
    }
}

diesel::table! {
    alerts (id) {
        city_id -> Int8,
        id -> Int8,
        kind -> Text,
        severity -> Text,
        spot_id -> Nullable<Int8>,
        attendant_id -> Nullable<Int8>,
        payment_id -> Nullable<Int8>,
        subject_id -> Int8,
        business_date -> Date,
        detected_at -> Timestamptz,
        evidence -> Jsonb,
        status -> Text,
        notes -> Jsonb,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    assignments (id) {
        id -> Int8,
        attendant_id -> Int8,
        spot_id -> Int8,
        starts_at -> Timestamptz,
        ends_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    attendants (id) {
        id -> Int8,
        nik -> Text,
        name -> Text,
        phone -> Text,
        kta_number -> Text,
        status -> Text,
        pin_hash -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        token_version -> Int4,
        photo_jpeg -> Nullable<Bytea>,
        photo_etag -> Nullable<Text>,
        photo_updated_at -> Nullable<Timestamptz>,
        photo_public -> Bool,
    }
}

diesel::table! {
    callbacks (id) {
        id -> Int8,
        gateway -> Text,
        received_at -> Timestamptz,
        headers -> Jsonb,
        body -> Bytea,
        body_truncated -> Bool,
        verdict -> Text,
        reason -> Nullable<Text>,
        http_status -> Int4,
        gateway_txn_id -> Nullable<Text>,
        reported_status -> Nullable<Text>,
        payment_id -> Nullable<Int8>,
        body_sha256 -> Nullable<Text>,
    }
}

diesel::table! {
    charges (id) {
        id -> Int8,
        reference -> Text,
        attendant_id -> Int8,
        spot_id -> Int8,
        zone_version_id -> Int8,
        vehicle_class -> Text,
        amount -> Int8,
        payload -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        paid_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    citizen_reports (id) {
        id -> Int8,
        reference -> Text,
        spot_id -> Nullable<Int8>,
        kind -> Text,
        note -> Nullable<Text>,
        amount_asked -> Nullable<Int8>,
        client_hash -> Text,
        business_date -> Date,
        created_at -> Timestamptz,
        status -> Text,
        notes -> Jsonb,
        updated_at -> Timestamptz,
        location -> Nullable<Text>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Int8,
        key -> Text,
        failed_at -> Timestamptz,
    }
}

diesel::table! {
    merchant_accounts (id) {
        id -> Int8,
        gui -> Text,
        pan -> Text,
        merchant_id -> Text,
        criteria -> Text,
        nmid -> Text,
        name -> Text,
        city -> Text,
        postal_code -> Text,
        mcc -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    payments (id) {
        id -> Int8,
        gateway -> Text,
        gateway_txn_id -> Text,
        source -> Text,
        reference -> Nullable<Text>,
        terminal_id -> Nullable<Text>,
        amount -> Int8,
        fee -> Nullable<Int8>,
        paid_at -> Timestamptz,
        business_date -> Date,
        status -> Text,
        spot_id -> Nullable<Int8>,
        attendant_id -> Nullable<Int8>,
        charge_id -> Nullable<Int8>,
        zone_version_id -> Nullable<Int8>,
        attendant_share_bps -> Nullable<Int4>,
        vehicle_class -> Nullable<Text>,
        flags -> Array<Nullable<Text>>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        rrn -> Nullable<Text>,
        client_ref -> Nullable<Text>,
        payout_run_id -> Nullable<Int8>,
        payout_reversal_run_id -> Nullable<Int8>,
    }
}

diesel::table! {
    reconciliation_closes (business_date) {
        business_date -> Date,
        closed_at -> Timestamptz,
        closed_by -> Text,
        snapshot -> Jsonb,
    }
}

diesel::table! {
    report_keys (business_date) {
        business_date -> Date,
        key -> Bytea,
    }
}

diesel::table! {
    revoked_tokens (jti) {
        jti -> Text,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    settlement_rows (id) {
        id -> Int8,
        settlement_id -> Int8,
        line -> Nullable<Int4>,
        reference -> Text,
        paid_at -> Nullable<Timestamptz>,
        amount -> Nullable<Int8>,
        fee -> Nullable<Int8>,
        net -> Nullable<Int8>,
        terminal_id -> Nullable<Text>,
        nmid -> Nullable<Text>,
        status -> Text,
        payment_id -> Nullable<Int8>,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    settlements (id) {
        city_id -> Int8,
        id -> Int8,
        file_hash -> Text,
        imported_at -> Timestamptz,
        imported_by -> Text,
        row_count -> Int4,
        counts -> Jsonb,
    }
}

diesel::table! {
    snap_tokens (id) {
        id -> Int8,
        token_hash -> Text,
        client_key -> Text,
        issued_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    spots (id) {
        id -> Int8,
        zone_id -> Int8,
        code -> Text,
        name -> Text,
        latitude -> Float8,
        longitude -> Float8,
        terminal_id -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        qris_payload -> Nullable<Text>,
        nmid -> Nullable<Text>,
    }
}

diesel::table! {
    staff_users (id) {
        id -> Int8,
        username -> Text,
        password_hash -> Text,
        role -> Text,
        created_at -> Timestamptz,
        token_version -> Int4,
        disabled -> Bool,
    }
}

diesel::table! {
    warning_letters (id) {
        id -> Int8,
        attendant_id -> Int8,
        alert_id -> Int8,
        level -> Text,
        year -> Int4,
        seq -> Int4,
        number -> Text,
        issued_at -> Timestamptz,
        issued_by -> Text,
        period_from -> Date,
        period_to -> Date,
        total_shortfall -> Int8,
        days -> Jsonb,
    }
}

diesel::table! {
    zone_versions (id) {
        id -> Int8,
        zone_id -> Int8,
        effective_from -> Timestamptz,
        tariffs -> Jsonb,
        attendant_share_bps -> Int4,
        daily_target -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    zones (id) {
        id -> Int8,
        code -> Text,
        name -> Text,
        district -> Text,
        merchant_account_id -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    payout_accounts (attendant_id) {
        attendant_id -> Int8,
        bank_code -> Text,
        account_number -> Text,
        account_name -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    cash_deposits (id) {
        id -> Int8,
        attendant_id -> Int8,
        amount -> Int8,
        deposited_at -> Timestamptz,
        business_date -> Date,
        reference -> Text,
        recorded_by -> Text,
        created_at -> Timestamptz,
        payout_run_id -> Nullable<Int8>,
    }
}

diesel::table! {
    payout_runs (id) {
        id -> Int8,
        from_date -> Date,
        to_date -> Date,
        status -> Text,
        created_by -> Text,
        created_by_id -> Int8,
        created_at -> Timestamptz,
        approved_by -> Nullable<Text>,
        approved_at -> Nullable<Timestamptz>,
        cancelled_at -> Nullable<Timestamptz>,
        paid_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    payout_days (business_date) {
        business_date -> Date,
        run_id -> Int8,
    }
}

diesel::table! {
    payout_lines (run_id, attendant_id) {
        run_id -> Int8,
        attendant_id -> Int8,
        name -> Text,
        noncash_share -> Int8,
        cash_city_share -> Int8,
        deposits -> Int8,
        carried_in -> Int8,
        net -> Int8,
        payable -> Int8,
        carried_out -> Int8,
        status -> Text,
        bank_code -> Nullable<Text>,
        account_number -> Nullable<Text>,
        account_name -> Nullable<Text>,
        bank_reference -> Nullable<Text>,
        paid_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(alerts -> attendants (attendant_id));
diesel::joinable!(alerts -> payments (payment_id));
diesel::joinable!(alerts -> spots (spot_id));
diesel::joinable!(warning_letters -> alerts (alert_id));
diesel::joinable!(warning_letters -> attendants (attendant_id));
diesel::joinable!(assignments -> attendants (attendant_id));
diesel::joinable!(assignments -> spots (spot_id));
diesel::joinable!(callbacks -> payments (payment_id));
diesel::joinable!(citizen_reports -> spots (spot_id));
diesel::joinable!(charges -> attendants (attendant_id));
diesel::joinable!(charges -> spots (spot_id));
diesel::joinable!(charges -> zone_versions (zone_version_id));
diesel::joinable!(payments -> attendants (attendant_id));
diesel::joinable!(payments -> charges (charge_id));
diesel::joinable!(payments -> spots (spot_id));
diesel::joinable!(payments -> zone_versions (zone_version_id));
diesel::joinable!(settlement_rows -> payments (payment_id));
diesel::joinable!(settlement_rows -> settlements (settlement_id));
diesel::joinable!(spots -> zones (zone_id));
diesel::joinable!(zone_versions -> zones (zone_id));
diesel::joinable!(zones -> merchant_accounts (merchant_account_id));
diesel::joinable!(payout_lines -> payout_runs (run_id));
diesel::joinable!(payout_lines -> attendants (attendant_id));
diesel::joinable!(cash_deposits -> attendants (attendant_id));
diesel::joinable!(payout_accounts -> attendants (attendant_id));

diesel::allow_tables_to_appear_in_same_query!(
    cash_deposits,
    payout_accounts,
    payout_days,
    payout_lines,
    payout_runs,
    alert_runs,
    alerts,
    assignments,
    attendants,
    callbacks,
    charges,
    citizen_reports,
    login_failures,
    merchant_accounts,
    payments,
    reconciliation_closes,
    report_keys,
    revoked_tokens,
    settlement_rows,
    settlements,
    snap_tokens,
    spots,
    staff_users,
    warning_letters,
    zone_versions,
    zones,
);
