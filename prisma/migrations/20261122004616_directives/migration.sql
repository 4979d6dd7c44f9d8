-- CreateEnum
CREATE TYPE "DirectiveStatus" AS ENUM ('DRAFT', 'IN_REVIEW', 'RETURNED', 'SIGNED', 'ISSUED', 'WITHDRAWN', 'REVOKED');

-- CreateEnum
CREATE TYPE "ApprovalStage" AS ENUM ('REVIEW', 'COUNTERSIGN', 'SIGN');

-- CreateEnum
CREATE TYPE "StepStatus" AS ENUM ('WAITING', 'PENDING', 'APPROVED', 'RETURNED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "TaskKind" AS ENUM ('APPROVAL', 'RECEIPT');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('OPEN', 'DONE', 'CANCELLED');

-- CreateTable
CREATE TABLE "directive" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "status" "DirectiveStatus" NOT NULL DEFAULT 'DRAFT',
    "version" INTEGER NOT NULL DEFAULT 1,
    "drafter_id" UUID NOT NULL,
    "chain" JSONB NOT NULL,
    "distribution" JSONB NOT NULL,
    "receipt_workdays" INTEGER NOT NULL DEFAULT 3,
    "reminder_working_hours" INTEGER NOT NULL DEFAULT 8,
    "reminder_after_seconds" INTEGER,
    "workflow_id" TEXT,
    "round" INTEGER NOT NULL DEFAULT 0,
    "submitted_at" TIMESTAMPTZ(3),
    "issued_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "revoke_reason" TEXT,
    "recipient_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "directive_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "directive_version" (
    "id" UUID NOT NULL,
    "directive_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "model" JSONB NOT NULL,
    "changes" JSONB NOT NULL DEFAULT '[]',
    "changed_by_id" UUID NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "directive_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_step" (
    "id" UUID NOT NULL,
    "directive_id" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "stage" "ApprovalStage" NOT NULL,
    "seq" INTEGER NOT NULL,
    "assignee_id" UUID NOT NULL,
    "status" "StepStatus" NOT NULL DEFAULT 'WAITING',
    "version" INTEGER NOT NULL,
    "comment" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "reminded_count" INTEGER NOT NULL DEFAULT 0,
    "last_reminded_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_step_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "TaskKind" NOT NULL,
    "directive_id" UUID,
    "org_id" UUID NOT NULL,
    "assignee_id" UUID,
    "title" TEXT NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'OPEN',
    "due_at" TIMESTAMPTZ(3),
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "reminded_count" INTEGER NOT NULL DEFAULT 0,
    "workflow_id" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "completed_by_id" UUID,

    CONSTRAINT "task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "org_id" UUID,
    "person_id" UUID,
    "task_id" UUID,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "directive_document_id_key" ON "directive"("document_id");

-- CreateIndex
CREATE INDEX "directive_org_id_status_idx" ON "directive"("org_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "directive_version_directive_id_version_key" ON "directive_version"("directive_id", "version");

-- CreateIndex
CREATE INDEX "approval_step_assignee_id_status_idx" ON "approval_step"("assignee_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "approval_step_directive_id_round_stage_seq_key" ON "approval_step"("directive_id", "round", "stage", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "task_key_key" ON "task"("key");

-- CreateIndex
CREATE INDEX "task_org_id_status_due_at_id_idx" ON "task"("org_id", "status", "due_at", "id");

-- CreateIndex
CREATE INDEX "task_assignee_id_status_due_at_id_idx" ON "task"("assignee_id", "status", "due_at", "id");

-- CreateIndex
CREATE INDEX "task_directive_id_kind_status_idx" ON "task"("directive_id", "kind", "status");

-- CreateIndex
CREATE UNIQUE INDEX "notification_key_key" ON "notification"("key");

-- CreateIndex
CREATE INDEX "notification_org_id_created_at_idx" ON "notification"("org_id", "created_at");

-- CreateIndex
CREATE INDEX "notification_person_id_created_at_idx" ON "notification"("person_id", "created_at");

-- AddForeignKey
ALTER TABLE "directive" ADD CONSTRAINT "directive_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "directive" ADD CONSTRAINT "directive_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "directive_version" ADD CONSTRAINT "directive_version_directive_id_fkey" FOREIGN KEY ("directive_id") REFERENCES "directive"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_step" ADD CONSTRAINT "approval_step_directive_id_fkey" FOREIGN KEY ("directive_id") REFERENCES "directive"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task" ADD CONSTRAINT "task_directive_id_fkey" FOREIGN KEY ("directive_id") REFERENCES "directive"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task" ADD CONSTRAINT "task_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
