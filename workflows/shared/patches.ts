/**
 * Every patch of workflow code that is already running somewhere (README: "Changing workflow code"). A change that
 * would schedule different commands for a recorded history goes behind `patched(ID)`: histories recorded before it
 * replay the old path, new executions take the new one. When no execution older than the patch remains, the old
 * path is removed with `deprecatePatch(ID)`, and later the call itself.
 */
export const PATCHES = {
  /**
   * 2026-11: Updates that act run one at a time under a workflow lock and re-check the state the previous one left
   * (before: two decisions on one step could both be accepted). Serialising changes the order of the activities of
   * decisions that arrive together (会签), so executions started before it keep running them concurrently.
   */
  SERIALISED_UPDATES: 'serialised-updates',
  /**
   * 2026-11: the filing workflow registers its handlers before its first activity (before: after it, so an Update
   * that started the workflow — update-with-start from a branch's submission — was refused with “No registered
   * handler”). Histories recorded before it read the schedule first, then call patched(SERIALISED_UPDATES).
   */
  HANDLERS_BEFORE_FIRST_ACTIVITY: 'handlers-before-first-activity',
} as const;
