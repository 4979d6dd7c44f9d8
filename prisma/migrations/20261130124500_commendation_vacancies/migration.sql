-- 评选表扬: places left empty at the decision's re-check, with the reason (nobody eligible left to take them).
ALTER TABLE "commendation_round" ADD COLUMN "vacancies" JSONB;
