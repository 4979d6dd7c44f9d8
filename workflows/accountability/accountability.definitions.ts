// Messages of an accountability case (lifecycle 6). Only @temporalio/workflow may be imported here.
import { defineSignal } from '@temporalio/workflow';

export interface AccountabilityCaseInput {
  caseId: string;
}

/**
 * A step of the case was recorded (defence asked or given, decision, receipt, appeal, execution, dismissal): the
 * workflow reads where the case stands and what falls due next.
 */
export const caseMovedSignal = defineSignal('caseMoved');

export const accountabilityCaseWorkflowId = (caseId: string) => `accountability-case-${caseId}`;
