import { Injectable } from '@nestjs/common';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { PrismaService } from '../prisma/prisma.service';
import { OverrideKind, parseDay, WorkingCalendar } from './working-calendar';

/** The working-day calendar with the administrators' overrides from the database. */
@Injectable()
export class CalendarService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  /** A calendar snapshot; overrides are few (a handful a year), so each call reads them afresh. */
  async calendar(): Promise<WorkingCalendar> {
    const rows = await this.prisma.calendarOverride.findMany();
    return new WorkingCalendar(new Map(rows.map((r) => [r.day.toISOString().slice(0, 10), r.kind as OverrideKind])));
  }

  async isWorkday(day: string) {
    return (await this.calendar()).describe(parseDay(day));
  }

  async addWorkdays(day: string, n: number): Promise<string> {
    return (await this.calendar()).addWorkdays(parseDay(day), n);
  }

  async listOverrides() {
    const rows = await this.prisma.calendarOverride.findMany({ orderBy: { day: 'asc' } });
    return rows.map((r) => ({ day: r.day.toISOString().slice(0, 10), kind: r.kind, note: r.note }));
  }

  async setOverride(actor: Actor | null, day: string, kind: OverrideKind, note = '') {
    const d = parseDay(day, 'day');
    return this.audit.transaction(async (tx) => {
      const row = await tx.calendarOverride.upsert({
        where: { day: new Date(`${d}T00:00:00Z`) },
        create: { day: new Date(`${d}T00:00:00Z`), kind, note, createdById: actor?.personId },
        update: { kind, note },
      });
      await this.audit.record(tx, { actor, action: 'calendar.override.set', entityType: 'calendar', entityId: d, data: { kind, note } });
      return { day: d, kind: row.kind, note: row.note };
    });
  }

  async removeOverride(actor: Actor | null, day: string) {
    const d = parseDay(day, 'day');
    return this.audit.transaction(async (tx) => {
      const { count } = await tx.calendarOverride.deleteMany({ where: { day: new Date(`${d}T00:00:00Z`) } });
      if (count > 0) await this.audit.record(tx, { actor, action: 'calendar.override.remove', entityType: 'calendar', entityId: d });
      return { day: d, removed: count > 0 };
    });
  }
}
