//! Whether the server can serve: the database answers and accepts writes; what `/metrics`
//! shows of replication.

use std::time::Duration;

use crate::db::{self, health};
use crate::error::ApiError;
use crate::state::AppState;

/// The database node, when it answers and is the primary; a standby, or no answer, is a 503.
pub async fn writable_node(state: &AppState) -> Result<health::Node, ApiError> {
    super::run(&state.pool, |conn| {
        let node = health::node(conn).map_err(|e| ApiError::database_unavailable(&e))?;
        if node.in_recovery {
            tracing::warn!(node = %node.address, "the database is a standby");
            return Err(ApiError::Unavailable(
                "the database is a standby: it does not accept writes".into(),
            ));
        }
        Ok(node)
    })
    .await
}

/// The primary's view of its standbys, if a connection comes quickly; never a wait on a
/// database that is away.
pub async fn replication(state: &AppState) -> Option<health::Replication> {
    db::try_run(&state.pool, Duration::from_millis(500), health::replication).await
}
