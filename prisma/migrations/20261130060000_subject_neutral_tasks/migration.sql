-- Subject-neutral tasks: a task points at what it acts on (subject) and what it belongs to (origin) by type and id,
-- instead of a directive foreign key, so the lifecycles that follow (review, commendation, accountability) use the same table.
ALTER TABLE "task" ADD COLUMN "subject_type" TEXT, ADD COLUMN "subject_id" UUID, ADD COLUMN "origin_type" TEXT, ADD COLUMN "origin_id" UUID;

UPDATE "task" SET "subject_type" = 'directive', "subject_id" = "directive_id", "origin_type" = 'directive', "origin_id" = "directive_id"
WHERE "kind" = 'RECEIPT';
UPDATE "task" SET "subject_type" = 'approval_step', "subject_id" = ("data"->>'stepId')::uuid, "origin_type" = 'directive', "origin_id" = "directive_id"
WHERE "kind" = 'APPROVAL';
UPDATE "task" t SET "subject_type" = 'filing', "subject_id" = f."id",
  "origin_type" = CASE WHEN t."directive_id" IS NOT NULL THEN 'directive' ELSE 'spot_check_round' END,
  "origin_id" = COALESCE(t."directive_id", (t."data"->>'roundId')::uuid)
FROM "filing" f WHERE f."task_id" = t."id" AND t."kind" = 'FILING';
UPDATE "task" SET "subject_type" = 'spot_check_unit', "subject_id" = ("data"->>'unitRowId')::uuid, "origin_type" = 'spot_check_round', "origin_id" = ("data"->>'roundId')::uuid
WHERE "kind" = 'INSPECTION';

ALTER TABLE "task" ALTER COLUMN "subject_type" SET NOT NULL, ALTER COLUMN "subject_id" SET NOT NULL;

ALTER TABLE "task" DROP CONSTRAINT "task_directive_id_fkey";
DROP INDEX "task_directive_id_kind_status_idx";
ALTER TABLE "task" DROP COLUMN "directive_id";

CREATE INDEX "task_origin_type_origin_id_kind_status_idx" ON "task"("origin_type", "origin_id", "kind", "status");
CREATE INDEX "task_subject_type_subject_id_idx" ON "task"("subject_type", "subject_id");

-- Test-only speed-ups leave the schema: drills are set in-process (apps/server/src/tasks/drills.ts).
ALTER TABLE "directive" DROP COLUMN "reminder_after_seconds";

-- An accountability proposal may name a person as well as their organisation.
ALTER TABLE "accountability_proposal" ADD COLUMN "person_id" UUID;
