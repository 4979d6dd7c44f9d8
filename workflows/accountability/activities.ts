// The activity contract of the accountability case workflow (interfaces only; the worker implements it with
// AccountabilityFlowService).

/** Where a case stands after everything due by now was done. */
export interface CaseProgress {
  status: 'OPEN' | 'INVESTIGATING' | 'DEFENCE' | 'DELIBERATING' | 'EXECUTING' | 'CLOSED' | 'DISMISSED';
  /** The next instant something falls due (a reminder, the defence deadline, a receipt, an execution task's deadline,
   * the end of the appeal window, an appeal's answer), ISO; null when the case waits for people only. */
  nextAt: string | null;
}

export interface AccountabilityActivities {
  /**
   * Does what is due by now, each once: the defence reminder and deadline (the case moves on to the committee's
   * decision), receipts and execution tasks past their deadline (marked overdue and escalated), an appeal not
   * answered in time, and the close once every execution task is done and the appeal window has passed.
   */
  caseAdvance(caseId: string): Promise<CaseProgress>;
}
