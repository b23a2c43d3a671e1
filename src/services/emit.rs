//! Writing Event API events from use cases, always with the transaction of the change
//! they report (the outbox makes them durable and the relay delivers them). Payloads
//! are Barong's: `{user, language, domain, ...}` for `system.user.*` events.

use serde_json::{Value, json};

use crate::domain::Lang;
use crate::storage::model_events::user_object;
use crate::storage::users::User;
use crate::storage::{Conn, outbox};

use super::{ServiceError, Services};

impl Services {
    /// `{user, language, domain}` plus the fields of `extra` (an object).
    pub(crate) fn user_event(&self, user: &User, lang: &Lang, extra: Value) -> Value {
        let mut payload = json!({
            "user": user_object(user),
            "language": lang.as_str(),
            "domain": self.settings.domain,
        });
        if let (Some(map), Value::Object(more)) = (payload.as_object_mut(), extra) {
            map.extend(more);
        }
        payload
    }

    /// Appends `name` with the user as it is now in `conn` (after the caller's change),
    /// in English (actions without a `lang` parameter).
    pub(crate) async fn emit_user_event(
        &self,
        conn: &impl Conn,
        user_id: i64,
        name: &str,
        extra: Value,
    ) -> Result<(), ServiceError> {
        self.emit_user_event_in(conn, user_id, name, &Lang::english(), extra)
            .await
    }

    /// `emit_user_event` in the language the request asked for.
    pub(crate) async fn emit_user_event_in(
        &self,
        conn: &impl Conn,
        user_id: i64,
        name: &str,
        lang: &Lang,
        extra: Value,
    ) -> Result<(), ServiceError> {
        if let Some(user) = crate::storage::users::find_by_id(conn, user_id).await? {
            emit(conn, name, self.user_event(&user, lang, extra)).await?;
        }
        Ok(())
    }
}

/// Appends an event in `conn` (the caller's transaction).
pub(crate) async fn emit(conn: &impl Conn, name: &str, payload: Value) -> Result<(), ServiceError> {
    outbox::append(conn, name, &payload).await?;
    Ok(())
}
