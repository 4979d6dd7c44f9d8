-- CreateTable
CREATE TABLE "audit_chain_head" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_chain_head_pkey" PRIMARY KEY ("id")
);

-- Anchor an existing chain at its current last record.
INSERT INTO "audit_chain_head" ("id", "seq", "hash")
SELECT 1, "seq", "hash" FROM "audit_log" ORDER BY "seq" DESC LIMIT 1;
