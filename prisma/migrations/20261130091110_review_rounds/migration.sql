-- CreateEnum
CREATE TYPE "ReviewRoundStatus" AS ENUM ('DRAFT', 'REPORTING', 'SCORING', 'CLOSED', 'PUBLISHED', 'CANCELLED');

-- AlterEnum
ALTER TYPE "TaskKind" ADD VALUE 'BALLOT';

-- CreateTable
CREATE TABLE "review_round" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "status" "ReviewRoundStatus" NOT NULL DEFAULT 'DRAFT',
    "directive_id" UUID,
    "report_workdays" INTEGER NOT NULL,
    "scoring_workdays" INTEGER NOT NULL,
    "report_due_at" TIMESTAMPTZ(3),
    "scoring_ends_at" TIMESTAMPTZ(3),
    "items" JSONB NOT NULL,
    "groups" JSONB NOT NULL,
    "settings" JSONB NOT NULL,
    "daily_weights" JSONB NOT NULL,
    "formula_version" INTEGER NOT NULL,
    "requirement_id" UUID,
    "results" JSONB,
    "document_id" UUID,
    "workflow_id" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "published_at" TIMESTAMPTZ(3),
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "review_round_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_subject" (
    "id" UUID NOT NULL,
    "round_id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "post" TEXT NOT NULL,
    "filing_id" UUID,
    "remedy_filing_id" UUID,
    "sort_order" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "review_subject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_rater" (
    "id" UUID NOT NULL,
    "round_id" UUID NOT NULL,
    "group_key" TEXT NOT NULL,
    "person_id" UUID NOT NULL,
    "draft" JSONB,
    "draft_saved_at" TIMESTAMPTZ(3),
    "voted_at" TIMESTAMPTZ(3),
    "ballot_count" INTEGER,
    "task_id" UUID,

    CONSTRAINT "review_rater_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_ballot" (
    "id" UUID NOT NULL,
    "round_id" UUID NOT NULL,
    "group_key" TEXT NOT NULL,
    "subject_id" UUID NOT NULL,
    "grade" TEXT,
    "items" JSONB,
    "abstain" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT,

    CONSTRAINT "review_ballot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accountability_measure" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "person_id" UUID,
    "kind" TEXT NOT NULL,
    "detail" TEXT,
    "effective_on" TEXT NOT NULL,
    "influence_until" TEXT,
    "basis" TEXT NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accountability_measure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "review_round_requirement_id_key" ON "review_round"("requirement_id");

-- CreateIndex
CREATE UNIQUE INDEX "review_round_document_id_key" ON "review_round"("document_id");

-- CreateIndex
CREATE INDEX "review_round_org_id_year_idx" ON "review_round"("org_id", "year");

-- CreateIndex
CREATE UNIQUE INDEX "review_subject_filing_id_key" ON "review_subject"("filing_id");

-- CreateIndex
CREATE UNIQUE INDEX "review_subject_remedy_filing_id_key" ON "review_subject"("remedy_filing_id");

-- CreateIndex
CREATE UNIQUE INDEX "review_subject_round_id_person_id_key" ON "review_subject"("round_id", "person_id");

-- CreateIndex
CREATE UNIQUE INDEX "review_subject_round_id_org_id_key" ON "review_subject"("round_id", "org_id");

-- CreateIndex
CREATE UNIQUE INDEX "review_rater_task_id_key" ON "review_rater"("task_id");

-- CreateIndex


-- CreateIndex
CREATE UNIQUE INDEX "review_rater_round_id_person_id_key" ON "review_rater"("round_id", "person_id");

-- CreateIndex
CREATE INDEX "review_ballot_round_id_subject_id_idx" ON "review_ballot"("round_id", "subject_id");

-- CreateIndex
CREATE INDEX "accountability_measure_person_id_effective_on_idx" ON "accountability_measure"("person_id", "effective_on");

-- CreateIndex
CREATE INDEX "accountability_measure_org_id_effective_on_idx" ON "accountability_measure"("org_id", "effective_on");

-- AddForeignKey
ALTER TABLE "review_subject" ADD CONSTRAINT "review_subject_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "review_round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_rater" ADD CONSTRAINT "review_rater_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "review_round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_ballot" ADD CONSTRAINT "review_ballot_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "review_round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
