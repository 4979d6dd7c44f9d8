-- Uploads (issue 15): attachments are streamed into PostgreSQL large objects (stored_file.lo_oid) instead of one bytea
-- value; generated document PDFs stay in stored_file.bytes, as do the attachments uploaded before this change.
ALTER TABLE "stored_file" ADD COLUMN     "attached_at" TIMESTAMPTZ(3),
ADD COLUMN     "lo_oid" BIGINT,
ADD COLUMN     "uploaded_at" TIMESTAMPTZ(3),
ALTER COLUMN "bytes" DROP NOT NULL;

-- Every row has its content in one place or the other.
ALTER TABLE "stored_file" ADD CONSTRAINT "stored_file_content_check" CHECK (("bytes" IS NULL) <> ("lo_oid" IS NULL));

-- Archived content still never changes. What may change now: when a file was last uploaded, and (once) when a record
-- first referred to it; and an upload that no record ever referred to may be deleted (the cleanup after the grace
-- period). A generated document's PDF (never uploaded) and anything a record referred to are never deleted.
CREATE FUNCTION stored_file_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.sha256 IS DISTINCT FROM OLD.sha256 OR NEW.mime_type IS DISTINCT FROM OLD.mime_type OR NEW.size IS DISTINCT FROM OLD.size
       OR NEW.bytes IS DISTINCT FROM OLD.bytes OR NEW.lo_oid IS DISTINCT FROM OLD.lo_oid OR NEW.created_at IS DISTINCT FROM OLD.created_at
       OR (OLD.attached_at IS NOT NULL AND NEW.attached_at IS DISTINCT FROM OLD.attached_at) THEN
      RAISE EXCEPTION '归档文件不可修改（%）', TG_OP;
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.uploaded_at IS NULL OR OLD.attached_at IS NOT NULL THEN
    RAISE EXCEPTION '归档文件不可删除（%）', TG_OP;
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER stored_file_no_update_delete ON stored_file;

CREATE TRIGGER stored_file_guard
  BEFORE UPDATE OR DELETE ON stored_file
  FOR EACH ROW EXECUTE FUNCTION stored_file_guard();

-- The files stored before this change may be referenced from any form value: they count as attached, so the cleanup of
-- never-attached uploads leaves them alone.
UPDATE "stored_file" SET "attached_at" = "created_at";

-- One row per upload: the per-person and per-organisation daily quotas sum these.
CREATE TABLE "file_upload" (
    "id" UUID NOT NULL,
    "sha256" TEXT NOT NULL,
    "person_id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "size" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "file_upload_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "file_upload_person_id_created_at_idx" ON "file_upload"("person_id", "created_at");

CREATE INDEX "file_upload_org_id_created_at_idx" ON "file_upload"("org_id", "created_at");

CREATE INDEX "file_upload_sha256_idx" ON "file_upload"("sha256");

CREATE INDEX "stored_file_uploaded_at_idx" ON "stored_file"("uploaded_at");

ALTER TABLE "file_upload" ADD CONSTRAINT "file_upload_sha256_fkey" FOREIGN KEY ("sha256") REFERENCES "stored_file"("sha256") ON DELETE CASCADE ON UPDATE CASCADE;
