-- CreateEnum
CREATE TYPE "IssuerKind" AS ENUM ('PARTY', 'GOVERNMENT');

-- AlterTable
ALTER TABLE "organization" ADD COLUMN     "issuer_kind" "IssuerKind" NOT NULL DEFAULT 'PARTY',
ADD COLUMN     "printing_organ" TEXT;

-- CreateTable
CREATE TABLE "organ_signing_identity" (
    "org_id" UUID NOT NULL,
    "p12" BYTEA NOT NULL,
    "p12_password" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "not_after" TIMESTAMPTZ(3) NOT NULL,
    "seal" BYTEA NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "organ_signing_identity_pkey" PRIMARY KEY ("org_id")
);

-- AddForeignKey
ALTER TABLE "organ_signing_identity" ADD CONSTRAINT "organ_signing_identity_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
