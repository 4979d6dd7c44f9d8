// Messages of a branch's filing task (lifecycle 2). Only @temporalio/workflow may be imported here.
import { defineSignal, defineUpdate } from '@temporalio/workflow';

export interface FilingInput {
  filingId: string;
}

/** Where a filing stands, as the workflow needs it: status and the instants it waits for. */
export interface FilingSchedule {
  status: 'OPEN' | 'SUBMITTED' | 'RETURNED' | 'ACCEPTED' | 'CLOSED';
  deadlineAt: string;
  /** Reminder instants still to come (ISO), before the deadline. */
  reminders: string[];
  overdue: boolean;
}

export interface SubmitInput {
  personId: string;
  /** Validated by the server against the form; recorded as the next version. */
  values: Record<string, unknown>;
}

export interface ReviewInput {
  personId: string;
  decision: 'ACCEPT' | 'RETURN';
  comment: string;
  /** With RETURN: the new deadline (ISO). */
  newDeadline?: string;
}

export interface ExtensionInput {
  personId: string;
  until: string;
  reason: string;
}

export interface ExtensionDecisionInput {
  personId: string;
  grant: boolean;
  comment: string;
}

export const submitFilingUpdate = defineUpdate<{ version: number }, [SubmitInput]>('submitFiling');
export const reviewFilingUpdate = defineUpdate<{ status: 'ACCEPTED' | 'RETURNED' }, [ReviewInput]>('reviewFiling');
export const requestExtensionUpdate = defineUpdate<{ requested: true }, [ExtensionInput]>('requestExtension');
export const decideExtensionUpdate = defineUpdate<{ granted: boolean; deadlineAt: string }, [ExtensionDecisionInput]>('decideExtension');
export const closeFilingSignal = defineSignal<[{ reason: string }]>('closeFiling');

export const filingWorkflowId = (filingKey: string) => `task-${filingKey}`;
