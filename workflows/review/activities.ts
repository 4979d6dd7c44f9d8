// The activity contract of the 述职评议 round workflow (interfaces only).
export interface ReviewSchedule {
  status: 'DRAFT' | 'REPORTING' | 'SCORING' | 'CLOSED' | 'PUBLISHED' | 'CANCELLED';
  /** 述职报告 deadline: scoring opens then. */
  reportDueAt: string;
  /** End of the scoring window: the round closes then, or earlier when every rater has voted. */
  scoringEndsAt: string;
  /** Reminders to raters who have not voted, not yet sent (ISO, ascending). */
  reminders: string[];
}

export interface ReviewActivities {
  reviewSchedule(roundId: string): Promise<ReviewSchedule>;
  /** REPORTING → SCORING: a 评议打分 task for every rater on the roster. */
  reviewOpenScoring(roundId: string): Promise<{ raters: number }>;
  /** The reminder due `at` to every rater who has not voted yet. */
  reviewRemindRaters(roundId: string, at: string): Promise<{ reminded: number }>;
  /** SCORING → CLOSED: the results computed once and frozen; open ballot tasks closed. */
  reviewClose(roundId: string): Promise<{ closed: boolean }>;
}
