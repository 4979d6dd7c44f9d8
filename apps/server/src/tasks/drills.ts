/**
 * Drills: a directive whose schedule runs in seconds instead of working days and hours, so a rehearsal or a test can
 * watch reminders and deadlines happen. Set only in-process, by the code that runs the worker (tests and rehearsals),
 * never through the API or the database: the schedule of a real directive cannot be shortened from outside.
 */
const drills = new Map<string, number>();

export const Drills = {
  /** Every schedule of this directive (approval reminders, receipts, filings) runs on `seconds` per step. */
  set(directiveId: string, seconds: number): void {
    drills.set(directiveId, seconds);
  },
  secondsFor(directiveId: string | null | undefined): number | undefined {
    return directiveId ? drills.get(directiveId) : undefined;
  },
  clear(): void {
    drills.clear();
  },
};
