-- Archived files never change and are never removed; an issued document keeps its PDF and content.
CREATE FUNCTION stored_file_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '归档文件不可修改或删除（%）', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER stored_file_no_update_delete
  BEFORE UPDATE OR DELETE ON stored_file
  FOR EACH ROW EXECUTE FUNCTION stored_file_immutable();

CREATE FUNCTION document_issued_immutable() RETURNS trigger AS $$
BEGIN
  IF OLD.pdf_sha256 IS NOT NULL AND (
       NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256
    OR NEW.model IS DISTINCT FROM OLD.model
    OR NEW.doc_number IS DISTINCT FROM OLD.doc_number
    OR NEW.title IS DISTINCT FROM OLD.title) THEN
    RAISE EXCEPTION '公文 % 已印发，内容与 PDF 不可更改', OLD.doc_number;
  END IF;
  IF OLD.doc_number IS NOT NULL AND NEW.doc_number IS DISTINCT FROM OLD.doc_number THEN
    RAISE EXCEPTION '发文字号 % 一经编定不可更改', OLD.doc_number;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER document_issued_no_change
  BEFORE UPDATE ON document
  FOR EACH ROW EXECUTE FUNCTION document_issued_immutable();

CREATE TRIGGER document_issued_no_delete
  BEFORE DELETE ON document
  FOR EACH ROW WHEN (OLD.pdf_sha256 IS NOT NULL) EXECUTE FUNCTION stored_file_immutable();
