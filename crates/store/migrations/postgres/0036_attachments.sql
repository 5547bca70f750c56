-- Photos in object storage (issue 18, `gastvrij serve --attachments folder:PATH|s3://bucket`): the
-- row then keeps only the object's key (`object_key`), and `content` is empty. Rows without a key
-- keep their bytes in `content`, as before (the default backend, "database").
ALTER TABLE submission_photos ADD COLUMN object_key TEXT;
-- Keys of objects whose photos were erased (erasure, retention), queued in the erasing
-- transaction; the application deletes each object after the commit and then the key.
CREATE TABLE attachment_deletions (
    object_key TEXT PRIMARY KEY
);
