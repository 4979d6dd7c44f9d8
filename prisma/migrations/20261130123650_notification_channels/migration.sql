-- CreateEnum
CREATE TYPE "NotifyChannelKind" AS ENUM ('EMAIL', 'DINGTALK', 'WECOM');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- CreateTable
CREATE TABLE "notification_preference" (
    "person_id" UUID NOT NULL,
    "email" TEXT,
    "email_on" BOOLEAN NOT NULL DEFAULT false,
    "mention_on" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_preference_pkey" PRIMARY KEY ("person_id")
);

-- CreateTable
CREATE TABLE "notification_channel" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "kind" "NotifyChannelKind" NOT NULL,
    "target" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "secret" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "updated_by_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_channel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_delivery" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "notification_key" TEXT NOT NULL,
    "channel" "NotifyChannelKind" NOT NULL,
    "org_id" UUID,
    "person_id" UUID,
    "address" TEXT,
    "channel_id" UUID,
    "subject" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "mentions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_attempt_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "urge" (
    "id" UUID NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "by_id" UUID NOT NULL,
    "notification_key" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "urge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "notification_channel_org_id_kind_key" ON "notification_channel"("org_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "notification_delivery_key_key" ON "notification_delivery"("key");

-- CreateIndex
CREATE INDEX "notification_delivery_status_next_attempt_at_idx" ON "notification_delivery"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "notification_delivery_notification_key_idx" ON "notification_delivery"("notification_key");

-- CreateIndex
CREATE INDEX "notification_delivery_org_id_created_at_idx" ON "notification_delivery"("org_id", "created_at");

-- CreateIndex
CREATE INDEX "urge_subject_type_subject_id_org_id_at_idx" ON "urge"("subject_type", "subject_id", "org_id", "at");
