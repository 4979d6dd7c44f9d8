-- An objection recorded by 党建办 (phone, letter) may name the objector's own account: the outcome is then sent to
-- them. Otherwise 党建办 tells the objector by the recorded contact and records when (told_at, told_by_id).
ALTER TABLE "commendation_objection" ADD COLUMN "objector_id" UUID,
ADD COLUMN "told_at" TIMESTAMPTZ(3),
ADD COLUMN "told_by_id" UUID;
