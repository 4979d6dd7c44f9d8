-- CreateTable
CREATE TABLE "login_failure" (
    "id" BIGSERIAL NOT NULL,
    "username" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_failure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "login_failure_username_at_idx" ON "login_failure"("username", "at");

-- CreateIndex
CREATE INDEX "login_failure_ip_at_idx" ON "login_failure"("ip", "at");
