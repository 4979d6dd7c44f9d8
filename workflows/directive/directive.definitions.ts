// Messages of the directive lifecycle (issue → review → countersign → sign → distribute → receipts).
// Shared by the server (client side) and the workflows; only @temporalio/workflow may be imported.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export type Stage = 'REVIEW' | 'COUNTERSIGN' | 'SIGN';

export interface ChainPlan {
  drafterId: string;
  version: number;
  round: number;
  stages: { stage: Stage; assignees: string[] }[];
  restartFrom: 'START' | 'RETURNING_STEP';
}

export interface ActiveStep {
  stepId: string;
  stage: Stage;
  assigneeId: string;
  decided: boolean;
}

export interface DirectiveState {
  status: 'IN_REVIEW' | 'RETURNED' | 'SIGNING' | 'DISTRIBUTING' | 'ISSUED' | 'WITHDRAWN' | 'REVOKED';
  round: number;
  version: number;
  stageIndex: number;
  active: ActiveStep[];
  distributed: number;
}

export interface DecideInput {
  personId: string;
  stepId: string;
  decision: 'APPROVE' | 'RETURN';
  comment: string;
  /** The version the decider looked at; a stale one is refused. */
  version: number;
}

/** What the decision activity did: recorded, or refused with the reason (told to the person as a 409). */
export interface DecisionOutcome {
  recorded: boolean;
  reason?: string;
}

export interface ResubmitInput {
  personId: string;
  version: number;
}

export interface WithdrawInput {
  personId: string;
  reason: string;
}

export interface RevokeInput {
  personId: string;
  reason: string;
}

export const decideUpdate = defineUpdate<{ accepted: true; stage: Stage; decision: 'APPROVE' | 'RETURN' }, [DecideInput]>('decide');
export const resubmitUpdate = defineUpdate<{ round: number }, [ResubmitInput]>('resubmit');
export const withdrawUpdate = defineUpdate<{ withdrawn: true }, [WithdrawInput]>('withdraw');
export const revokeUpdate = defineUpdate<{ revoked: true; closedTasks: number }, [RevokeInput]>('revoke');
export const directiveStateQuery = defineQuery<DirectiveState>('directiveState');

export interface ReceiptInput {
  taskId: string;
  /** ISO instants: reminders, then the deadline at which the task becomes overdue. */
  reminders: string[];
  dueAt: string;
}

export const acknowledgeUpdate = defineUpdate<{ acknowledged: true }, [{ personId: string }]>('acknowledge');
export const closeReceiptSignal = defineSignal<[{ reason: string }]>('closeReceipt');

export const directiveWorkflowId = (directiveId: string) => `directive-${directiveId}`;
export const receiptWorkflowId = (taskKey: string) => `task-${taskKey}`;
