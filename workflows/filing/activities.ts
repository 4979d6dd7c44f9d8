// The activity contract of the filing workflow (interfaces only; the worker implements it with FilingFlowService).
import type { FilingSchedule } from './filing.definitions';

export interface FilingActivities {
  filingSchedule(filingId: string): Promise<FilingSchedule>;
  recordSubmission(a: { filingId: string; personId: string; values: Record<string, unknown> }): Promise<{ version: number }>;
  recordReview(a: { filingId: string; personId: string; decision: 'ACCEPT' | 'RETURN'; comment: string; newDeadline?: string }): Promise<void>;
  recordExtensionRequest(a: { filingId: string; personId: string; until: string; reason: string }): Promise<void>;
  recordExtensionDecision(a: { filingId: string; personId: string; grant: boolean; comment: string }): Promise<void>;
  remindFiling(a: { filingId: string; at: string }): Promise<void>;
  markFilingOverdue(a: { filingId: string }): Promise<void>;
}
