//! Photos in object storage (issue 18, `--attachments folder:PATH|s3://bucket`): the row keeps
//! only the key, the object is written before the row and deleted when the row is not
//! committed, erasure and retention delete the object too, a missing object is "not found"
//! (never another photo, never a failure), and a photo posted through one node is served by
//! another. The S3 story runs against a real S3-compatible server (moto, from PyPI) started
//! here; without `moto_server` on the PATH it is skipped with a notice, unless
//! `GASTVRIJ_REQUIRE_S3=1` (CI), where it fails.

use crate::harness::{TestDb, app, operator, temp_dir, texts};
use crate::portal::team_and_topic;
use gastvrij_app::portal::{UploadedPhoto, token_hash};
use gastvrij_app::ports::{AttachmentError, Attachments, PhotoContent};
use gastvrij_app::privacy::RetentionRun;
use gastvrij_app::{App, AppError, Settings};
use gastvrij_domain::case::CaseResult;
use gastvrij_domain::ids::PhotoId;
use gastvrij_domain::portal::{SubmissionForm, SubmissionKind};
use gastvrij_store::attachments::{FolderAttachments, S3Attachments};
use gastvrij_store::{Database, Location, OpenMode};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

crate::stories!(
    attachments:
    a_photo_in_a_folder_keeps_only_its_key_in_the_row_and_retention_deletes_the_object,
    erasing_a_customer_deletes_the_objects_of_their_photos,
    a_missing_object_is_not_found_and_never_another_photo,
    a_row_that_is_not_committed_leaves_no_object,
    an_object_whose_deletion_fails_stays_queued_and_goes_on_the_next_sweep,
    a_photo_posted_through_one_node_is_served_by_another,
    a_photo_in_an_s3_bucket_is_stored_served_and_erased,
);

// ---- A photo built in code ----------------------------------------------------------------------

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn png_chunk(typ: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let crc = crc32(&[&typ[..], data].concat());
    [&(data.len() as u32).to_be_bytes()[..], typ, data, &crc.to_be_bytes()].concat()
}

/// A 1×1 PNG that names its author in a tEXt chunk (cleaning removes it).
fn png_with_author() -> Vec<u8> {
    [
        vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A],
        png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]),
        png_chunk(b"tEXt", b"Author\0Jan Jansen"),
        png_chunk(b"IDAT", &[0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00]),
        png_chunk(b"IEND", &[]),
    ]
    .concat()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ---- Helpers ------------------------------------------------------------------------------------

/// A melding with one photo through the app (as the portal posts it); returns its token.
async fn melding_with_photo(app: &App) -> String {
    let (_, topic) = team_and_topic(app, &format!("Dode vis {}", uuid::Uuid::now_v7().simple())).await;
    let form = SubmissionForm {
        onderwerp: topic.to_string(),
        omschrijving: "Er ligt een dode vis in de sloot".into(),
        postcode: "2611 AB".into(),
        huisnummer: "12".into(),
        contact: "geen".into(),
        ..Default::default()
    };
    let photo = UploadedPhoto { file_name: "vis.png".into(), bytes: png_with_author() };
    app.submit(SubmissionKind::Melding, &form, &[photo]).await.expect("the melding is stored").token
}

/// The photo ids of the submission behind `token`.
async fn photos_of(app: &App, token: &str) -> Vec<PhotoId> {
    let record = app.store().submission_by_token(&token_hash(token)).await.unwrap().expect("the submission");
    record.photos.iter().map(|p| p.id).collect()
}

/// What the row of a photo holds: the bytes or the key.
async fn row_of(app: &App, token: &str, photo: PhotoId) -> PhotoContent {
    let record = app.store().submission_by_token(&token_hash(token)).await.unwrap().unwrap();
    app.store().submission_photo(record.submission.id, photo).await.unwrap().expect("the photo's row").1
}

fn key_of(content: PhotoContent) -> String {
    match content {
        PhotoContent::Object(key) => key,
        PhotoContent::Bytes(b) => panic!("the row holds {} bytes instead of a key", b.len()),
    }
}

/// Every file under `dir`, recursively (the folder backend's objects).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
    let mut found = vec![];
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

async fn execute(location: &Location, sql: &str) {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match location {
        Location::Sqlite(path) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
            let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
        Location::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

async fn queued(db: &TestDb) -> Vec<Option<String>> {
    texts(&db.location, "SELECT object_key FROM attachment_deletions ORDER BY object_key").await
}

/// Close the case behind `token` and run retention two years and a day later.
async fn close_and_retain(app: &App, clock: &crate::harness::TestClock, token: &str) {
    let record = app.store().submission_by_token(&token_hash(token)).await.unwrap().unwrap();
    app.close_case(&operator(), record.case.id, CaseResult::Opgelost, "De vis is opgehaald", "").await.unwrap();
    clock.advance_secs(731 * 24 * 3600);
    let run = app.apply_retention(app.now(), false).await.unwrap();
    assert!(matches!(run, RetentionRun::Done(c) if c.cases >= 1), "{run:?}");
}

// ---- Stories ------------------------------------------------------------------------------------

pub async fn a_photo_in_a_folder_keeps_only_its_key_in_the_row_and_retention_deletes_the_object(db: &TestDb) {
    let folder = temp_dir();
    let (app, clock) = app(db);
    let app = app.with_attachments(Arc::new(FolderAttachments::new(folder.clone())));
    assert_eq!(app.attachments_backend(), "folder");

    let token = melding_with_photo(&app).await;
    let photos = photos_of(&app, &token).await;
    assert_eq!(photos.len(), 1);
    let key = key_of(row_of(&app, &token, photos[0]).await);
    let sizes = texts(&db.location, "SELECT CAST(LENGTH(content) AS TEXT) FROM submission_photos").await;
    assert_eq!(sizes, [Some("0".to_string())], "the row keeps no bytes");
    let files = files_under(&folder);
    assert_eq!(files, [folder.join(&key)], "one object, under its key");

    let (content_type, bytes) = app.tracked_photo(&token, photos[0]).await.expect("the photo is served");
    assert_eq!(content_type, "image/png");
    assert_eq!(bytes, std::fs::read(&files[0]).unwrap());
    assert!(bytes.starts_with(b"\x89PNG") && !contains(&bytes, b"Jan Jansen"), "the cleaned photo is stored");
    let record = app.store().submission_by_token(&token_hash(&token)).await.unwrap().unwrap();
    let for_staff = app.case_photo(&operator(), record.case.id, photos[0]).await.expect("staff see it too");
    assert_eq!(for_staff.1, bytes);

    close_and_retain(&app, &clock, &token).await;
    assert!(files_under(&folder).is_empty(), "retention deleted the object: {:?}", files_under(&folder));
    assert!(queued(db).await.is_empty(), "nothing is left on the deletion queue");
    assert!(texts(&db.location, "SELECT id FROM submission_photos").await.is_empty());
    let _ = std::fs::remove_dir_all(folder);
}

pub async fn erasing_a_customer_deletes_the_objects_of_their_photos(db: &TestDb) {
    let folder = temp_dir();
    let (app, _) = app(db);
    let app = app.with_attachments(Arc::new(FolderAttachments::new(folder.clone())));
    let jan = crate::privacy::customer(&app, "Jan de Vries", "jan@example.nl").await;
    let (_, topic) = team_and_topic(&app, "Dode vis").await;
    let form = |email: &str| SubmissionForm {
        onderwerp: topic.to_string(),
        omschrijving: "Er ligt een dode vis in de sloot".into(),
        postcode: "2611 AB".into(),
        huisnummer: "12".into(),
        contact: "email".into(),
        naam: "Jan".into(),
        email: email.into(),
        ..Default::default()
    };
    let photo = UploadedPhoto { file_name: "vis.png".into(), bytes: png_with_author() };
    let his = app.submit(SubmissionKind::Melding, &form("jan@example.nl"), std::slice::from_ref(&photo)).await;
    let hers = app.submit(SubmissionKind::Melding, &form("piet@example.nl"), &[photo]).await.unwrap().token;
    let his = his.unwrap().token;
    let her_key = key_of(row_of(&app, &hers, photos_of(&app, &hers).await[0]).await);
    assert_eq!(files_under(&folder).len(), 2);

    let erased = app.erase_customer(&operator(), jan.id).await.unwrap();
    assert_eq!(erased.photos, 1);
    assert_eq!(files_under(&folder), [folder.join(&her_key)], "only the erased photo's object is deleted");
    assert!(queued(db).await.is_empty());
    assert!(photos_of(&app, &his).await.is_empty());
    let _ = std::fs::remove_dir_all(folder);
}

pub async fn a_missing_object_is_not_found_and_never_another_photo(db: &TestDb) {
    let folder = temp_dir();
    let (app, _) = app(db);
    let app = app.with_attachments(Arc::new(FolderAttachments::new(folder.clone())));
    let first = melding_with_photo(&app).await;
    let second = melding_with_photo(&app).await;
    let gone = photos_of(&app, &first).await[0];
    std::fs::remove_file(folder.join(key_of(row_of(&app, &first, gone).await))).unwrap();

    assert!(matches!(app.tracked_photo(&first, gone).await, Err(AppError::NotFound("photo"))));
    let record = app.store().submission_by_token(&token_hash(&first)).await.unwrap().unwrap();
    assert!(matches!(app.case_photo(&operator(), record.case.id, gone).await, Err(AppError::NotFound("photo"))));
    let other = photos_of(&app, &second).await[0];
    assert!(app.tracked_photo(&second, other).await.is_ok(), "the other photo is still served");
    assert!(
        matches!(app.tracked_photo(&first, other).await, Err(AppError::NotFound("photo"))),
        "another submission's photo is never served through this link"
    );

    // A node started without object storage cannot read a key: not found, not a failure.
    let (plain, _) = crate::harness::app(db);
    assert!(matches!(plain.tracked_photo(&second, other).await, Err(AppError::NotFound("photo"))));
    let _ = std::fs::remove_dir_all(folder);
}

pub async fn a_row_that_is_not_committed_leaves_no_object(db: &TestDb) {
    let folder = temp_dir();
    let (app, _) = app(db);
    let app = app.with_attachments(Arc::new(FolderAttachments::new(folder.clone())));
    let token = melding_with_photo(&app).await;
    assert_eq!(files_under(&folder).len(), 1);
    let (_, topic) = team_and_topic(&app, "Wateroverlast").await;

    // The audit log cannot be written: every transaction fails at its last step.
    execute(&db.location, "ALTER TABLE audit_log RENAME TO audit_log_away").await;
    let photo = UploadedPhoto { file_name: "nog een.png".into(), bytes: png_with_author() };
    assert!(app.add_information(&token, "Nog een foto", std::slice::from_ref(&photo), false).await.is_err());
    assert_eq!(files_under(&folder).len(), 1, "the object of the message that was not stored is deleted");
    let form = SubmissionForm {
        onderwerp: topic.to_string(),
        omschrijving: "De straat staat onder water".into(),
        postcode: "2611 AB".into(),
        huisnummer: "14".into(),
        contact: "geen".into(),
        ..Default::default()
    };
    assert!(app.submit(SubmissionKind::Melding, &form, std::slice::from_ref(&photo)).await.is_err());
    assert_eq!(files_under(&folder).len(), 1, "the object of the melding that was not stored is deleted");
    execute(&db.location, "ALTER TABLE audit_log_away RENAME TO audit_log").await;
    assert_eq!(photos_of(&app, &token).await.len(), 1, "no row was written either");

    app.add_information(&token, "Nog een foto", &[photo], false).await.expect("stored once the log is back");
    assert_eq!(photos_of(&app, &token).await.len(), 2);
    assert_eq!(files_under(&folder).len(), 2);
    let _ = std::fs::remove_dir_all(folder);
}

/// A folder whose deletions fail while `refuse` is set.
struct Stubborn {
    folder: FolderAttachments,
    refuse: AtomicBool,
}

#[async_trait::async_trait]
impl Attachments for Stubborn {
    fn backend(&self) -> &'static str {
        "folder"
    }
    async fn put(&self, bytes: &[u8]) -> Result<String, AttachmentError> {
        self.folder.put(bytes).await
    }
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, AttachmentError> {
        self.folder.get(key).await
    }
    async fn delete(&self, key: &str) -> Result<(), AttachmentError> {
        if self.refuse.load(Ordering::SeqCst) {
            return Err(AttachmentError { backend: "folder", message: "the disk is read-only".into() });
        }
        self.folder.delete(key).await
    }
}

pub async fn an_object_whose_deletion_fails_stays_queued_and_goes_on_the_next_sweep(db: &TestDb) {
    let folder = temp_dir();
    let stubborn = Arc::new(Stubborn { folder: FolderAttachments::new(folder.clone()), refuse: AtomicBool::new(true) });
    let (app, clock) = app(db);
    let app = app.with_attachments(stubborn.clone());
    let token = melding_with_photo(&app).await;
    let key = key_of(row_of(&app, &token, photos_of(&app, &token).await[0]).await);

    close_and_retain(&app, &clock, &token).await;
    assert!(texts(&db.location, "SELECT id FROM submission_photos").await.is_empty(), "the row is erased");
    assert_eq!(queued(db).await, [Some(key.clone())], "the key waits on the queue");
    assert_eq!(files_under(&folder), [folder.join(&key)]);

    stubborn.refuse.store(false, Ordering::SeqCst);
    assert_eq!(app.sweep_attachments().await.unwrap(), 1);
    assert!(files_under(&folder).is_empty());
    assert!(queued(db).await.is_empty());
    assert_eq!(app.sweep_attachments().await.unwrap(), 0, "a second sweep finds nothing");
    let _ = std::fs::remove_dir_all(folder);
}

pub async fn a_photo_posted_through_one_node_is_served_by_another(db: &TestDb) {
    let shared = temp_dir();
    let (a, clock) = app(db);
    let a = a.with_attachments(Arc::new(FolderAttachments::new(shared.clone())));
    let other = Database::open(&db.location, OpenMode::MustExist).await.expect("node b opens the database");
    let b = App::new(other.into_store(), clock.clone(), Settings::default())
        .with_attachments(Arc::new(FolderAttachments::new(shared.clone())));

    let token = melding_with_photo(&a).await;
    let photo = photos_of(&b, &token).await[0];
    let from_a = a.tracked_photo(&token, photo).await.unwrap();
    let from_b = b.tracked_photo(&token, photo).await.expect("node b serves node a's photo");
    assert_eq!(from_a, from_b);
    let _ = std::fs::remove_dir_all(shared);
}

// ---- S3 (moto) ----------------------------------------------------------------------------------

/// A moto S3 server on a free port, stopped when dropped.
struct S3Server {
    child: std::process::Child,
    endpoint: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `moto_server` with one bucket, `gastvrij`; `None` (with a notice) when it is not
/// installed, unless `GASTVRIJ_REQUIRE_S3=1`.
async fn s3_server() -> Option<S3Server> {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = std::process::Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let child = match child {
        Ok(child) => child,
        Err(e) if std::env::var("GASTVRIJ_REQUIRE_S3").is_ok_and(|v| v == "1") => {
            panic!("GASTVRIJ_REQUIRE_S3=1 but moto_server cannot start ({e}); pip install 'moto[server]'")
        }
        Err(e) => {
            eprintln!("S3 story skipped: moto_server cannot start ({e}); pip install 'moto[server]' to run it");
            return None;
        }
    };
    let server = S3Server { child, endpoint: format!("http://127.0.0.1:{port}") };
    // Wait until it answers, by making the bucket (moto takes unsigned requests).
    for _ in 0..300 {
        if let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
            let request = format!(
                "PUT /gastvrij HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let mut answer = String::new();
            if stream.write_all(request.as_bytes()).await.is_ok() && stream.read_to_string(&mut answer).await.is_ok() {
                assert!(answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200"), "{answer}");
                return Some(server);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("moto_server did not answer on port {port}");
}

fn bucket(endpoint: &str, prefix: &str) -> S3Attachments {
    let builder = object_store::aws::AmazonS3Builder::new()
        .with_bucket_name("gastvrij")
        .with_endpoint(endpoint)
        .with_allow_http(true)
        .with_region("eu-west-1")
        .with_access_key_id("test")
        .with_secret_access_key("test");
    S3Attachments::new(builder, prefix).expect("the bucket")
}

pub async fn a_photo_in_an_s3_bucket_is_stored_served_and_erased(db: &TestDb) {
    let Some(server) = s3_server().await else { return };
    let (a, clock) = app(db);
    let a = a.with_attachments(Arc::new(bucket(&server.endpoint, "gemeente")));
    let other = Database::open(&db.location, OpenMode::MustExist).await.expect("node b opens the database");
    let b = App::new(other.into_store(), clock.clone(), Settings::default())
        .with_attachments(Arc::new(bucket(&server.endpoint, "gemeente")));
    assert_eq!(a.attachments_backend(), "s3");

    let token = melding_with_photo(&a).await;
    let photo = photos_of(&a, &token).await[0];
    let key = key_of(row_of(&a, &token, photo).await);
    let direct = bucket(&server.endpoint, "gemeente");
    let object = direct.get(&key).await.unwrap().expect("the object is in the bucket");
    let (content_type, served) = b.tracked_photo(&token, photo).await.expect("node b serves it from the bucket");
    assert_eq!((content_type.as_str(), &served), ("image/png", &object));
    assert!(!contains(&served, b"Jan Jansen"));
    assert_eq!(bucket(&server.endpoint, "").get(&key).await.unwrap(), None, "the prefix is part of the name");

    close_and_retain(&a, &clock, &token).await;
    assert_eq!(direct.get(&key).await.unwrap(), None, "retention deleted the object");
    assert!(queued(db).await.is_empty());
    assert!(matches!(b.tracked_photo(&token, photo).await, Err(AppError::NotFound("photo"))));
}
