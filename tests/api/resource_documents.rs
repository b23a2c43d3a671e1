//! `/resource/documents` and the admin download: multipart upload (content checked by
//! its bytes, size and count limits, every error key), the private `document: pending`
//! label, the list entity, owner-only download returning the same bytes, 404 for other
//! users, reviewer download vs 401 `admin.access.denied` for members, all-or-nothing writes, storage outages
//! (503), and the S3 backend against moto when `BARONG_TEST_S3_URL` is set.

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{TestApp, errors, keys};

/// A tiny but well-formed-looking PNG (the signature is what counts).
pub(crate) fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..200u16).map(|i| (i % 251) as u8));
    bytes
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec()
}

fn in_a_year() -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(365)).to_string()
}

fn yesterday() -> String {
    (chrono::Utc::now().date_naive() - chrono::Duration::days(1)).to_string()
}

/// A form with text fields and `upload[]` files (name, bytes, claimed media type).
fn form(fields: &[(&str, &str)], files: &[(&str, Vec<u8>, &str)]) -> Form {
    let mut form = Form::new();
    for (k, v) in fields {
        form = form.text((*k).to_owned(), (*v).to_owned());
    }
    for (name, bytes, mime) in files {
        let part = Part::bytes(bytes.clone())
            .file_name((*name).to_owned())
            .mime_str(mime)
            .unwrap();
        form = form.part("upload[]", part);
    }
    form
}

/// The usual valid fields.
fn valid_fields(expire: &str) -> Vec<(&'static str, String)> {
    vec![
        ("doc_type", "Passport".to_owned()),
        ("doc_number", "AB 123-456".to_owned()),
        ("doc_expire", expire.to_owned()),
        ("metadata", r#"{"country":"FR"}"#.to_owned()),
    ]
}

fn fields_ref<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, s)| (*k, s.as_str())).collect()
}

async fn upload(app: &TestApp, token: &str, form: Form) -> reqwest::Response {
    app.resource(Method::POST, "/documents", token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn upload_valid(
    app: &TestApp,
    token: &str,
    files: &[(&str, Vec<u8>, &str)],
) -> reqwest::Response {
    let fields = valid_fields(&in_a_year());
    upload(app, token, form(&fields_ref(&fields), files)).await
}

async fn user_token(app: &TestApp, email: &str) -> String {
    app.register_confirmed(email).await;
    app.bearer(email).await
}

async fn list(app: &TestApp, token: &str) -> Vec<Value> {
    let r = app
        .resource(Method::GET, "/documents", token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "[{}]", app.label);
    r.json().await.unwrap()
}

/// GET of a URL path with a token; (status, content type, body bytes).
async fn fetch(app: &TestApp, path: &str, token: Option<&str>) -> (u16, String, Vec<u8>) {
    let mut req = reqwest::Client::new().get(app.url(path));
    if let Some(t) = token {
        req = req.header("Authorization", t);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, ct, r.bytes().await.unwrap().to_vec())
}

async fn private_labels(app: &TestApp, email: &str) -> Vec<(String, String)> {
    let user = app.user(email).await;
    barong::storage::labels::list_by_scope(app.services.db.conn(), user.id, "private")
        .await
        .unwrap()
        .into_iter()
        .map(|l| (l.key, l.value))
        .collect()
}

async fn document_count(app: &TestApp, email: &str) -> u64 {
    let user = app.user(email).await;
    barong::storage::documents::count_for_user(app.services.db.conn(), user.id)
        .await
        .unwrap()
}

/// Regular files under the local uploads folder.
fn stored_files(app: &TestApp) -> usize {
    fn walk(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |rd| {
            rd.filter_map(Result::ok)
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() { walk(&p) } else { 1 }
                })
                .sum()
        })
    }
    walk(&app.data_dir.path().join("uploads"))
}

#[tokio::test]
async fn upload_sets_pending_lists_and_downloads_the_same_bytes() {
    for app in TestApp::each_backend().await {
        let email = "kyc@barong.test";
        let token = user_token(&app, email).await;
        let r = upload_valid(
            &app,
            &token,
            &[
                ("passport.png", png(), "image/png"),
                ("scan.pdf", pdf(), "application/pdf"),
            ],
        )
        .await;
        assert_eq!(r.status(), 201, "[{}]", app.label);
        assert_eq!(r.text().await.unwrap(), "201");
        assert!(
            private_labels(&app, email)
                .await
                .contains(&("document".to_owned(), "pending".to_owned())),
            "[{}] document label pending",
            app.label
        );

        let docs = list(&app, &token).await;
        assert_eq!(docs.len(), 2, "[{}]", app.label);
        let fields: Vec<&String> = docs[0].as_object().unwrap().keys().collect();
        assert_eq!(
            fields,
            [
                "upload",
                "doc_type",
                "doc_number",
                "doc_expire",
                "metadata",
                "created_at",
                "updated_at"
            ]
        );
        assert_eq!(docs[0]["doc_type"], "Passport");
        assert_eq!(docs[0]["doc_number"], "AB 123-456");
        assert_eq!(docs[0]["doc_expire"], in_a_year());
        assert_eq!(docs[0]["metadata"], json!({ "country": "FR" }));
        assert!(docs[0]["created_at"].as_str().unwrap().ends_with('Z'));

        for (doc, (bytes, ct)) in docs
            .iter()
            .zip([(png(), "image/png"), (pdf(), "application/pdf")])
        {
            let url = doc["upload"]["url"].as_str().unwrap();
            assert!(
                url.starts_with("/api/v2/resource/documents/") && url.ends_with("/upload"),
                "{url}"
            );
            let (status, content_type, body) = fetch(&app, url, Some(&token)).await;
            assert_eq!(status, 200, "[{}] {url}", app.label);
            assert_eq!(content_type, ct);
            assert_eq!(body, bytes, "[{}] same bytes back", app.label);
            let (status, _, _) = fetch(&app, url, None).await;
            assert_eq!(status, 401, "download needs the token");
        }

        // The stored object keys are generated, never the client's file names.
        let user = app.user(email).await;
        let rows = barong::storage::documents::list_for_user(app.services.db.conn(), user.id)
            .await
            .unwrap();
        for row in &rows {
            let key = row.upload.as_deref().unwrap();
            assert!(
                key.starts_with(&format!("documents/{}/", user.uid)),
                "{key}"
            );
            assert!(!key.contains("passport") && !key.contains("scan"), "{key}");
        }
        assert_eq!(rows[0].file_name.as_deref(), Some("passport.png"));
    }
}

#[tokio::test]
async fn a_verified_document_label_is_not_downgraded() {
    let app = TestApp::spawn().await;
    let email = "verified@barong.test";
    let token = user_token(&app, email).await;
    let user = app.user(email).await;
    barong::services::levels::set_private_label(
        app.services.db.conn(),
        user.id,
        "document",
        "verified",
    )
    .await
    .unwrap();
    let r = upload_valid(
        &app,
        &token,
        &[("a.jpg", b"\xFF\xD8\xFF\xE0jpeg".to_vec(), "image/jpeg")],
    )
    .await;
    assert_eq!(r.status(), 201);
    assert!(
        private_labels(&app, email)
            .await
            .contains(&("document".to_owned(), "verified".to_owned()))
    );
}

/// Text fields, files, expected status, expected keys.
type Case<'a> = (
    Vec<(&'a str, &'a str)>,
    Vec<(&'a str, Vec<u8>, &'a str)>,
    u16,
    Vec<&'a str>,
);

#[tokio::test]
async fn bad_input_gets_barong_keys_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let huge_metadata = format!(r#"{{"note":"{}"}}"#, "x".repeat(16 * 1024));
    let email = "bad@barong.test";
    let token = user_token(&app, email).await;
    let good = [("p.png", png(), "image/png")];
    let expire = in_a_year();
    let past = yesterday();
    let cases: Vec<Case> = vec![
        (
            // (A form needs one part to be multipart at all; a blank metadata is absent.)
            vec![("metadata", "")],
            vec![],
            422,
            vec![
                "resource.document.missing_doc_type",
                "resource.document.empty_doc_type",
                "resource.document.missing_doc_number",
                "resource.document.empty_doc_number",
                "resource.document.missing_upload",
            ],
        ),
        (
            vec![
                ("doc_type", "Passport"),
                ("doc_number", "1"),
                ("doc_expire", &expire),
            ],
            vec![],
            422,
            vec!["resource.document.missing_upload"],
        ),
        (
            vec![
                ("doc_type", "Selfie"),
                ("doc_number", "1"),
                ("doc_expire", &expire),
            ],
            good.to_vec(),
            400,
            vec!["doc_type.inclusion"],
        ),
        (
            vec![
                ("doc_type", "Passport"),
                ("doc_number", "1/2"),
                ("doc_expire", &expire),
            ],
            good.to_vec(),
            400,
            vec!["doc_number.invalid"],
        ),
        (
            vec![("doc_type", "Passport"), ("doc_number", "1")],
            good.to_vec(),
            422,
            vec!["resource.documents.invalid_format"],
        ),
        (
            vec![
                ("doc_type", "Passport"),
                ("doc_number", "1"),
                ("doc_expire", &past),
            ],
            good.to_vec(),
            422,
            vec!["resource.documents.already_expired"],
        ),
        (
            vec![
                ("doc_type", "Passport"),
                ("doc_number", "1"),
                ("doc_expire", "next year"),
            ],
            good.to_vec(),
            422,
            vec!["resource.documents.expire_not_a_date"],
        ),
        (
            vec![
                ("doc_type", "Passport"),
                ("doc_number", "1"),
                ("doc_expire", " "),
            ],
            good.to_vec(),
            422,
            vec!["resource.document.empty_doc_expire"],
        ),
        (
            vec![
                ("doc_type", "Passport"),
                ("doc_number", "1"),
                ("doc_expire", &expire),
                ("metadata", "{not json"),
            ],
            good.to_vec(),
            422,
            vec!["resource.document.invalid_metadata"],
        ),
        (
            vec![
                ("doc_type", "Passport"),
                ("doc_number", "1"),
                ("doc_expire", &expire),
                ("metadata", "[1,2]"),
            ],
            good.to_vec(),
            422,
            vec!["resource.document.invalid_metadata"],
        ),
        (
            vec![
                ("doc_type", "Passport"),
                ("doc_number", "1"),
                ("doc_expire", &expire),
                ("metadata", &huge_metadata),
            ],
            good.to_vec(),
            422,
            vec!["metadata.too_long"],
        ),
        (
            // A text file named .jpg and claimed as image/jpeg, beside a good file:
            // refused as a whole.
            vec![
                ("doc_type", "Passport"),
                ("doc_number", "1"),
                ("doc_expire", &expire),
            ],
            vec![
                ("p.png", png(), "image/png"),
                ("photo.jpg", b"just some text".to_vec(), "image/jpeg"),
            ],
            400,
            vec!["upload.invalid_type"],
        ),
        (
            vec![
                ("doc_type", "Passport"),
                ("doc_number", "1"),
                ("doc_expire", &expire),
            ],
            vec![("empty.png", Vec::new(), "image/png")],
            400,
            vec!["upload.blank"],
        ),
    ];
    for (fields, files, status, expected) in cases {
        let r = upload(&app, &token, form(&fields, &files)).await;
        assert_eq!(
            errors(r).await,
            (status, keys(&expected)),
            "fields {fields:?}"
        );
    }
    // Not multipart at all.
    let r = app
        .resource(Method::POST, "/documents", &token)
        .json(&json!({ "doc_type": "Passport" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        errors(r).await,
        (415, keys(&["request.unsupported_media_type"]))
    );
    // A multipart body with no part at all is malformed.
    let r = upload(&app, &token, Form::new()).await;
    assert_eq!(errors(r).await, (400, keys(&["request.malformed_body"])));
    // No token.
    let r = reqwest::Client::new()
        .post(app.url("/api/v2/resource/documents"))
        .multipart(form(&[], &good))
        .send()
        .await
        .unwrap();
    assert_eq!(errors(r).await, (401, keys(&["jwt.decode_and_verify"])));

    assert_eq!(document_count(&app, email).await, 0);
    assert_eq!(stored_files(&app), 0);
    assert!(
        !private_labels(&app, email)
            .await
            .iter()
            .any(|(k, _)| k == "document")
    );
}

#[tokio::test]
async fn expiry_can_be_made_optional() {
    let app = TestApp::spawn_with(&[("BARONG_REQUIRED_DOCS_EXPIRE", "false")]).await;
    let token = user_token(&app, "noexp@barong.test").await;
    let r = upload(
        &app,
        &token,
        form(
            &[("doc_type", "Passport"), ("doc_number", "1")],
            &[("p.png", png(), "image/png")],
        ),
    )
    .await;
    assert_eq!(r.status(), 201);
    assert_eq!(list(&app, &token).await[0]["doc_expire"], Value::Null);
    // A past date is still wrong, with the model key.
    let past = yesterday();
    let r = upload(
        &app,
        &token,
        form(
            &[
                ("doc_type", "Passport"),
                ("doc_number", "1"),
                ("doc_expire", &past),
            ],
            &[("p.png", png(), "image/png")],
        ),
    )
    .await;
    assert_eq!(errors(r).await, (400, keys(&["doc_expire.invalid"])));
}

#[tokio::test]
async fn too_big_is_413_in_json() {
    let app = TestApp::spawn_with(&[("BARONG_UPLOAD_MAX_BYTES", "1000")]).await;
    let token = user_token(&app, "big@barong.test").await;
    let mut big = png();
    big.resize(1001, 0);
    let r = upload_valid(&app, &token, &[("big.png", big, "image/png")]).await;
    assert_eq!(errors(r).await, (413, keys(&["request.payload_too_large"])));
    let mut fits = png();
    fits.resize(1000, 0);
    let r = upload_valid(&app, &token, &[("fits.png", fits, "image/png")]).await;
    assert_eq!(r.status(), 201);
    assert_eq!(stored_files(&app), 1);
}

#[tokio::test]
async fn the_document_limit_is_exact() {
    let app = TestApp::spawn_with(&[("BARONG_DOCUMENTS_LIMIT", "3")]).await;
    let email = "limit@barong.test";
    let token = user_token(&app, email).await;
    let file = || ("p.png", png(), "image/png");
    let r = upload_valid(&app, &token, &[file(), file(), file(), file()]).await;
    assert_eq!(
        errors(r).await,
        (400, keys(&["resource.documents.limit_will_be_reached"]))
    );
    assert_eq!(
        upload_valid(&app, &token, &[file(), file()]).await.status(),
        201
    );
    let r = upload_valid(&app, &token, &[file(), file()]).await;
    assert_eq!(
        errors(r).await,
        (400, keys(&["resource.documents.limit_will_be_reached"]))
    );
    assert_eq!(upload_valid(&app, &token, &[file()]).await.status(), 201);
    let r = upload_valid(&app, &token, &[file()]).await;
    assert_eq!(
        errors(r).await,
        (400, keys(&["resource.documents.limit_reached"]))
    );
    assert_eq!(document_count(&app, email).await, 3);
    assert_eq!(stored_files(&app), 3);
}

#[tokio::test]
async fn only_the_owner_downloads_and_reviewers_need_a_role() {
    for app in TestApp::each_backend().await {
        let owner = user_token(&app, "owner@barong.test").await;
        assert_eq!(
            upload_valid(&app, &owner, &[("p.png", png(), "image/png")])
                .await
                .status(),
            201
        );
        let url = list(&app, &owner).await[0]["upload"]["url"]
            .as_str()
            .unwrap()
            .to_owned();
        let id = url.split('/').nth_back(1).unwrap().to_owned();

        let other = user_token(&app, "other@barong.test").await;
        let r = reqwest::Client::new()
            .get(app.url(&url))
            .header("Authorization", &other)
            .send()
            .await
            .unwrap();
        assert_eq!(
            errors(r).await,
            (404, keys(&["record.not_found"])),
            "[{}]",
            app.label
        );
        assert!(list(&app, &other).await.is_empty());
        let (status, _, _) =
            fetch(&app, "/api/v2/resource/documents/abc/upload", Some(&owner)).await;
        assert_eq!(status, 404);

        // The admin route: a member is refused, a reviewer gets the same bytes.
        let admin_url = format!("/api/v2/admin/users/documents/{id}/upload");
        let r = reqwest::Client::new()
            .get(app.url(&admin_url))
            .header("Authorization", &other)
            .send()
            .await
            .unwrap();
        assert_eq!(
            errors(r).await,
            (401, keys(&["admin.access.denied"])),
            "[{}]",
            app.label
        );
        let (status, _, _) = fetch(&app, &admin_url, None).await;
        assert_eq!(status, 401);

        app.register_confirmed("reviewer@barong.test").await;
        let reviewer = app.user("reviewer@barong.test").await;
        app.services
            .db
            .conn()
            .execute_unprepared(&format!(
                "UPDATE users SET role = 'compliance' WHERE id = {}",
                reviewer.id
            ))
            .await
            .unwrap();
        let reviewer_token = app.bearer("reviewer@barong.test").await;
        let (status, ct, body) = fetch(&app, &admin_url, Some(&reviewer_token)).await;
        assert_eq!((status, ct.as_str()), (200, "image/png"), "[{}]", app.label);
        assert_eq!(body, png());
        let (status, _, _) = fetch(
            &app,
            "/api/v2/admin/users/documents/999999/upload",
            Some(&reviewer_token),
        )
        .await;
        assert_eq!(status, 404);
    }
}

#[tokio::test]
async fn storage_down_is_503_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let email = "down@barong.test";
    let token = user_token(&app, email).await;
    // The uploads folder becomes a plain file: every write below it fails.
    let uploads = app.data_dir.path().join("uploads");
    std::fs::remove_dir_all(&uploads).unwrap();
    std::fs::write(&uploads, b"not a folder").unwrap();
    let r = upload_valid(&app, &token, &[("p.png", png(), "image/png")]).await;
    assert_eq!(
        errors(r).await,
        (503, keys(&["resource.documents.storage_unavailable"]))
    );
    assert_eq!(document_count(&app, email).await, 0);
    assert!(
        !private_labels(&app, email)
            .await
            .iter()
            .any(|(k, _)| k == "document")
    );
}

#[tokio::test]
async fn a_failed_database_write_removes_the_stored_files() {
    let app = TestApp::spawn().await;
    let email = "rollback@barong.test";
    let token = user_token(&app, email).await;
    assert_eq!(
        upload_valid(&app, &token, &[("p.png", png(), "image/png")])
            .await
            .status(),
        201
    );
    assert_eq!(stored_files(&app), 1);
    // Counting still works, inserting no longer does (after the files were stored).
    app.services
        .db
        .conn()
        .execute_unprepared(
            "CREATE TRIGGER refuse_documents BEFORE INSERT ON documents \
             BEGIN SELECT RAISE(ABORT, 'refused by test'); END",
        )
        .await
        .unwrap();
    let r = upload_valid(
        &app,
        &token,
        &[
            ("a.png", png(), "image/png"),
            ("b.pdf", pdf(), "application/pdf"),
        ],
    )
    .await;
    assert_eq!(errors(r).await, (503, keys(&["server.unavailable"])));
    assert_eq!(document_count(&app, email).await, 1);
    assert_eq!(
        stored_files(&app),
        1,
        "the two new objects were removed again"
    );
}

#[tokio::test]
async fn unreachable_s3_is_503() {
    let app = TestApp::spawn_with(&[
        ("BARONG_STORAGE_BACKEND", "s3"),
        ("BARONG_S3_BUCKET", "kyc"),
        ("BARONG_S3_ENDPOINT", "http://127.0.0.1:9"),
        ("BARONG_S3_ACCESS_KEY_ID", "test"),
        ("BARONG_S3_SECRET_ACCESS_KEY", "test"),
    ])
    .await;
    let email = "s3down@barong.test";
    let token = user_token(&app, email).await;
    let r = upload_valid(&app, &token, &[("p.png", png(), "image/png")]).await;
    assert_eq!(
        errors(r).await,
        (503, keys(&["resource.documents.storage_unavailable"]))
    );
    assert_eq!(document_count(&app, email).await, 0);
}

#[tokio::test]
async fn s3_backend_round_trip() {
    let Ok(endpoint) = std::env::var("BARONG_TEST_S3_URL") else {
        eprintln!("skipped: set BARONG_TEST_S3_URL (e.g. a moto_server) to test the S3 backend");
        return;
    };
    let endpoint = endpoint.trim_end_matches('/').to_owned();
    let bucket = format!("kyc-{}", barong::crypto::random::hex_token(4));
    // moto accepts an unsigned bucket creation.
    let r = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_success(),
        "create bucket: {:?}",
        r.text().await
    );
    let app = TestApp::spawn_with(&[
        ("BARONG_STORAGE_BACKEND", "s3"),
        ("BARONG_S3_BUCKET", &bucket),
        ("BARONG_S3_ENDPOINT", &endpoint),
        ("BARONG_S3_ACCESS_KEY_ID", "test"),
        ("BARONG_S3_SECRET_ACCESS_KEY", "test"),
    ])
    .await;
    let token = user_token(&app, "s3@barong.test").await;
    let r = upload_valid(&app, &token, &[("scan.pdf", pdf(), "application/pdf")]).await;
    assert_eq!(r.status(), 201, "{:?}", r.text().await);
    let url = list(&app, &token).await[0]["upload"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, ct, body) = fetch(&app, &url, Some(&token)).await;
    assert_eq!((status, ct.as_str()), (200, "application/pdf"));
    assert_eq!(body, pdf());
    // The object really is in the bucket, under a generated key.
    let listing = reqwest::Client::new()
        .get(format!("{endpoint}/{bucket}?list-type=2"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(listing.contains("<Key>documents/"), "{listing}");
    assert!(!listing.contains("scan.pdf"), "{listing}");
    assert_eq!(stored_files(&app), 0, "nothing on local disk");
}
