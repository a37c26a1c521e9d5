//! An existing single-city database becomes the default city unchanged (SPEC §17): the demo
//! city is seeded, taken back to the schema before cities (migration 000020 reverted), and
//! migrated forward again; every row is as it was, now the default city's.

use diesel::prelude::*;
use diesel_migrations::MigrationHarness;

use crate::helpers::TestDb;

/// Every table's rows (without `city_id`) as one digest per table, in a stable order.
fn digests(conn: &mut PgConnection, tables: &[String]) -> Vec<(String, i64, String)> {
    #[derive(QueryableByName)]
    struct Digest {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
        #[diesel(sql_type = diesel::sql_types::Text)]
        md5: String,
    }
    tables
        .iter()
        .map(|t| {
            let d = diesel::sql_query(format!(
                "SELECT count(*) AS n, md5(COALESCE(string_agg(r, E'\\n' ORDER BY r), '')) AS md5 \
                 FROM (SELECT (to_jsonb(x) - 'city_id')::text AS r FROM {t} x) rows"
            ))
            .get_result::<Digest>(conn)
            .unwrap();
            (t.clone(), d.n, d.md5)
        })
        .collect()
}

fn tables(conn: &mut PgConnection) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Table {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
           AND table_name NOT LIKE '\\_\\_%' ORDER BY 1",
    )
    .load::<Table>(conn)
    .unwrap()
    .into_iter()
    .map(|t| t.name)
    .collect()
}

#[test]
fn a_single_city_database_becomes_the_default_city_unchanged() {
    let db = TestDb::new();
    let mut conn = db.conn();
    parkir::db::act_for(&mut conn, Some(parkir::state::DEFAULT_CITY)).unwrap();
    parkir::demo::seed(
        &mut conn,
        chrono_tz::Asia::Jakarta,
        "jambi-demo-2026",
        &indicatif::ProgressBar::hidden(),
    )
    .unwrap();
    // Back to the single-city schema, as a database that never had cities.
    let reverted = conn
        .revert_last_migration(parkir::db::MIGRATIONS)
        .unwrap()
        .to_string();
    assert!(reverted.contains("000020"), "{reverted}");
    let old_tables = tables(&mut conn);
    assert!(!old_tables.contains(&"cities".to_owned()));
    let before = digests(&mut conn, &old_tables);
    assert!(
        before.iter().any(|(t, n, _)| t == "payments" && *n > 1000),
        "the demo city has its history: {before:?}"
    );

    parkir::db::migrate(&mut conn).unwrap();
    let after = digests(&mut conn, &old_tables);
    for (was, is) in before.iter().zip(&after) {
        assert_eq!(was, is, "{} changed in the migration", was.0);
    }
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    for t in tables(&mut conn)
        .iter()
        .filter(|t| !["cities", "city_gateways"].contains(&t.as_str()))
    {
        let has_city: bool = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
            "EXISTS (SELECT 1 FROM information_schema.columns \
             WHERE table_name = '{t}' AND column_name = 'city_id')"
        )))
        .get_result(&mut conn)
        .unwrap();
        if has_city {
            let other = diesel::sql_query(format!(
                "SELECT count(*) AS n FROM {t} WHERE city_id IS DISTINCT FROM 1"
            ))
            .get_result::<N>(&mut conn)
            .unwrap()
            .n;
            assert_eq!(other, 0, "{t}: rows outside the default city");
        }
    }
}
