//! Photos kept in a folder (`--attachments folder:PATH`) through the real routes: the citizen's
//! photo is served from the folder on the tracking page and the staff case page, a missing
//! object is a Dutch "Foto niet gevonden" 404 (never a 500), and retention deletes the object.

use super::{close_case, contains, get, melding_fields, organise, photo_links, png_with_author, submit};
use crate::helpers::spawn_app_adjusting;
use crate::staff::sign_in;
use axum::http::StatusCode;
use gastvrij_store::attachments::FolderAttachments;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
    let mut found = vec![];
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() { found.extend(files_under(&path)) } else { found.push(path) }
    }
    found
}

#[tokio::test]
async fn photos_in_a_folder_are_served_missing_ones_are_a_dutch_404_and_retention_deletes_them() {
    let folder = std::env::temp_dir().join(format!("gastvrij_photos_{}", uuid::Uuid::now_v7().simple()));
    let attachments = Arc::new(FolderAttachments::new(folder.clone()));
    let app = spawn_app_adjusting(move |app| app.with_attachments(attachments), |state| state).await;
    let org = organise(&app).await;
    let png = png_with_author();
    let fields = melding_fields(&org.topic, "nee");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let token = submit(&app, "melding", &fields, &[("sloot.png", &png)]).await;
    let files = files_under(&folder);
    assert_eq!(files.len(), 1, "the photo is a file in the folder");

    let page = get(&app, &format!("/volgen/{token}"), None).await;
    let links = photo_links(&page.body, &token);
    assert_eq!(links.len(), 1);
    let photo = get(&app, &links[0], None).await;
    assert_eq!(photo.status, StatusCode::OK);
    assert_eq!(photo.header("content-type"), Some("image/png"));
    assert_eq!(photo.bytes, std::fs::read(&files[0]).unwrap(), "served from the folder");
    assert!(!contains(&photo.bytes, b"Jan Jansen"));

    let record = app.app.store().submission_by_token(&gastvrij_app::portal::token_hash(&token)).await.unwrap().unwrap();
    let staff_link = format!("/werkplek/zaken/{}/foto/{}", record.case.id, record.photos[0].id);
    let (session, _) = sign_in(&app, "behandelaar", &["backoffice"]).await;
    let for_staff = super::send(&app.router, "GET", &staff_link, Some(&session), None).await;
    assert_eq!(for_staff.status, StatusCode::OK);
    assert_eq!(for_staff.bytes, photo.bytes);

    // The object disappears (a wrong mount, a bucket emptied): a clear 404, never a 500.
    std::fs::remove_file(&files[0]).unwrap();
    let missing = get(&app, &links[0], None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Foto niet gevonden") && missing.body.contains("lang=\"nl\""), "{}", missing.body);
    let for_staff = super::send(&app.router, "GET", &staff_link, Some(&session), None).await;
    assert_eq!(for_staff.status, StatusCode::NOT_FOUND);
    assert!(for_staff.body.contains("Foto niet gevonden"), "{}", for_staff.body);
    let page = get(&app, &format!("/volgen/{token}"), None).await;
    assert_eq!(page.status, StatusCode::OK, "the tracking page itself still opens");

    // Another photo, then retention two years after closing: the object goes with the row.
    let second = submit(&app, "melding", &fields, &[("sloot.png", &png)]).await;
    assert_eq!(files_under(&folder).len(), 1);
    let case = super::case_of(&app, &second).await;
    close_case(&app, &case).await;
    app.clock.advance_secs(731 * 24 * 3600);
    app.app.apply_retention(app.app.now(), false).await.unwrap();
    assert!(files_under(&folder).is_empty(), "retention deleted the object");
    let _ = std::fs::remove_dir_all(folder);
}
