//! Admin activities written by the edge check (AUDIT matches and denials), off the
//! request path: a bounded queue drained by one task in batches. A full queue makes the
//! check wait rather than drop the record. Secrets never reach the `data` column, and
//! the IP is the one derived through trusted proxies (Barong stored raw request
//! parameters and the raw `X-Forwarded-For`, W18).

use tokio::sync::mpsc;

use super::request::CheckRequest;
use crate::storage::activities::AdminActivity;
use crate::storage::{self, Database};

const QUEUE: usize = 10_000;
const BATCH: usize = 200;

/// Parameter names whose values are replaced by `[FILTERED]`.
const SECRET_PARAMS: &[&str] = &[
    "password",
    "otp",
    "code",
    "secret",
    "token",
    "signature",
    "nonce",
];

/// Handle to the audit writer.
#[derive(Clone)]
pub struct AuditWriter {
    tx: mpsc::Sender<AdminActivity>,
}

impl AuditWriter {
    /// Starts the writer task.
    pub fn start(db: Database) -> Self {
        let (tx, mut rx) = mpsc::channel::<AdminActivity>(QUEUE);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(BATCH);
            while rx.recv_many(&mut batch, BATCH).await > 0 {
                let rows = std::mem::take(&mut batch);
                let count = rows.len();
                let mut attempt = 0;
                loop {
                    match storage::activities::insert_admin_activities(db.conn(), rows.clone())
                        .await
                    {
                        Ok(()) => break,
                        Err(e) if attempt < 5 => {
                            attempt += 1;
                            tracing::warn!(error = %e, audit.rows = count, "audit write failed; retrying");
                            tokio::time::sleep(std::time::Duration::from_millis(200 << attempt))
                                .await;
                        }
                        Err(e) => {
                            tracing::error!(error = %e, audit.rows = count, "audit rows lost after retries");
                            break;
                        }
                    }
                }
            }
        });
        Self { tx }
    }

    /// Queues one record.
    pub async fn record(
        &self,
        user_id: i64,
        req: &CheckRequest,
        path: &str,
        topic: String,
        result: &str,
    ) {
        let row = AdminActivity {
            user_id,
            target_uid: req
                .query_param("uid")
                .or_else(|| req.query_param("user_uid")),
            user_ip: req.client_ip.clone(),
            user_agent: req.header("user-agent").unwrap_or_default().to_owned(),
            topic,
            action: action_of(&req.method).to_owned(),
            result: result.to_owned(),
            data: Some(redacted_data(req, path)),
        };
        if self.tx.send(row).await.is_err() {
            tracing::error!("audit writer stopped; record lost");
        }
    }
}

/// Barong's action names by method.
fn action_of(method: &str) -> &'static str {
    match method {
        "POST" => "create",
        "PUT" | "PATCH" => "update",
        "GET" => "read",
        "DELETE" => "delete",
        _ => "system",
    }
}

/// `{"path": ..., "params": {...}}` with secret-looking parameters filtered.
fn redacted_data(req: &CheckRequest, path: &str) -> String {
    let params: serde_json::Map<String, serde_json::Value> = req
        .path
        .split_once('?')
        .and_then(|(_, q)| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| {
            let secret = SECRET_PARAMS
                .iter()
                .any(|s| k.to_ascii_lowercase().contains(s));
            let value = if secret { "[FILTERED]".to_owned() } else { v };
            (k, serde_json::Value::String(value))
        })
        .collect();
    serde_json::json!({ "path": path, "params": params }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_filtered_from_audit_data() {
        let req = CheckRequest {
            path: "/api/v2/x?uid=ID1&password=hunter2&otp_code=123456".into(),
            ..Default::default()
        };
        let data = redacted_data(&req, "api/v2/x");
        assert!(
            !data.contains("hunter2") && !data.contains("123456"),
            "{data}"
        );
        assert!(data.contains("\"uid\":\"ID1\""));
        assert_eq!(action_of("PATCH"), "update");
        assert_eq!(action_of("OPTIONS"), "system");
    }
}
