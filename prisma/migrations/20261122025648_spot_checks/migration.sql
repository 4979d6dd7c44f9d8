-- Spot checks (lifecycle 3); requirements may also come from a rectification (no directive).
-- AlterEnum
ALTER TYPE "TaskKind" ADD VALUE 'INSPECTION';

-- CreateEnum
CREATE TYPE "SpotCheckMode" AS ENUM ('ANNOUNCED', 'UNANNOUNCED');

-- CreateEnum
CREATE TYPE "SpotCheckTarget" AS ENUM ('BRANCH', 'PERSON');

-- CreateEnum
CREATE TYPE "SpotCheckStatus" AS ENUM ('PLANNED', 'DRAWN', 'CLOSED');

-- DropForeignKey
ALTER TABLE "requirement" DROP CONSTRAINT "requirement_directive_id_fkey";

-- AlterTable
ALTER TABLE "membership" ADD COLUMN     "post" TEXT;

-- AlterTable
ALTER TABLE "requirement" ADD COLUMN     "org_id" UUID,
ADD COLUMN     "reviewer_id" UUID,
ALTER COLUMN "directive_id" DROP NOT NULL;
UPDATE "requirement" r SET "org_id" = d."org_id" FROM "directive" d WHERE d."id" = r."directive_id";
ALTER TABLE "requirement" ALTER COLUMN "org_id" SET NOT NULL;

-- CreateTable
CREATE TABLE "spot_check_round" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "scope_org_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "mode" "SpotCheckMode" NOT NULL,
    "target" "SpotCheckTarget" NOT NULL,
    "target_post" TEXT,
    "checklist" JSONB NOT NULL,
    "rule" JSONB NOT NULL,
    "inspector_ids" JSONB NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "window_end" TIMESTAMPTZ(3) NOT NULL,
    "rectify_workdays" INTEGER NOT NULL DEFAULT 10,
    "status" "SpotCheckStatus" NOT NULL DEFAULT 'PLANNED',
    "seed" TEXT,
    "draw_input" JSONB,
    "drawn_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "workflow_id" TEXT,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "spot_check_round_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "spot_check_unit" (
    "id" UUID NOT NULL,
    "round_id" UUID NOT NULL,
    "unit_id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "label" TEXT NOT NULL,
    "inspector_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "spot_check_unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "spot_check_finding" (
    "id" UUID NOT NULL,
    "round_id" UUID NOT NULL,
    "unit_row_id" UUID NOT NULL,
    "item_key" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "score" INTEGER,
    "severity" TEXT,
    "notes" TEXT NOT NULL DEFAULT '',
    "photos" JSONB NOT NULL DEFAULT '[]',
    "client_id" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    "inspector_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "spot_check_finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rectification" (
    "id" UUID NOT NULL,
    "finding_id" UUID NOT NULL,
    "round_id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "requirement_id" UUID NOT NULL,
    "filing_id" UUID NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rectification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "spot_check_round_org_id_created_at_idx" ON "spot_check_round"("org_id", "created_at");

-- CreateIndex
CREATE INDEX "spot_check_unit_org_id_idx" ON "spot_check_unit"("org_id");

-- CreateIndex
CREATE INDEX "spot_check_unit_inspector_id_idx" ON "spot_check_unit"("inspector_id");

-- CreateIndex
CREATE UNIQUE INDEX "spot_check_unit_round_id_unit_id_key" ON "spot_check_unit"("round_id", "unit_id");

-- CreateIndex
CREATE UNIQUE INDEX "spot_check_finding_client_id_key" ON "spot_check_finding"("client_id");

-- CreateIndex
CREATE INDEX "spot_check_finding_round_id_idx" ON "spot_check_finding"("round_id");

-- CreateIndex
CREATE UNIQUE INDEX "spot_check_finding_unit_row_id_item_key_key" ON "spot_check_finding"("unit_row_id", "item_key");

-- CreateIndex
CREATE UNIQUE INDEX "rectification_finding_id_key" ON "rectification"("finding_id");

-- CreateIndex
CREATE UNIQUE INDEX "rectification_requirement_id_key" ON "rectification"("requirement_id");

-- CreateIndex
CREATE UNIQUE INDEX "rectification_filing_id_key" ON "rectification"("filing_id");

-- CreateIndex
CREATE INDEX "rectification_round_id_idx" ON "rectification"("round_id");

-- CreateIndex
CREATE INDEX "rectification_org_id_idx" ON "rectification"("org_id");

-- AddForeignKey
ALTER TABLE "requirement" ADD CONSTRAINT "requirement_directive_id_fkey" FOREIGN KEY ("directive_id") REFERENCES "directive"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "spot_check_unit" ADD CONSTRAINT "spot_check_unit_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "spot_check_round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "spot_check_finding" ADD CONSTRAINT "spot_check_finding_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "spot_check_round"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "spot_check_finding" ADD CONSTRAINT "spot_check_finding_unit_row_id_fkey" FOREIGN KEY ("unit_row_id") REFERENCES "spot_check_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rectification" ADD CONSTRAINT "rectification_finding_id_fkey" FOREIGN KEY ("finding_id") REFERENCES "spot_check_finding"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
