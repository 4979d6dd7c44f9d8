// The activity contract of the spot-check round workflow (interfaces only).
export interface SpotCheckActivities {
  spotCheckSchedule(roundId: string): Promise<{ windowEnd: string; status: string }>;
  spotCheckWindowEnded(roundId: string): Promise<{ unfinished: number }>;
}
