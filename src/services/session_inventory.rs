//! A user's view of their own log-in sessions (beyond Barong, as Kratos, Kanidm and
//! Keycloak offer): list them, revoke one, revoke all but the current one. Sessions are
//! named by their public handle, never by the cookie value or its store key; a revoked
//! session is gone from the session store, so the edge denies it at once on every
//! instance sharing that store.

use crate::domain::{Lang, event};
use crate::services::{ErrorKind, ServiceError, Services, emit};
use crate::sessions::{ListedSession, Session};
use crate::storage::users::User;

/// One session as its owner sees it.
#[derive(Debug, Clone)]
pub struct SessionView {
    /// Public handle (`DELETE sessions/{id}` takes it).
    pub id: String,
    /// The record.
    pub session: Session,
    /// Whether the request was made with this session.
    pub current: bool,
}

impl Services {
    /// The user's live sessions, newest first.
    pub async fn list_sessions(
        &self,
        user: &User,
        current_sid: Option<&str>,
    ) -> Result<Vec<SessionView>, ServiceError> {
        let mut listed = self.sessions.list_for_user(&user.uid).await?;
        listed.sort_by_key(|l| std::cmp::Reverse(l.session.created_at));
        Ok(listed
            .into_iter()
            .map(|ListedSession { session, .. }| SessionView {
                id: session.public_id.clone(),
                current: current_sid.is_some_and(|c| !c.is_empty() && c == session.public_id),
                session,
            })
            .collect())
    }

    /// Ends one session of the user by its public handle; 404 `record.not_found` if the
    /// user has no such live session.
    pub async fn revoke_session(&self, user: &User, id: &str) -> Result<(), ServiceError> {
        let listed = self.sessions.list_for_user(&user.uid).await?;
        let target = listed
            .iter()
            .find(|l| !l.session.public_id.is_empty() && l.session.public_id == id)
            .ok_or_else(|| ServiceError::new(ErrorKind::NotFound, "record.not_found"))?;
        self.emit_revoked(user, 1, "revoked").await?;
        self.sessions.delete_key(&target.key).await?;
        tracing::info!(user.uid = %user.uid, "session revoked");
        Ok(())
    }

    /// Ends every session of the user except `current_sid`; returns how many ended.
    pub async fn end_other_sessions(
        &self,
        user: &User,
        current_sid: Option<&str>,
    ) -> Result<usize, ServiceError> {
        let listed = self.sessions.list_for_user(&user.uid).await?;
        let others: Vec<_> = listed
            .into_iter()
            .filter(|l| !current_sid.is_some_and(|c| !c.is_empty() && c == l.session.public_id))
            .collect();
        if !others.is_empty() {
            self.emit_revoked(user, others.len(), "others_ended")
                .await?;
        }
        for l in &others {
            self.sessions.delete_key(&l.key).await?;
        }
        Ok(others.len())
    }

    /// `system.session.revoked`, written before the sessions are deleted: a failed
    /// deletion is retried (the event may repeat, as at-least-once allows); a lost event
    /// could not be.
    async fn emit_revoked(
        &self,
        user: &User,
        count: usize,
        reason: &str,
    ) -> Result<(), ServiceError> {
        let about = serde_json::json!({ "count": count, "reason": reason });
        let payload = self.user_event(user, &Lang::english(), about);
        emit(self.db.conn(), event::SESSION_REVOKED, payload).await
    }
}
