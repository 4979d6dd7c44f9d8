import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { CalendarService } from '../calendar/calendar.service';
import { atLocalTime, shanghaiDateTime, shanghaiDay } from '../calendar/working-calendar';
import { NotificationsService } from '../notifications/notifications.service';
import { Prisma } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { Drills } from '../tasks/drills';
import { TaskFlowService } from '../tasks/task-flow.service';
import type { ReviewSchedule } from '../../../../workflows/review/activities';
import { ReviewResultsService } from './review-results';
import { GRADE_ORDER } from './formula/formula';
import { typed, type RoundRow } from './reviews.service';

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/** Raters are reminded at 09:00 this many working days before scoring ends (0: the morning of the last day). */
const RATER_REMINDER_DAYS = [2, 0];

const ballotTaskKey = (raterId: string) => `ballot:${raterId}`;
const remindKey = (roundId: string, personId: string, at: string) => `remind:review:${roundId}:${personId}:${at}`;

/** The database side of the round workflow (activity bodies; each idempotent). */
@Injectable()
export class ReviewFlowService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
    private readonly notifications: NotificationsService,
    private readonly tasks: TaskFlowService,
    private readonly results: ReviewResultsService,
  ) {}

  async schedule(roundId: string): Promise<ReviewSchedule> {
    const r = await this.prisma.reviewRound.findUniqueOrThrow({ where: { id: roundId } });
    const end = r.scoringEndsAt ?? new Date();
    const drill = Drills.secondsFor(roundId);
    let reminders: Date[];
    if (drill) reminders = [new Date(end.getTime() - 2 * drill * 1000), new Date(end.getTime() - drill * 1000)];
    else {
      const cal = await this.calendar.calendar();
      reminders = RATER_REMINDER_DAYS.map((n) => atLocalTime(cal.addWorkdays(shanghaiDay(end), -n), '09:00'));
    }
    const now = Date.now();
    const sent = new Set(
      (await this.prisma.notification.findMany({ where: { key: { startsWith: `remind:review:${roundId}:` } }, select: { key: true } })).map((n) =>
        n.key.split(':').slice(4).join(':'),
      ),
    );
    return {
      status: r.status,
      reportDueAt: (r.reportDueAt ?? new Date()).toISOString(),
      scoringEndsAt: end.toISOString(),
      reminders: reminders
        .filter((d) => d.getTime() > now && d < end && !sent.has(d.toISOString()))
        .map((d) => d.toISOString())
        .sort(),
    };
  }

  /** The 述职报告 deadline has come: scoring opens, each rater gets a 评议打分 task until the window's end. */
  async openScoring(roundId: string): Promise<{ raters: number }> {
    const round = await this.prisma.reviewRound.findUniqueOrThrow({ where: { id: roundId } });
    if (round.status !== 'REPORTING') return { raters: 0 };
    const raters = await this.prisma.reviewRater.findMany({ where: { roundId } });
    await this.audit.transaction(async (tx) => {
      const { count } = await tx.reviewRound.updateMany({ where: { id: roundId, status: 'REPORTING' }, data: { status: 'SCORING' } });
      if (!count) return;
      const tasks = raters.map((r) => ({ rater: r, taskId: r.taskId ?? randomUUID() }));
      for (const t of tasks) if (!t.rater.taskId) await tx.reviewRater.update({ where: { id: t.rater.id }, data: { taskId: t.taskId } });
      await this.tasks.open(
        tx,
        tasks.map((t) => ({
          id: t.taskId,
          key: ballotTaskKey(t.rater.id),
          kind: 'BALLOT' as const,
          subject: { type: 'review_rater' as const, id: t.rater.id },
          origin: { type: 'review_round' as const, id: roundId },
          orgId: round.orgId,
          assigneeId: t.rater.personId,
          title: `评议打分：${round.title}`,
          dueAt: round.scoringEndsAt,
          data: { roundId },
        })),
      );
      await this.audit.record(tx, {
        actor: null,
        action: 'review.round.scoring',
        entityType: 'review_round',
        entityId: roundId,
        data: { raters: raters.length },
      });
    });
    return { raters: raters.length };
  }

  /** The reminder due `at`, to each rater who has not voted (sent once per rater and instant). */
  async remindRaters(roundId: string, at: string): Promise<{ reminded: number }> {
    const round = await this.prisma.reviewRound.findUniqueOrThrow({ where: { id: roundId } });
    if (round.status !== 'SCORING') return { reminded: 0 };
    const pending = await this.prisma.reviewRater.findMany({ where: { roundId, votedAt: null, taskId: { not: null } } });
    let reminded = 0;
    await this.audit.transaction(async (tx) => {
      for (const r of pending) {
        const sent = await this.tasks.remind(tx, r.taskId as string, at, {
          kind: 'REMINDER',
          key: remindKey(roundId, r.personId, at),
          to: { orgId: round.orgId, personId: r.personId },
          taskId: r.taskId,
          facts: { what: `为《${round.title}》评分（${round.scoringEndsAt ? shanghaiDateTime(round.scoringEndsAt) : ''}截止）` },
        });
        if (sent) reminded++;
      }
    });
    return { reminded };
  }

  /**
   * 自评: each secretary's 自评等次 from the last submitted 述职报告 becomes the 自评 group's ballot for them (once; a
   * secretary who filed no report has none, which is not a zero).
   */
  private async selfBallots(round: RoundRow): Promise<void> {
    const group = round.groups.find((g) => g.self);
    if (!group) return;
    const subjects = await this.prisma.reviewSubject.findMany({ where: { roundId: round.id, filingId: { not: null } }, select: { id: true, filingId: true } });
    const versions = await this.prisma.filingVersion.findMany({
      where: { filingId: { in: subjects.map((s) => s.filingId as string) } },
      orderBy: { version: 'desc' },
      distinct: ['filingId'],
      select: { filingId: true, values: true },
    });
    const grades = subjects
      .map((s) => ({ subjectId: s.id, grade: (versions.find((v) => v.filingId === s.filingId)?.values as { selfGrade?: string } | undefined)?.selfGrade }))
      .filter((x): x is { subjectId: string; grade: string } => !!x.grade && (GRADE_ORDER as readonly string[]).includes(x.grade));
    await this.audit.transaction(async (tx) => {
      if (await tx.reviewBallot.count({ where: { roundId: round.id, groupKey: group.key } })) return;
      await tx.reviewBallot.createMany({ data: grades.map((g) => ({ roundId: round.id, groupKey: group.key, subjectId: g.subjectId, grade: g.grade })) });
      await this.audit.record(tx, {
        actor: null,
        action: 'review.self.ballots',
        entityType: 'review_round',
        entityId: round.id,
        data: { groupKey: group.key, ballots: grades.length },
      });
    });
  }

  /**
   * 结束: the results computed once from the ballots and frozen with the round, the ballot tasks of raters who did
   * not vote closed, the committee told. A retried activity finds the round closed and does nothing.
   */
  async close(roundId: string): Promise<{ closed: boolean }> {
    const round = typed(await this.prisma.reviewRound.findUniqueOrThrow({ where: { id: roundId } }));
    if (round.status !== 'SCORING' && round.status !== 'REPORTING') return { closed: false };
    await this.selfBallots(round);
    const frozen = await this.results.compute(round);
    const notVoted = await this.prisma.reviewRater.count({ where: { roundId, votedAt: null } });
    const closed = await this.audit.transaction(async (tx) => {
      const { count } = await tx.reviewRound.updateMany({
        where: { id: roundId, status: { in: ['SCORING', 'REPORTING'] } },
        data: { status: 'CLOSED', closedAt: new Date(), results: json(frozen) },
      });
      if (!count) return false;
      await this.tasks.cancel(tx, { where: { originType: 'review_round', originId: roundId, kind: 'BALLOT' } }, '评分期已结束');
      await this.notifications.notify(tx, [
        {
          kind: 'REVIEW_CLOSED',
          key: `review-closed:${roundId}`,
          to: { orgId: round.orgId },
          subject: { type: 'review_round', id: roundId },
          facts: { title: round.title, notVoted },
        },
      ]);
      await this.audit.record(tx, {
        actor: null,
        action: 'review.round.close',
        entityType: 'review_round',
        entityId: roundId,
        data: { formulaVersion: frozen.version, subjects: frozen.results.length, notVoted },
      });
      return true;
    });
    return { closed };
  }
}
