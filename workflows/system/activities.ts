// The activity contract of the ping workflow (interfaces only).
export interface SystemActivities {
  systemEcho(message: string, holdMs?: number): Promise<{ echo: string; organizations: number }>;
}
