import { Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { hasPermission, permissions } from '../auth/permissions';
import { CalendarService } from '../calendar/calendar.service';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { filingKey } from '../filings/filing-flow.service';
import { Prisma, type ReviewRound } from '../prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';
import { OrgScopeService } from '../orgs/org-scope.service';
import { Drills } from '../tasks/drills';
import { TaskFlowService } from '../tasks/task-flow.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { filingWorkflowId } from '../../../../workflows/filing/filing.definitions';
import type { filingWorkflow } from '../../../../workflows/filing/filing.workflow';
import { reviewRoundWorkflowId } from '../../../../workflows/review/review.definitions';
import type { reviewRoundWorkflow } from '../../../../workflows/review/review.workflow';
import { FORMULA_LABEL, FORMULA_VERSION, type FormulaSettings } from './formula/formula';
import type { CreateReviewRoundDto } from './dto/review.dto';
import { parseReviewConfig, type ReviewConfig } from './review-config';
import { branchSecretary, workReportForm, type DailyWeights, type RoundGroup, type RubricItemDef } from './rubric';
import type { FrozenResults } from './review-results';

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

export const STATUS_LABELS: Record<ReviewRound['status'], string> = {
  DRAFT: '草稿',
  REPORTING: '述职报告中',
  SCORING: '评分中',
  CLOSED: '评分已结束',
  PUBLISHED: '已通报',
  CANCELLED: '已撤销',
};

/** A round as stored, with its configuration typed. */
export type RoundRow = ReviewRound & { items: RubricItemDef[]; groups: RoundGroup[]; settings: FormulaSettings; dailyWeights: DailyWeights };
export const typed = (r: ReviewRound): RoundRow => r as RoundRow;

/**
 * 述职评议考核 rounds (lifecycle 4), the committee's side: set up a round (rubric, rater groups and their roster, the
 * secretaries under review), start it (a 述职报告 filing for each, through the filing machinery), follow it.
 * Scoring is in BallotsService, the workflow's steps in ReviewFlowService, the 通报 in ReviewPublishService.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
    private readonly temporal: TemporalClientService,
    private readonly tasks: TaskFlowService,
    private readonly scope: OrgScopeService,
  ) {}

  /** The round, for those who follow it in its committee (党建办, 书记); anyone else is told it does not exist. */
  async round(actor: Actor, id: string): Promise<RoundRow> {
    const round = await this.prisma.reviewRound.findUnique({ where: { id } });
    if (!round || !hasPermission(actor.role, permissions.reviewRead) || !(await this.scope.canSee(actor, round.orgId))) throw DomainError.notFound('述职评议');
    return typed(round);
  }

  async create(actor: Actor, dto: CreateReviewRoundDto) {
    const config = parseReviewConfig(dto);
    const { subjects, raters } = await this.checkRoster(actor, dto, config.groups);
    const round = await this.audit.transaction(async (tx) => {
      const created = await tx.reviewRound.create({
        data: { ...roundData(dto, config), orgId: actor.orgId, formulaVersion: FORMULA_VERSION, createdById: actor.personId },
      });
      await this.writeRoster(tx, created.id, subjects, raters);
      await this.audit.record(tx, {
        actor,
        action: 'review.round.create',
        entityType: 'review_round',
        entityId: created.id,
        data: { title: created.title, year: created.year, subjects: subjects.length, raters: raters.length },
      });
      return created;
    });
    return { id: round.id };
  }

  /** A draft round's settings and roster, replaced as a whole. */
  async update(actor: Actor, id: string, dto: CreateReviewRoundDto) {
    const round = await this.round(actor, id);
    this.assertManager(actor);
    if (round.status !== 'DRAFT') throw DomainError.conflict('述职评议已开始，不能再修改设置和名单');
    const config = parseReviewConfig(dto);
    const { subjects, raters } = await this.checkRoster(actor, dto, config.groups);
    await this.audit.transaction(async (tx) => {
      const { count } = await tx.reviewRound.updateMany({
        where: { id, status: 'DRAFT' },
        data: roundData(dto, config),
      });
      if (!count) throw DomainError.conflict('述职评议已开始，不能再修改设置和名单');
      await tx.reviewSubject.deleteMany({ where: { roundId: id } });
      await tx.reviewRater.deleteMany({ where: { roundId: id } });
      await this.writeRoster(tx, id, subjects, raters);
      await this.audit.record(tx, {
        actor,
        action: 'review.round.update',
        entityType: 'review_round',
        entityId: id,
        data: { title: dto.title.trim(), subjects: subjects.length, raters: raters.length },
      });
    });
    return { id };
  }

  private assertManager(actor: Actor) {
    if (!hasPermission(actor.role, permissions.reviewManage)) throw DomainError.forbidden('只有党建办可以设置和启动述职评议');
  }

  /**
   * Who is reviewed and who scores, checked against the organisation tree and the memberships: each secretary in a
   * branch of this committee (the branch's current 支部书记 unless named); each rater an 评议人 of this committee, in
   * exactly one group (a judge counted in two groups is a known failure of other systems).
   */
  private async checkRoster(actor: Actor, dto: CreateReviewRoundDto, groups: RoundGroup[]) {
    this.assertManager(actor);
    const problems: FieldError[] = [];
    const visible = new Set(await this.scope.visibleOrgIds(actor));
    const orgIds = dto.subjects.map((s) => s.orgId);
    const orgs = new Map(
      (await this.prisma.organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true, active: true } })).map((o) => [o.id, o]),
    );
    const memberships = await this.prisma.membership.findMany({
      where: { orgId: { in: orgIds }, active: true, person: { active: true } },
      select: { personId: true, orgId: true, role: true, post: true, person: { select: { name: true } } },
    });
    const subjects: { orgId: string; personId: string; post: string }[] = [];
    const seenOrgs = new Set<string>();
    for (const s of dto.subjects) {
      const org = orgs.get(s.orgId);
      if (!org || !visible.has(s.orgId) || s.orgId === actor.orgId || !org.active) {
        problems.push({ field: 'subjects', message: `被考核组织${org ? `“${org.name}”` : ''}不在本党委管辖的在册支部中` });
        continue;
      }
      if (seenOrgs.has(s.orgId)) {
        problems.push({ field: 'subjects', message: `“${org.name}”被重复列入考核对象` });
        continue;
      }
      seenOrgs.add(s.orgId);
      const inOrg = memberships.filter((m) => m.orgId === s.orgId);
      const m = s.personId ? inOrg.find((x) => x.personId === s.personId) : branchSecretary(inOrg);
      if (!m) {
        problems.push({
          field: 'subjects',
          message: s.personId ? `所选被考核人不在“${org.name}”任职` : `“${org.name}”没有在任的支部书记，请指定被考核人`,
        });
        continue;
      }
      subjects.push({ orgId: s.orgId, personId: m.personId, post: m.post ?? (m.role === 'BRANCH_SECRETARY' ? '党支部书记' : '支部委员') });
    }
    if (new Set(subjects.map((s) => s.personId)).size !== subjects.length) problems.push({ field: 'subjects', message: '同一人被列为两个组织的考核对象' });

    const groupKeys = new Set(groups.filter((g) => !g.self).map((g) => g.key));
    const selfKeys = new Set(groups.filter((g) => g.self).map((g) => g.key));
    const evaluators = await this.prisma.membership.findMany({
      where: { orgId: actor.orgId, role: 'EVALUATOR', active: true, person: { active: true }, personId: { in: dto.raters.map((r) => r.personId) } },
      select: { personId: true },
    });
    const isEvaluator = new Set(evaluators.map((e) => e.personId));
    const names = new Map(
      (await this.prisma.person.findMany({ where: { id: { in: dto.raters.map((r) => r.personId) } }, select: { id: true, name: true } })).map((p) => [
        p.id,
        p.name,
      ]),
    );
    const raters: { groupKey: string; personId: string }[] = [];
    const seenRaters = new Map<string, string>();
    for (const r of dto.raters) {
      const name = names.get(r.personId) ?? '所选人员';
      if (selfKeys.has(r.groupKey)) problems.push({ field: 'raters', message: `书记自评组不设评分人（“${name}”）：各书记在述职报告中自评` });
      else if (!groupKeys.has(r.groupKey)) problems.push({ field: 'raters', message: `“${name}”所在的评分组不在本轮的评分组中` });
      else if (!isEvaluator.has(r.personId))
        problems.push({ field: 'raters', message: `“${name}”在本党委没有评议人身份，不能作为评分人（请系统管理员为其添加“评议人”任职）` });
      else if (seenRaters.has(r.personId)) problems.push({ field: 'raters', message: `“${name}”被列入了两个评分组：一人只能在一个评分组评分` });
      else {
        seenRaters.set(r.personId, r.groupKey);
        raters.push(r);
      }
    }
    for (const g of groups)
      if (!g.self && !raters.some((r) => r.groupKey === g.key)) problems.push({ field: 'raters', message: `评分组“${g.name}”还没有评分人` });
    if (problems.length) throw DomainError.validation(problems, '考核对象或评分人名单有误');
    return { subjects, raters };
  }

  private async writeRoster(
    tx: Tx,
    roundId: string,
    subjects: { orgId: string; personId: string; post: string }[],
    raters: { groupKey: string; personId: string }[],
  ) {
    await tx.reviewSubject.createMany({ data: subjects.map((s, i) => ({ roundId, ...s, sortOrder: i })) });
    await tx.reviewRater.createMany({ data: raters.map((r) => ({ roundId, ...r })) });
  }

  /**
   * 启动: the 述职报告 is due `reportWorkdays` working days from now at 17:30, scoring runs `scoringWorkdays` after it.
   * Each secretary's organisation gets a 述职报告 filing (reminders, extension, overdue as for any filing); the
   * round's workflow then opens scoring at the report deadline and closes the round.
   */
  async start(actor: Actor, id: string) {
    const round = await this.round(actor, id);
    this.assertManager(actor);
    if (round.status !== 'DRAFT') throw DomainError.conflict(`述职评议${STATUS_LABELS[round.status]}，不能再启动`);
    const drill = Drills.secondsFor(id);
    const now = new Date();
    let reportDueAt: Date;
    let scoringEndsAt: Date;
    if (drill) {
      reportDueAt = new Date(now.getTime() + round.reportWorkdays * drill * 1000);
      scoringEndsAt = new Date(reportDueAt.getTime() + round.scoringWorkdays * drill * 1000);
    } else {
      const cal = await this.calendar.calendar();
      reportDueAt = cal.deadlineAfter(now, round.reportWorkdays, '17:30');
      scoringEndsAt = cal.deadlineAfter(reportDueAt, round.scoringWorkdays, '17:30');
    }
    const subjects = await this.prisma.reviewSubject.findMany({ where: { roundId: id }, orderBy: { sortOrder: 'asc' } });
    const people = new Map(
      (await this.prisma.person.findMany({ where: { id: { in: subjects.map((s) => s.personId) } }, select: { id: true, name: true } })).map((p) => [
        p.id,
        p.name,
      ]),
    );

    const started = await this.audit.transaction(
      async (tx) => {
        const { count } = await tx.reviewRound.updateMany({
          where: { id, status: 'DRAFT' },
          data: { status: 'REPORTING', reportDueAt, scoringEndsAt, startedAt: now, workflowId: reviewRoundWorkflowId(id) },
        });
        if (!count) throw DomainError.conflict('述职评议已经启动');
        const requirement = await tx.requirement.create({
          data: {
            directiveId: null,
            orgId: round.orgId,
            reviewerRole: 'COMMITTEE_STAFF',
            title: `${round.title}：述职报告`,
            form: json(workReportForm(round.groups.some((g) => g.self))),
            deadlineKind: 'FIXED',
            deadlineAt: reportDueAt,
          },
        });
        if (drill) Drills.set(requirement.id, drill);
        await tx.reviewRound.update({ where: { id }, data: { requirementId: requirement.id } });
        const filings = subjects.map((s) => ({ id: randomUUID(), taskId: randomUUID(), subject: s }));
        await tx.filing.createMany({
          data: filings.map((f) => ({ id: f.id, requirementId: requirement.id, orgId: f.subject.orgId, taskId: f.taskId, deadlineAt: reportDueAt })),
        });
        for (const f of filings) await tx.reviewSubject.update({ where: { id: f.subject.id }, data: { filingId: f.id } });
        await this.tasks.open(
          tx,
          filings.map((f) => ({
            id: f.taskId,
            key: filingKey(requirement.id, f.subject.orgId),
            kind: 'FILING' as const,
            subject: { type: 'filing' as const, id: f.id },
            origin: { type: 'review_round' as const, id },
            orgId: f.subject.orgId,
            title: `述职报告：${round.title}（${people.get(f.subject.personId) ?? ''}）`,
            dueAt: reportDueAt,
            workflowId: filingWorkflowId(filingKey(requirement.id, f.subject.orgId)),
            data: { requirementId: requirement.id, roundId: id },
          })),
        );
        await this.audit.record(tx, {
          actor,
          action: 'review.round.start',
          entityType: 'review_round',
          entityId: id,
          data: { reportDueAt: reportDueAt.toISOString(), scoringEndsAt: scoringEndsAt.toISOString(), subjects: subjects.length },
        });
        return { requirementId: requirement.id, filings };
      },
      { timeout: 60_000 },
    );

    // After the commit: each report's filing workflow, then the round's. A retried start is harmless (stable ids).
    const client = await this.temporal.client();
    const start = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    };
    for (const f of started.filings) {
      await start(() =>
        client.workflow.start<typeof filingWorkflow>('filingWorkflow', {
          taskQueue: this.temporal.taskQueue,
          workflowId: filingWorkflowId(filingKey(started.requirementId, f.subject.orgId)),
          args: [{ filingId: f.id }],
        }),
      );
    }
    await start(() =>
      client.workflow.start<typeof reviewRoundWorkflow>('reviewRoundWorkflow', {
        taskQueue: this.temporal.taskQueue,
        workflowId: reviewRoundWorkflowId(id),
        args: [{ roundId: id }],
      }),
    );
    return { id, status: 'REPORTING', reportDueAt, scoringEndsAt };
  }

  async list(actor: Actor) {
    if (!hasPermission(actor.role, permissions.reviewRead)) throw DomainError.forbidden();
    const rounds = await this.prisma.reviewRound.findMany({
      where: { orgId: { in: await this.scope.visibleOrgIds(actor) } },
      orderBy: [{ year: 'desc' }, { createdAt: 'desc' }],
      include: { _count: { select: { subjects: true, raters: true } } },
    });
    return rounds.map((r) => ({
      id: r.id,
      year: r.year,
      title: r.title,
      status: r.status,
      statusLabel: STATUS_LABELS[r.status],
      reportDueAt: r.reportDueAt,
      scoringEndsAt: r.scoringEndsAt,
      subjects: r._count.subjects,
      raters: r._count.raters,
    }));
  }

  /**
   * What the committee sees of a round: its settings, each secretary's report, the roster with who has voted (never
   * what), and — only once scoring has closed — the results.
   */
  async detail(actor: Actor, id: string) {
    const round = await this.round(actor, id);
    const [subjects, raters, ballots] = await Promise.all([
      this.prisma.reviewSubject.findMany({ where: { roundId: id }, orderBy: { sortOrder: 'asc' } }),
      this.prisma.reviewRater.findMany({ where: { roundId: id }, select: { id: true, groupKey: true, personId: true, votedAt: true } }),
      this.prisma.reviewBallot.groupBy({ by: ['groupKey'], where: { roundId: id }, _count: { _all: true } }),
    ]);
    const personIds = [...subjects.map((s) => s.personId), ...raters.map((r) => r.personId)];
    const [people, orgs, filings] = await Promise.all([
      this.prisma.person.findMany({ where: { id: { in: personIds } }, select: { id: true, name: true } }),
      this.prisma.organization.findMany({ where: { id: { in: subjects.map((s) => s.orgId) } }, select: { id: true, name: true } }),
      this.prisma.filing.findMany({
        where: { id: { in: subjects.flatMap((s) => [s.filingId, s.remedyFilingId]).filter((x): x is string => !!x) } },
        select: { id: true, status: true, overdue: true, submittedAt: true },
      }),
    ]);
    const name = new Map(people.map((p) => [p.id, p.name]));
    const orgName = new Map(orgs.map((o) => [o.id, o.name]));
    const filing = new Map(filings.map((f) => [f.id, f]));
    const closed = round.status === 'CLOSED' || round.status === 'PUBLISHED';
    const document = round.documentId
      ? await this.prisma.document.findUnique({ where: { id: round.documentId }, select: { id: true, docNumber: true, title: true } })
      : null;
    return {
      id: round.id,
      year: round.year,
      title: round.title,
      status: round.status,
      statusLabel: STATUS_LABELS[round.status],
      reportWorkdays: round.reportWorkdays,
      scoringWorkdays: round.scoringWorkdays,
      reportDueAt: round.reportDueAt,
      scoringEndsAt: round.scoringEndsAt,
      formula: { version: round.formulaVersion, label: FORMULA_LABEL },
      items: round.items,
      groups: round.groups,
      settings: round.settings,
      dailyWeights: round.dailyWeights,
      requirementId: round.requirementId,
      subjects: subjects.map((s) => ({
        id: s.id,
        orgId: s.orgId,
        orgName: orgName.get(s.orgId) ?? '',
        personId: s.personId,
        name: name.get(s.personId) ?? '',
        post: s.post,
        report: s.filingId ? { filingId: s.filingId, ...pick(filing.get(s.filingId)) } : null,
        remedy: s.remedyFilingId ? { filingId: s.remedyFilingId, ...pick(filing.get(s.remedyFilingId)) } : null,
      })),
      roster: round.groups.map((g) => {
        const inGroup = raters.filter((r) => r.groupKey === g.key);
        return {
          key: g.key,
          name: g.name,
          weight: g.weight,
          ballotKind: g.ballotKind,
          self: !!g.self,
          raters: inGroup.map((r) => ({ personId: r.personId, name: name.get(r.personId) ?? '', voted: !!r.votedAt })),
          voted: inGroup.filter((r) => r.votedAt).length,
          // The count of ballots is no secret; what they say is, until the round closes.
          ballots: ballots.find((b) => b.groupKey === g.key)?._count._all ?? 0,
        };
      }),
      results: closed ? (round.results as unknown as FrozenResults | null) : null,
      document,
    };
  }
}

/** The columns a round's form sets (creation and edits of a draft). */
function roundData(dto: CreateReviewRoundDto, config: ReviewConfig) {
  return {
    year: dto.year,
    title: dto.title.trim(),
    directiveId: dto.directiveId ?? null,
    reportWorkdays: dto.reportWorkdays,
    scoringWorkdays: dto.scoringWorkdays,
    items: json(config.items),
    groups: json(config.groups),
    settings: json(config.settings),
    dailyWeights: json(config.dailyWeights),
  };
}

function pick(f: { status: string; overdue: boolean; submittedAt: Date | null } | undefined) {
  return f ? { status: f.status, overdue: f.overdue, submittedAt: f.submittedAt } : { status: 'OPEN', overdue: false, submittedAt: null };
}
