-- CreateTable
CREATE TABLE "report_pdf" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "subject_id" UUID NOT NULL,
    "state_sha256" TEXT NOT NULL,
    "pdf_sha256" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "report_pdf_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "report_pdf_kind_subject_id_state_sha256_key" ON "report_pdf"("kind", "subject_id", "state_sha256");

-- AddForeignKey
ALTER TABLE "report_pdf" ADD CONSTRAINT "report_pdf_pdf_sha256_fkey" FOREIGN KEY ("pdf_sha256") REFERENCES "stored_file"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;
