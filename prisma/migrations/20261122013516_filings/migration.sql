-- CreateEnum
CREATE TYPE "FilingStatus" AS ENUM ('OPEN', 'SUBMITTED', 'RETURNED', 'ACCEPTED', 'CLOSED');

-- AlterEnum
ALTER TYPE "TaskKind" ADD VALUE 'FILING';

-- CreateTable
CREATE TABLE "requirement" (
    "id" UUID NOT NULL,
    "directive_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "form" JSONB NOT NULL,
    "deadline_kind" TEXT NOT NULL,
    "deadline_at" TIMESTAMPTZ(3),
    "deadline_workdays" INTEGER,
    "deadline_time" TEXT NOT NULL DEFAULT '17:30',
    "reminder_days" JSONB NOT NULL DEFAULT '[3, 1, 0]',
    "reviewer_role" "Role" NOT NULL DEFAULT 'COMMITTEE_STAFF',
    "sort_order" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "requirement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "filing" (
    "id" UUID NOT NULL,
    "requirement_id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "task_id" UUID NOT NULL,
    "status" "FilingStatus" NOT NULL DEFAULT 'OPEN',
    "deadline_at" TIMESTAMPTZ(3) NOT NULL,
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "draft" JSONB,
    "draft_saved_at" TIMESTAMPTZ(3),
    "draft_saved_by_id" UUID,
    "version" INTEGER NOT NULL DEFAULT 0,
    "submitted_at" TIMESTAMPTZ(3),
    "reviewer_id" UUID,
    "accepted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "filing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "filing_version" (
    "id" UUID NOT NULL,
    "filing_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "values" JSONB NOT NULL,
    "submitted_by_id" UUID NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "filing_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "filing_review" (
    "id" UUID NOT NULL,
    "filing_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "decision" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "new_deadline" TIMESTAMPTZ(3),
    "reviewer_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "filing_review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "extension_request" (
    "id" UUID NOT NULL,
    "filing_id" UUID NOT NULL,
    "until" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "requested_by" UUID NOT NULL,
    "decided_by" UUID,
    "comment" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "extension_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accountability_proposal" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "org_id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "source_type" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PROPOSED',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accountability_proposal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "requirement_directive_id_idx" ON "requirement"("directive_id");

-- CreateIndex
CREATE UNIQUE INDEX "filing_task_id_key" ON "filing"("task_id");

-- CreateIndex
CREATE INDEX "filing_requirement_id_status_idx" ON "filing"("requirement_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "filing_requirement_id_org_id_key" ON "filing"("requirement_id", "org_id");

-- CreateIndex
CREATE UNIQUE INDEX "filing_version_filing_id_version_key" ON "filing_version"("filing_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "filing_review_filing_id_version_key" ON "filing_review"("filing_id", "version");

-- CreateIndex
CREATE INDEX "extension_request_filing_id_status_idx" ON "extension_request"("filing_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "accountability_proposal_key_key" ON "accountability_proposal"("key");

-- CreateIndex
CREATE INDEX "accountability_proposal_org_id_status_idx" ON "accountability_proposal"("org_id", "status");

-- AddForeignKey
ALTER TABLE "requirement" ADD CONSTRAINT "requirement_directive_id_fkey" FOREIGN KEY ("directive_id") REFERENCES "directive"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "filing" ADD CONSTRAINT "filing_requirement_id_fkey" FOREIGN KEY ("requirement_id") REFERENCES "requirement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "filing_version" ADD CONSTRAINT "filing_version_filing_id_fkey" FOREIGN KEY ("filing_id") REFERENCES "filing"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "filing_review" ADD CONSTRAINT "filing_review_filing_id_fkey" FOREIGN KEY ("filing_id") REFERENCES "filing"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "extension_request" ADD CONSTRAINT "extension_request_filing_id_fkey" FOREIGN KEY ("filing_id") REFERENCES "filing"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
