-- CreateEnum
CREATE TYPE "CommendationRoundStatus" AS ENUM ('DRAFT', 'NOMINATING', 'SELECTING', 'NOTICE', 'DECIDED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "NomineeStatus" AS ENUM ('NOMINATED', 'APPROVED', 'NOTICE', 'RESERVE', 'REMOVED', 'INELIGIBLE', 'COMMENDED');

-- CreateTable
CREATE TABLE "commendation_round" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "status" "CommendationRoundStatus" NOT NULL DEFAULT 'DRAFT',
    "categories" JSONB NOT NULL,
    "min_grade" TEXT NOT NULL DEFAULT 'FAIRLY_GOOD',
    "local_bars" TEXT[],
    "nomination_workdays" INTEGER NOT NULL,
    "nomination_due_at" TIMESTAMPTZ(3),
    "notice_workdays" INTEGER NOT NULL DEFAULT 5,
    "contact" TEXT NOT NULL,
    "approval" JSONB,
    "approved_at" TIMESTAMPTZ(3),
    "approved_by_id" UUID,
    "decision_kind" TEXT,
    "approval_ref" TEXT,
    "document_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "workflow_id" TEXT,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "commendation_round_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "commendation_nominee" (
    "id" UUID NOT NULL,
    "round_id" UUID NOT NULL,
    "category_key" TEXT NOT NULL,
    "person_id" UUID,
    "org_id" UUID NOT NULL,
    "post" TEXT,
    "target_key" TEXT NOT NULL,
    "nominated_by_id" UUID NOT NULL,
    "nominated_by_org_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "files" JSONB NOT NULL DEFAULT '[]',
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "eligibility" JSONB NOT NULL DEFAULT '{}',
    "status" "NomineeStatus" NOT NULL DEFAULT 'NOMINATED',
    "rank" INTEGER,
    "notice_id" UUID,
    "removed_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "commendation_nominee_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "commendation_notice" (
    "id" UUID NOT NULL,
    "round_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "document_id" UUID NOT NULL,
    "nominee_ids" UUID[],
    "workdays" INTEGER NOT NULL,
    "starts_on" TEXT NOT NULL,
    "ends_on" TEXT NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "commendation_notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "commendation_objection" (
    "id" UUID NOT NULL,
    "round_id" UUID NOT NULL,
    "notice_id" UUID NOT NULL,
    "nominee_id" UUID NOT NULL,
    "filed_by_id" UUID NOT NULL,
    "filed_by_org_id" UUID NOT NULL,
    "objector_name" TEXT NOT NULL,
    "objector_phone" TEXT,
    "channel" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "files" JSONB NOT NULL DEFAULT '[]',
    "received_on" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "finding" TEXT,
    "resolved_by_id" UUID,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "commendation_objection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "commendation" (
    "id" UUID NOT NULL,
    "round_id" UUID NOT NULL,
    "nominee_id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "person_id" UUID,
    "org_id" UUID NOT NULL,
    "by_org_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "doc_number" TEXT NOT NULL,
    "conferred_on" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "commendation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "commendation_round_document_id_key" ON "commendation_round"("document_id");

-- CreateIndex
CREATE INDEX "commendation_round_org_id_year_idx" ON "commendation_round"("org_id", "year");

-- CreateIndex
CREATE INDEX "commendation_nominee_person_id_idx" ON "commendation_nominee"("person_id");

-- CreateIndex
CREATE INDEX "commendation_nominee_org_id_idx" ON "commendation_nominee"("org_id");

-- CreateIndex
CREATE UNIQUE INDEX "commendation_nominee_round_id_category_key_target_key_key" ON "commendation_nominee"("round_id", "category_key", "target_key");

-- CreateIndex
CREATE UNIQUE INDEX "commendation_notice_document_id_key" ON "commendation_notice"("document_id");

-- CreateIndex
CREATE UNIQUE INDEX "commendation_notice_round_id_seq_key" ON "commendation_notice"("round_id", "seq");

-- CreateIndex
CREATE INDEX "commendation_objection_round_id_status_idx" ON "commendation_objection"("round_id", "status");

-- CreateIndex
CREATE INDEX "commendation_objection_nominee_id_idx" ON "commendation_objection"("nominee_id");

-- CreateIndex
CREATE UNIQUE INDEX "commendation_nominee_id_key" ON "commendation"("nominee_id");

-- CreateIndex
CREATE INDEX "commendation_person_id_year_idx" ON "commendation"("person_id", "year");

-- CreateIndex
CREATE INDEX "commendation_org_id_year_idx" ON "commendation"("org_id", "year");

-- AddForeignKey
ALTER TABLE "commendation_nominee" ADD CONSTRAINT "commendation_nominee_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "commendation_round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commendation_notice" ADD CONSTRAINT "commendation_notice_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "commendation_round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commendation_objection" ADD CONSTRAINT "commendation_objection_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "commendation_round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
