-- CreateEnum
CREATE TYPE "AccountabilityCaseStatus" AS ENUM ('OPEN', 'INVESTIGATING', 'DEFENCE', 'DELIBERATING', 'EXECUTING', 'CLOSED', 'DISMISSED');

-- AlterEnum
ALTER TYPE "TaskKind" ADD VALUE 'ACCOUNTABILITY';

-- AlterTable
ALTER TABLE "accountability_measure" ADD COLUMN     "bars" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "case_id" UUID,
ADD COLUMN     "ended_at" TIMESTAMPTZ(3),
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'ACTIVE';

-- AlterTable
ALTER TABLE "accountability_proposal" ADD COLUMN     "case_id" UUID;

-- CreateTable
CREATE TABLE "accountability_case" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "serial" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "status" "AccountabilityCaseStatus" NOT NULL DEFAULT 'OPEN',
    "target_org_id" UUID NOT NULL,
    "target_person_id" UUID,
    "target_post" TEXT,
    "source" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '[]',
    "repeat_of_id" UUID,
    "investigator_ids" UUID[],
    "investigation_at" TIMESTAMPTZ(3),
    "defence_asked_at" TIMESTAMPTZ(3),
    "defence_due_at" TIMESTAMPTZ(3),
    "defence" TEXT,
    "defence_files" JSONB,
    "defence_at" TIMESTAMPTZ(3),
    "defence_by_id" UUID,
    "decision" JSONB,
    "outcome" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "decided_by_id" UUID,
    "effective_on" TEXT,
    "document_id" UUID,
    "served_at" TIMESTAMPTZ(3),
    "appeal_until" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "close_reason" TEXT,
    "workflow_id" TEXT,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "accountability_case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accountability_finding" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "files" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accountability_finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accountability_talk" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "held_at" TIMESTAMPTZ(3) NOT NULL,
    "talker_ids" UUID[],
    "minutes" TEXT NOT NULL,
    "commitments" JSONB NOT NULL DEFAULT '[]',
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accountability_talk_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accountability_appeal" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "filed_by_id" UUID NOT NULL,
    "filed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answer_due_at" TIMESTAMPTZ(3) NOT NULL,
    "outcome" TEXT,
    "answer" TEXT,
    "answered_at" TIMESTAMPTZ(3),
    "answered_by_id" UUID,
    "document_id" UUID,
    "overdue" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "accountability_appeal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "accountability_case_document_id_key" ON "accountability_case"("document_id");

-- CreateIndex
CREATE INDEX "accountability_case_target_person_id_year_idx" ON "accountability_case"("target_person_id", "year");

-- CreateIndex
CREATE INDEX "accountability_case_target_org_id_year_idx" ON "accountability_case"("target_org_id", "year");

-- CreateIndex
CREATE UNIQUE INDEX "accountability_case_org_id_year_serial_key" ON "accountability_case"("org_id", "year", "serial");

-- CreateIndex
CREATE INDEX "accountability_finding_case_id_idx" ON "accountability_finding"("case_id");

-- CreateIndex
CREATE INDEX "accountability_talk_case_id_idx" ON "accountability_talk"("case_id");

-- CreateIndex
CREATE UNIQUE INDEX "accountability_appeal_case_id_key" ON "accountability_appeal"("case_id");

-- CreateIndex
CREATE UNIQUE INDEX "accountability_appeal_document_id_key" ON "accountability_appeal"("document_id");

-- CreateIndex
CREATE INDEX "accountability_measure_case_id_idx" ON "accountability_measure"("case_id");

-- AddForeignKey
ALTER TABLE "accountability_finding" ADD CONSTRAINT "accountability_finding_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "accountability_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accountability_talk" ADD CONSTRAINT "accountability_talk_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "accountability_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accountability_appeal" ADD CONSTRAINT "accountability_appeal_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "accountability_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
