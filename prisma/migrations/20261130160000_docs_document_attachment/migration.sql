-- 附件 of an issued document: the uploaded files its 附件说明 names, in order, linked to the document when it is
-- signed. The bytes are in stored_file (content-addressed, write-once); these rows never change once written, and
-- are written only while the document is still a draft (in the signing transaction, before its status moves on).
CREATE TABLE "document_attachment" (
    "document_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "mime_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "document_attachment_pkey" PRIMARY KEY ("document_id","seq")
);

CREATE INDEX "document_attachment_sha256_idx" ON "document_attachment"("sha256");

ALTER TABLE "document_attachment" ADD CONSTRAINT "document_attachment_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "document_attachment" ADD CONSTRAINT "document_attachment_sha256_fkey" FOREIGN KEY ("sha256") REFERENCES "stored_file"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE FUNCTION document_attachment_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF (SELECT status FROM document WHERE id = NEW.document_id) <> 'DRAFT' THEN
      RAISE EXCEPTION '公文已签发，附件不能再增加';
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '已签发公文的附件不能修改或删除（%）', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER document_attachment_insert_draft_only
  BEFORE INSERT ON document_attachment
  FOR EACH ROW EXECUTE FUNCTION document_attachment_guard();

CREATE TRIGGER document_attachment_no_update_delete
  BEFORE UPDATE OR DELETE ON document_attachment
  FOR EACH ROW EXECUTE FUNCTION document_attachment_guard();

CREATE TRIGGER document_attachment_no_truncate
  BEFORE TRUNCATE ON document_attachment
  FOR EACH STATEMENT EXECUTE FUNCTION document_attachment_guard();
