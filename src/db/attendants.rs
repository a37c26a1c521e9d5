//! Attendants and their duty assignments.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{assignments, attendants};
use crate::domain::AttendantStatus;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = attendants)]
pub struct Attendant {
    pub id: i64,
    pub nik: String,
    pub name: String,
    pub phone: String,
    pub kta_number: String,
    pub status: AttendantStatus,
    pub pin_hash: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub token_version: i32,
    /// Set while a photo is stored (its ETag).
    pub photo_etag: Option<String>,
    pub photo_updated_at: Option<DateTime<Utc>>,
    /// The attendant agreed to show the photo to the public (SPEC §16).
    pub photo_public: bool,
}

#[derive(Insertable)]
#[diesel(table_name = attendants)]
pub struct NewAttendant<'a> {
    pub nik: &'a str,
    pub name: &'a str,
    pub phone: &'a str,
    pub kta_number: &'a str,
    pub pin_hash: &'a str,
}

pub fn insert_attendant(conn: &mut PgConnection, new: &NewAttendant) -> QueryResult<Attendant> {
    diesel::insert_into(attendants::table)
        .values(new)
        .returning(Attendant::as_returning())
        .get_result(conn)
}

pub fn find_attendant(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Attendant>> {
    attendants::table
        .find(id)
        .select(Attendant::as_select())
        .first(conn)
        .optional()
}

pub fn find_attendant_by_phone(
    conn: &mut PgConnection,
    phone: &str,
) -> QueryResult<Option<Attendant>> {
    attendants::table
        .filter(attendants::phone.eq(phone))
        .select(Attendant::as_select())
        .first(conn)
        .optional()
}

pub fn list_attendants(
    conn: &mut PgConnection,
    status: Option<&str>,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Attendant>> {
    let mut query = attendants::table
        .filter(attendants::id.gt(after))
        .order(attendants::id)
        .limit(limit)
        .select(Attendant::as_select())
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(attendants::status.eq(status));
    }
    query.load(conn)
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = attendants)]
pub struct AttendantChanges {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub kta_number: Option<String>,
    pub status: Option<String>,
    pub pin_hash: Option<String>,
    pub photo_public: Option<bool>,
}

pub fn update_attendant(
    conn: &mut PgConnection,
    id: i64,
    changes: &AttendantChanges,
) -> QueryResult<Attendant> {
    // A new PIN, and any change of status (suspend, reactivate, retire), ends every token
    // issued before: a suspended attendant's old token must not work again after
    // reactivation (SPEC §10).
    let bump = i32::from(changes.pin_hash.is_some() || changes.status.is_some());
    diesel::update(attendants::table.find(id))
        .set((
            changes,
            attendants::updated_at.eq(diesel::dsl::now),
            attendants::token_version.eq(attendants::token_version + bump),
        ))
        .returning(Attendant::as_returning())
        .get_result(conn)
}

#[derive(Clone, Debug, Queryable, Selectable, serde::Serialize, utoipa::ToSchema)]
#[diesel(table_name = assignments)]
pub struct Assignment {
    pub id: i64,
    pub attendant_id: i64,
    pub spot_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Locks the spot, then the attendant, always in that order: two concurrent changes of one
/// spot's (or one attendant's) duty then queue instead of deadlocking inside the exclusion
/// constraint's check. The constraint still decides what overlaps.
pub fn lock_duty(conn: &mut PgConnection, spot_id: i64, attendant_id: i64) -> QueryResult<()> {
    use super::schema::spots;
    spots::table
        .find(spot_id)
        .select(spots::id)
        .for_update()
        .load::<i64>(conn)?;
    attendants::table
        .find(attendant_id)
        .select(attendants::id)
        .for_update()
        .load::<i64>(conn)?;
    Ok(())
}

/// Inserts a duty period; an overlap with another period of the spot or of the attendant is
/// refused by the exclusion constraints (a 409), not by a check here.
pub fn insert_assignment(
    conn: &mut PgConnection,
    attendant_id: i64,
    spot_id: i64,
    starts_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
) -> QueryResult<Assignment> {
    conn.transaction(|conn| {
        lock_duty(conn, spot_id, attendant_id)?;
        insert_assignment_row(conn, attendant_id, spot_id, starts_at, ends_at)
    })
}

pub fn insert_assignment_row(
    conn: &mut PgConnection,
    attendant_id: i64,
    spot_id: i64,
    starts_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
) -> QueryResult<Assignment> {
    diesel::insert_into(assignments::table)
        .values((
            assignments::attendant_id.eq(attendant_id),
            assignments::spot_id.eq(spot_id),
            assignments::starts_at.eq(starts_at),
            assignments::ends_at.eq(ends_at),
        ))
        .returning(Assignment::as_returning())
        .get_result(conn)
}

pub fn list_assignments(
    conn: &mut PgConnection,
    attendant_id: i64,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Assignment>> {
    assignments::table
        .filter(assignments::attendant_id.eq(attendant_id))
        .filter(assignments::id.gt(after))
        .order(assignments::id)
        .limit(limit)
        .select(Assignment::as_select())
        .load(conn)
}

pub fn find_assignment(
    conn: &mut PgConnection,
    attendant_id: i64,
    id: i64,
) -> QueryResult<Option<Assignment>> {
    assignments::table
        .filter(assignments::attendant_id.eq(attendant_id))
        .filter(assignments::id.eq(id))
        .select(Assignment::as_select())
        .first(conn)
        .optional()
}

pub fn set_assignment_end(
    conn: &mut PgConnection,
    id: i64,
    ends_at: Option<DateTime<Utc>>,
) -> QueryResult<Assignment> {
    conn.transaction(|conn| {
        let (spot_id, attendant_id): (i64, i64) = assignments::table
            .find(id)
            .select((assignments::spot_id, assignments::attendant_id))
            .first(conn)?;
        lock_duty(conn, spot_id, attendant_id)?;
        diesel::update(assignments::table.find(id))
            .set(assignments::ends_at.eq(ends_at))
            .returning(Assignment::as_returning())
            .get_result(conn)
    })
}

/// The attendant's assignment covering `at`, if any.
pub fn assignment_of_attendant_at(
    conn: &mut PgConnection,
    attendant_id: i64,
    at: DateTime<Utc>,
) -> QueryResult<Option<Assignment>> {
    covering(at)
        .filter(assignments::attendant_id.eq(attendant_id))
        .first(conn)
        .optional()
}

/// The assignment covering the spot at `at`, if any (who is on duty there).
pub fn assignment_of_spot_at(
    conn: &mut PgConnection,
    spot_id: i64,
    at: DateTime<Utc>,
) -> QueryResult<Option<Assignment>> {
    covering(at)
        .filter(assignments::spot_id.eq(spot_id))
        .first(conn)
        .optional()
}

/// The assignments covering `at` (the rule is `parkir_covers`, `db/attribute.sql`).
fn covering<'a>(
    at: DateTime<Utc>,
) -> assignments::BoxedQuery<
    'a,
    diesel::pg::Pg,
    diesel::dsl::SqlTypeOf<diesel::dsl::AsSelect<Assignment, diesel::pg::Pg>>,
> {
    assignments::table
        .filter(super::parkir_covers(
            assignments::starts_at,
            assignments::ends_at,
            at,
        ))
        .select(Assignment::as_select())
        .into_boxed()
}

/// Attendant names by id.
pub fn names_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, String>> {
    Ok(attendants::table
        .filter(attendants::id.eq_any(ids))
        .select((attendants::id, attendants::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// Stores an attendant's photo (already re-encoded) with its ETag; `None` for an unknown id.
pub fn set_photo(
    conn: &mut PgConnection,
    id: i64,
    jpeg: &[u8],
    etag: &str,
) -> QueryResult<Option<Attendant>> {
    diesel::update(attendants::table.find(id))
        .set((
            attendants::photo_jpeg.eq(jpeg),
            attendants::photo_etag.eq(etag),
            attendants::photo_updated_at.eq(diesel::dsl::now),
            attendants::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Attendant::as_returning())
        .get_result(conn)
        .optional()
}

/// An attendant's photo and its ETag, if they have one.
pub fn photo_of(conn: &mut PgConnection, id: i64) -> QueryResult<Option<(Vec<u8>, String)>> {
    Ok(attendants::table
        .find(id)
        .select((attendants::photo_jpeg, attendants::photo_etag))
        .first::<(Option<Vec<u8>>, Option<String>)>(conn)
        .optional()?
        .and_then(|(jpeg, etag)| jpeg.zip(etag)))
}

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// The attendant with this KTA number: exactly as issued, else the one card that matches in
/// any case (none when two differ only in case).
pub fn find_attendant_by_kta(
    conn: &mut PgConnection,
    kta_number: &str,
) -> QueryResult<Option<Attendant>> {
    let exact = attendants::table
        .filter(attendants::kta_number.eq(kta_number))
        .select(Attendant::as_select())
        .first(conn)
        .optional()?;
    if exact.is_some() {
        return Ok(exact);
    }
    let mut any_case: Vec<Attendant> = attendants::table
        .filter(lower(attendants::kta_number).eq(kta_number.to_lowercase()))
        .select(Attendant::as_select())
        .limit(2)
        .load(conn)?;
    Ok(if any_case.len() == 1 {
        any_case.pop()
    } else {
        None
    })
}

/// The duty that places an attendant: the one covering `at`, else the latest begun before it,
/// else (with `or_next`) the first still to come.
pub fn duty_of_record(
    conn: &mut PgConnection,
    attendant_id: i64,
    at: DateTime<Utc>,
    or_next: bool,
) -> QueryResult<Option<Assignment>> {
    if let Some(now) = assignment_of_attendant_at(conn, attendant_id, at)? {
        return Ok(Some(now));
    }
    let mine = || {
        assignments::table
            .filter(assignments::attendant_id.eq(attendant_id))
            .select(Assignment::as_select())
    };
    if let Some(past) = mine()
        .filter(assignments::starts_at.le(at))
        .order((assignments::starts_at.desc(), assignments::id.desc()))
        .first(conn)
        .optional()?
    {
        return Ok(Some(past));
    }
    if !or_next {
        return Ok(None);
    }
    mine()
        .filter(assignments::starts_at.gt(at))
        .order((assignments::starts_at, assignments::id))
        .first(conn)
        .optional()
}

/// Active attendants whose duty of record ([`duty_of_record`]) is at a spot of `zone_id`, by
/// name: the people a zone's KTA cards are printed for.
pub fn active_in_zone(
    conn: &mut PgConnection,
    zone_id: i64,
    at: DateTime<Utc>,
) -> QueryResult<Vec<Attendant>> {
    use super::schema::spots;
    let candidates: Vec<i64> = assignments::table
        .inner_join(spots::table)
        .inner_join(attendants::table)
        .filter(spots::zone_id.eq(zone_id))
        .filter(attendants::status.eq(AttendantStatus::Active.as_str()))
        .select(assignments::attendant_id)
        .distinct()
        .load(conn)?;
    let mut placed = Vec::with_capacity(candidates.len());
    for id in candidates {
        let Some(duty) = duty_of_record(conn, id, at, true)? else {
            continue;
        };
        let zone: i64 = spots::table
            .find(duty.spot_id)
            .select(spots::zone_id)
            .first(conn)?;
        if zone == zone_id {
            placed.extend(find_attendant(conn, id)?);
        }
    }
    placed.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(placed)
}
