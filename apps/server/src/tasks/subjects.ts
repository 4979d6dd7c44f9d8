/**
 * What a task acts on (its subject) and what it belongs to (its origin), by type and id. New lifecycles add their
 * types here (review rounds and ballots, nominations, cases) and use the same task table, inbox, timer and audit.
 */
export type SubjectType = 'directive' | 'approval_step' | 'filing' | 'spot_check_unit' | 'review_rater' | 'accountability_case' | 'accountability_measure';
export type OriginType = 'directive' | 'spot_check_round' | 'review_round' | 'accountability_case';

export interface SubjectRef<T extends string = SubjectType> {
  type: T;
  id: string;
}
