// The activity contract of the 评选表扬 round workflow (interfaces only; the worker implements it with
// CommendationFlowService).

/** Where a round stands after everything due by now was done. */
export interface CommendationProgress {
  status: 'DRAFT' | 'NOMINATING' | 'SELECTING' | 'NOTICE' | 'DECIDED' | 'CANCELLED';
  /** The next instant something falls due (the nomination deadline, the end of a notice period), ISO; null when the
   * round waits for people only (ranking, approval, objections to resolve, the decision). */
  nextAt: string | null;
}

export interface CommendationActivities {
  /**
   * Does what is due by now, each once: closes nominations at their deadline (the committee is told), ends each 公示
   * whose last day has passed (the committee is told of objections still open).
   */
  commendationAdvance(roundId: string): Promise<CommendationProgress>;
}
