-- Draft versions: each autosave carries the draft version its page started from; a save over a draft another page
-- saved in between is refused (409) instead of overwriting it. draft_editor is the page that saved last.
ALTER TABLE "filing" ADD COLUMN "draft_version" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "draft_editor" TEXT;
