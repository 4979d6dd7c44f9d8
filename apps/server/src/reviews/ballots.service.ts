import { Injectable, Logger } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { hasPermission, permissions } from '../auth/permissions';
import { shanghaiDateTime } from '../calendar/working-calendar';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { ArchiveService } from '../documents/archive.service';
import type { OpenedFile } from '../files/files.service';
import { Prisma, type ReviewRater } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { TaskFlowService } from '../tasks/task-flow.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { allVotedSignal, reviewRoundWorkflowId } from '../../../../workflows/review/review.definitions';
import { BALLOT_KIND_LABELS, ballotPoints, GRADE_LABELS, GRADE_ORDER, topGradeCap, type GradeKey, type RaterGroupConfig } from './formula/formula';
import type { BallotEntryDto, BallotSheetDto } from './dto/review.dto';
import { STATUS_LABELS, typed, type RoundRow } from './reviews.service';

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/** One line of a rater's sheet, as kept in the draft and cast as an anonymous ballot. */
export interface SheetEntry {
  grade?: GradeKey;
  items?: Record<string, number>;
  abstain?: boolean;
  reason?: string;
}

interface Scorable {
  id: string;
  personId: string;
  orgId: string;
  name: string;
  orgName: string;
  post: string;
  filingId: string | null;
}

/**
 * A rater's side of a round: the sheet of the secretaries they may score, a private draft, and one cast. Ballots are
 * written without the rater and without a time; the roster only records that (and how many) the rater cast.
 */
@Injectable()
export class BallotsService {
  private readonly logger = new Logger(BallotsService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly tasks: TaskFlowService,
    private readonly temporal: TemporalClientService,
    private readonly archive: ArchiveService,
  ) {}

  /** The caller's place on the roster, acting as 评议人 in the round's committee; to anyone else the round does not exist. */
  private async rater(actor: Actor, roundId: string): Promise<{ round: RoundRow; rater: ReviewRater; group: RaterGroupConfig }> {
    const round = await this.prisma.reviewRound.findUnique({ where: { id: roundId } });
    if (!round || !hasPermission(actor.role, permissions.reviewScore) || actor.orgId !== round.orgId) throw DomainError.notFound('述职评议');
    const rater = await this.prisma.reviewRater.findUnique({ where: { roundId_personId: { roundId, personId: actor.personId } } });
    if (!rater) throw DomainError.notFound('述职评议');
    const r = typed(round);
    const group = r.groups.find((g) => g.key === rater.groupKey) as RaterGroupConfig;
    return { round: r, rater, group };
  }

  /**
   * The secretaries this rater may score, and those they may not with the reason: nobody scores themselves or an
   * organisation they belong to.
   */
  private async scorable(roundId: string, personId: string): Promise<{ scorable: Scorable[]; excluded: { name: string; orgName: string; reason: string }[] }> {
    const subjects = await this.prisma.reviewSubject.findMany({ where: { roundId }, orderBy: { sortOrder: 'asc' } });
    const [people, orgs, own] = await Promise.all([
      this.prisma.person.findMany({ where: { id: { in: subjects.map((s) => s.personId) } }, select: { id: true, name: true } }),
      this.prisma.organization.findMany({ where: { id: { in: subjects.map((s) => s.orgId) } }, select: { id: true, name: true } }),
      this.prisma.membership.findMany({ where: { personId, active: true }, select: { orgId: true } }),
    ]);
    const name = new Map(people.map((p) => [p.id, p.name]));
    const orgName = new Map(orgs.map((o) => [o.id, o.name]));
    const ownOrgs = new Set(own.map((m) => m.orgId));
    const out: Scorable[] = [];
    const excluded: { name: string; orgName: string; reason: string }[] = [];
    for (const s of subjects) {
      const row = {
        id: s.id,
        personId: s.personId,
        orgId: s.orgId,
        name: name.get(s.personId) ?? '',
        orgName: orgName.get(s.orgId) ?? '',
        post: s.post,
        filingId: s.filingId,
      };
      if (s.personId === personId) excluded.push({ name: row.name, orgName: row.orgName, reason: '不能为本人评分' });
      else if (ownOrgs.has(s.orgId)) excluded.push({ name: row.name, orgName: row.orgName, reason: '不能为本人所在组织的书记评分' });
      else out.push(row);
    }
    return { scorable: out, excluded };
  }

  /** The sheet: the rubric or the grade scale, each secretary's 述职报告, the draft, the cap on 好. */
  async sheet(actor: Actor, roundId: string) {
    const { round, rater, group } = await this.rater(actor, roundId);
    const { scorable, excluded } = await this.scorable(roundId, actor.personId);
    const open = round.status === 'SCORING';
    // Reports are read only once scoring is open (and stay readable to the rater afterwards).
    const reports = round.status === 'REPORTING' || round.status === 'DRAFT' ? new Map() : await this.reports(scorable);
    return {
      round: {
        id: round.id,
        title: round.title,
        year: round.year,
        status: round.status,
        statusLabel: STATUS_LABELS[round.status],
        reportDueAt: round.reportDueAt,
        scoringEndsAt: round.scoringEndsAt,
      },
      group: { key: group.key, name: group.name, ballotKind: group.ballotKind, ballotKindLabel: BALLOT_KIND_LABELS[group.ballotKind] },
      items: group.ballotKind === 'ITEMS' ? round.items : [],
      grades: GRADE_ORDER.map((g) => ({ value: g, label: GRADE_LABELS[g], points: round.settings.gradePoints[g] })),
      topGrade: { label: GRADE_LABELS.GOOD, cap: topGradeCap(scorable.length, round.settings.topGradeCapPercent), percent: round.settings.topGradeCapPercent },
      open,
      votedAt: rater.votedAt,
      subjects: scorable.map((s) => ({ id: s.id, name: s.name, orgName: s.orgName, post: s.post, report: reports.get(s.id) ?? null })),
      excluded,
      draft: rater.votedAt ? {} : ((rater.draft ?? {}) as Record<string, SheetEntry>),
      draftSavedAt: rater.draftSavedAt,
    };
  }

  /** The latest submitted version of each scorable secretary's 述职报告. */
  private async reports(scorable: Scorable[]) {
    const filingIds = scorable.map((s) => s.filingId).filter((x): x is string => !!x);
    const versions = await this.prisma.filingVersion.findMany({
      where: { filingId: { in: filingIds } },
      orderBy: { version: 'desc' },
      distinct: ['filingId'],
      select: { filingId: true, values: true, submittedAt: true, version: true },
    });
    const byFiling = new Map(versions.map((v) => [v.filingId, v]));
    const out = new Map<string, { values: Record<string, unknown>; submittedAt: Date; version: number }>();
    for (const s of scorable) {
      const v = s.filingId ? byFiling.get(s.filingId) : undefined;
      if (v) out.set(s.id, { values: v.values as Record<string, unknown>, submittedAt: v.submittedAt, version: v.version });
    }
    return out;
  }

  /** An attachment of a report this rater may score (raters read the reports they score, and nothing else). */
  async reportFile(actor: Actor, roundId: string, sha256: string): Promise<OpenedFile> {
    const { round } = await this.rater(actor, roundId);
    if (round.status === 'DRAFT' || round.status === 'REPORTING') throw DomainError.notFound('文件');
    const { scorable } = await this.scorable(roundId, actor.personId);
    for (const report of (await this.reports(scorable)).values()) {
      const files = (report.values.attachments ?? []) as { sha256?: string; name?: string }[];
      const ref = Array.isArray(files) ? files.find((f) => f?.sha256 === sha256) : undefined;
      if (!ref) continue;
      const file = await this.prisma.storedFile.findUnique({ where: { sha256 } });
      if (file) return { name: ref.name ?? sha256.slice(0, 12), mimeType: file.mimeType, size: file.size, stream: this.archive.stream(file) };
    }
    throw DomainError.notFound('文件');
  }

  private assertOpen(round: RoundRow, rater: ReviewRater) {
    if (rater.votedAt) throw DomainError.conflict('您已投票，每人每轮只能投一次');
    if (round.status === 'DRAFT' || round.status === 'REPORTING')
      throw DomainError.conflict(`评分尚未开始${round.reportDueAt ? `，将于述职报告截止（${shanghaiDateTime(round.reportDueAt)}）后开始` : ''}`);
    if (round.status !== 'SCORING' || (round.scoringEndsAt && round.scoringEndsAt.getTime() <= Date.now()))
      throw DomainError.conflict(`评分期已结束${round.scoringEndsAt ? `（${shanghaiDateTime(round.scoringEndsAt)}）` : ''}，不能再评分`);
  }

  /** One entry checked against the group's ballot kind and the rubric; null when it is a valid line. */
  private entryProblem(e: BallotEntryDto, s: Scorable, round: RoundRow, group: RaterGroupConfig): string | null {
    if (e.abstain) return e.reason?.trim() ? null : `对${s.name}弃权须写明理由`;
    if (group.ballotKind === 'GRADE') return e.grade ? null : `请为${s.name}评定等次`;
    const items = e.items ?? {};
    for (const item of round.items) {
      const v = items[item.key];
      if (v === undefined || v === null || (v as unknown) === '') return `请为${s.name}的“${item.name}”打分`;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > item.max) return `${s.name}的“${item.name}”得分应在 0 到 ${item.max} 之间`;
      if (Math.round(v * 2) !== v * 2) return `${s.name}的“${item.name}”得分最多保留到 0.5 分`;
    }
    const extra = Object.keys(items).find((k) => !round.items.some((i) => i.key === k));
    return extra ? `${s.name}的评分中有本轮没有的考核项目` : null;
  }

  /** The entry as stored: only what the group's ballot kind uses. */
  private clean(e: BallotEntryDto, round: RoundRow, group: RaterGroupConfig): SheetEntry {
    if (e.abstain) return { abstain: true, reason: e.reason?.trim() ?? '' };
    if (group.ballotKind === 'GRADE') return { grade: e.grade };
    return { items: Object.fromEntries(round.items.map((i) => [i.key, (e.items ?? {})[i.key]])) };
  }

  /** 暂存: keeps every valid line and says which it could not keep (a draft loses nothing that was right). */
  async saveDraft(actor: Actor, roundId: string, dto: BallotSheetDto) {
    const { round, rater, group } = await this.rater(actor, roundId);
    this.assertOpen(round, rater);
    const { scorable, excluded } = await this.scorable(roundId, actor.personId);
    const byId = new Map(scorable.map((s) => [s.id, s]));
    const draft = { ...((rater.draft ?? {}) as Record<string, SheetEntry>) };
    const problems: FieldError[] = [];
    for (const e of dto.entries) {
      const s = byId.get(e.subjectId);
      if (!s) {
        problems.push({ field: 'entries', message: this.notScorable(excluded) });
        continue;
      }
      const empty = !e.abstain && !e.grade && !(e.items && Object.keys(e.items).length);
      if (empty) {
        delete draft[s.id];
        continue;
      }
      const problem = group.ballotKind === 'ITEMS' && !e.abstain ? this.partialItemsProblem(e, s, round) : this.entryProblem(e, s, round, group);
      if (problem) problems.push({ field: 'entries', message: problem });
      else draft[s.id] = e.abstain || group.ballotKind === 'GRADE' ? this.clean(e, round, group) : { items: e.items };
    }
    const { count } = await this.audit.transaction(async (tx) => {
      const res = await tx.reviewRater.updateMany({ where: { id: rater.id, votedAt: null }, data: { draft: json(draft), draftSavedAt: new Date() } });
      // The audit says that a draft was kept, never what it holds.
      if (res.count)
        await this.audit.record(tx, {
          actor,
          action: 'review.ballot.draft',
          entityType: 'review_round',
          entityId: roundId,
          data: { entries: Object.keys(draft).length },
        });
      return res;
    });
    if (!count) throw DomainError.conflict('您已投票，每人每轮只能投一次');
    return { saved: Object.keys(draft).length, problems };
  }

  /** A draft of an ITEMS ballot may be incomplete: only the scores given are checked. */
  private partialItemsProblem(e: BallotEntryDto, s: Scorable, round: RoundRow): string | null {
    for (const [key, v] of Object.entries(e.items ?? {})) {
      const item = round.items.find((i) => i.key === key);
      if (!item) return `${s.name}的评分中有本轮没有的考核项目`;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > item.max) return `${s.name}的“${item.name}”得分应在 0 到 ${item.max} 之间`;
    }
    return null;
  }

  private notScorable(excluded: { name: string; reason: string }[]): string {
    return excluded.length ? `所选对象不在您可评分的名单中（${excluded.map((x) => `${x.name}：${x.reason}`).join('；')}）` : '所选对象不是本轮的考核对象';
  }

  /**
   * 投票: the whole sheet at once — one line (a score, a grade, or an abstention with its reason) for every secretary
   * the rater may score, at most the cap of 好 — written as anonymous ballots in a shuffled order; the roster records
   * only that the rater voted and how many lines the sheet held.
   */
  async cast(actor: Actor, roundId: string, dto: BallotSheetDto) {
    const { round, rater, group } = await this.rater(actor, roundId);
    this.assertOpen(round, rater);
    const { scorable, excluded } = await this.scorable(roundId, actor.personId);
    const byId = new Map(scorable.map((s) => [s.id, s]));
    const problems: FieldError[] = [];
    const seen = new Set<string>();
    for (const e of dto.entries) {
      const s = byId.get(e.subjectId);
      if (!s) problems.push({ field: 'entries', message: this.notScorable(excluded) });
      else if (seen.has(s.id)) problems.push({ field: 'entries', message: `对${s.name}只能投一票` });
      else {
        seen.add(s.id);
        const p = this.entryProblem(e, s, round, group);
        if (p) problems.push({ field: 'entries', message: p });
      }
    }
    const missing = scorable.filter((s) => !seen.has(s.id));
    if (missing.length)
      problems.push({ field: 'entries', message: `还有 ${missing.length} 人未评分：${missing.map((s) => s.name).join('、')}（不评的请选择弃权并写明理由）` });
    if (problems.length) throw DomainError.validation(problems, '选票未投出');

    const entries = dto.entries.map((e) => ({ subjectId: e.subjectId, entry: this.clean(e, round, group) }));
    const goodMin = round.settings.thresholds.find((t) => t.grade === 'GOOD')?.min ?? Infinity;
    const top = entries.filter(({ entry }) =>
      entry.abstain
        ? false
        : group.ballotKind === 'GRADE'
          ? entry.grade === 'GOOD'
          : ballotPoints({ groupKey: group.key, subjectId: '', items: entry.items }, round.items, round.settings) >= goodMin,
    ).length;
    const scored = entries.filter((e) => !e.entry.abstain).length;
    const cap = topGradeCap(scored, round.settings.topGradeCapPercent);
    if (top > cap)
      throw DomainError.validation(
        [{ field: 'entries', message: `评为“好”的最多 ${cap} 人（您评分的 ${scored} 人的 ${round.settings.topGradeCapPercent}%），现为 ${top} 人` }],
        '选票未投出',
      );

    // Shuffled: nothing of the sheet's order (or of who cast it) survives in the ballot box.
    const ballots = shuffle(entries).map(({ subjectId, entry }) => ({
      roundId,
      groupKey: group.key,
      subjectId,
      grade: entry.grade ?? null,
      items: entry.items ? json(entry.items) : Prisma.DbNull,
      abstain: !!entry.abstain,
      reason: entry.abstain ? (entry.reason ?? '') : null,
    }));
    await this.audit.transaction(async (tx) => {
      // The roster row is the lock: of two casts by one rater (two tabs), the second finds it voted.
      const [row] = await tx.$queryRaw<{ voted_at: Date | null; status: string }[]>`
        SELECT r.voted_at, rr.status::text AS status FROM review_rater r JOIN review_round rr ON rr.id = r.round_id
        WHERE r.id = ${rater.id}::uuid FOR UPDATE OF r, rr`;
      if (row.voted_at) throw DomainError.conflict('您已投票，每人每轮只能投一次');
      if (row.status !== 'SCORING') throw DomainError.conflict('评分期已结束，不能再评分');
      await tx.reviewBallot.createMany({ data: ballots });
      await tx.reviewRater.update({
        where: { id: rater.id },
        data: { votedAt: new Date(), ballotCount: ballots.length, draft: Prisma.DbNull, draftSavedAt: null },
      });
      if (rater.taskId) await this.tasks.complete(tx, { ids: [rater.taskId] }, actor.personId);
      await this.audit.record(tx, {
        actor,
        action: 'review.ballot.cast',
        entityType: 'review_round',
        entityId: roundId,
        data: { groupKey: group.key, ballots: ballots.length },
      });
    });

    const remaining = await this.prisma.reviewRater.count({ where: { roundId, votedAt: null } });
    if (remaining === 0) {
      try {
        const client = await this.temporal.client();
        await client.workflow.getHandle(reviewRoundWorkflowId(roundId)).signal(allVotedSignal);
      } catch (err) {
        // The window's end closes the round anyway.
        this.logger.warn(`述职评议 ${roundId} 全部投票后通知工作流失败：${(err as Error).message}`);
      }
    }
    return { voted: true, ballots: ballots.length, remaining };
  }
}

function shuffle<T>(items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
