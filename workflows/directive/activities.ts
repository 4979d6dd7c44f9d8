// The activity contract of the directive and receipt workflows: interfaces only. The worker implements it
// (apps/worker/src/activities/directive-activities.ts) with the same services the API uses.
import type { ActiveStep, ChainPlan, DecisionOutcome } from './directive.definitions';

export interface DirectiveActivities {
  startReview(directiveId: string): Promise<ChainPlan>;
  startRound(a: { directiveId: string; version: number }): Promise<ChainPlan>;
  activateStage(a: { directiveId: string; round: number; stageIndex: number }): Promise<ActiveStep[]>;
  /** Records one decision; refused (with the reason) when the step or the version no longer allows it. */
  recordDecision(a: {
    directiveId: string;
    stepId: string;
    personId: string;
    decision: 'APPROVE' | 'RETURN';
    comment: string;
    version: number;
  }): Promise<DecisionOutcome>;
  reminderDue(a: { directiveId: string; since: string }): Promise<number>;
  remindPending(a: { directiveId: string; stepIds: string[] }): Promise<number>;
  withdraw(a: { directiveId: string; personId: string; reason: string }): Promise<void>;
  signDirective(a: { directiveId: string; signerId: string }): Promise<{ docNumber: string | null }>;
  issueDocument(a: { directiveId: string }): Promise<{ sha256: string }>;
  planDistribution(a: { directiveId: string }): Promise<{ total: number }>;
  distributeBatch(a: { directiveId: string; offset: number; limit: number; parentWorkflowId: string }): Promise<{ done: number }>;
  markIssued(a: { directiveId: string }): Promise<void>;
  revoke(a: { directiveId: string; personId: string; reason: string }): Promise<{ closedTasks: number }>;
}

export interface ReceiptActivities {
  acknowledgeReceipt(a: { taskId: string; personId: string }): Promise<void>;
  remindTask(a: { taskId: string; at: string }): Promise<void>;
  markOverdue(a: { taskId: string }): Promise<void>;
}
