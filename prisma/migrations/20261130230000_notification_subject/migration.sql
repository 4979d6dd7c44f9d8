-- What a notice is about (a directive, filing, round or case), so the 消息 list links each notice to its page. A notice
-- of a task finds its subject through the task; these hold it for the notices that have no task.
ALTER TABLE "notification" ADD COLUMN "subject_type" TEXT,
ADD COLUMN "subject_id" UUID;
