import { Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Bar } from '../accountability/influence';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { hasPermission, permissions } from '../auth/permissions';
import { CalendarService } from '../calendar/calendar.service';
import { shanghaiDateTime, shanghaiDay } from '../calendar/working-calendar';
import { DomainError } from '../common/errors/domain-error';
import { FilesService } from '../files/files.service';
import { NotificationsService } from '../notifications/notifications.service';
import { OrgScopeService } from '../orgs/org-scope.service';
import { OrgKind, Prisma, type CommendationNominee } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { Drills } from '../tasks/drills';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { commendationMovedSignal, commendationRoundWorkflowId } from '../../../../workflows/commendation/commendation.definitions';
import type { commendationRoundWorkflow } from '../../../../workflows/commendation/commendation.workflow';
import {
  DEFAULT_MIN_GRADE,
  DEFAULT_NOTICE_WORKDAYS,
  NOMINEE_STATUS_LABELS,
  ROUND_STATUS_LABELS,
  gradeLabel,
  parseCategories,
  parseLocalBars,
  typed,
  type CategoryConfig,
  type RoundRow,
} from './commendation-config';
import type { ApproveDto, CancelRoundDto, CreateCommendationRoundDto, NominateDto, RankingDto } from './dto/commendation.dto';
import { EligibilityService, type Eligibility } from './eligibility';
import { NomineeRecordService } from './nominee-record';

export const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
export const todayInShanghai = () => shanghaiDay(new Date());

/** The eligibility question for a nominee of a round. */
export const queryOf = (round: RoundRow, n: Pick<CommendationNominee, 'personId' | 'orgId'>) => ({
  personId: n.personId,
  orgId: n.orgId,
  year: round.year,
  minGrade: round.minGrade,
  localBars: round.localBars as Bar[],
});

/** “不符合评选条件：规则（记录）；…” for messages. */
export const ineligibleText = (who: string, e: Eligibility) => `“${who}”不符合评选条件：${e.reasons.map((r) => `${r.rule}（${r.record}）`).join('；')}`;

/**
 * 评选表扬 (lifecycle 5), the committee's and the branches' side up to the approved list: set up a round (categories
 * with quotas, settings), start it (branches are told; the round's workflow closes nominations at the deadline),
 * nominations with the record beside each nominee and eligibility checked from the dated records, the committee's
 * ranking and the party secretary's approval within the quotas. The 公示, objections and the decision are in
 * CommendationNoticeService; the workflow's steps in CommendationFlowService.
 */
@Injectable()
export class CommendationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
    private readonly temporal: TemporalClientService,
    private readonly notifications: NotificationsService,
    private readonly scope: OrgScopeService,
    private readonly files: FilesService,
    private readonly eligibility: EligibilityService,
    private readonly record: NomineeRecordService,
  ) {}

  /** The committee sees its rounds; a branch sees the rounds of the committee above it. Anyone else: not found. */
  async round(actor: Actor, id: string): Promise<RoundRow> {
    const round = await this.prisma.commendationRound.findUnique({ where: { id } });
    if (!round || !hasPermission(actor.role, permissions.commendationRead) || !(await this.inRound(actor, round.orgId))) throw DomainError.notFound('评选表扬');
    return typed(round);
  }

  private async inRound(actor: Actor, committeeId: string) {
    return actor.orgId === committeeId || (await this.scope.subtreeIds(committeeId)).includes(actor.orgId);
  }

  private isCommittee(actor: Actor, round: { orgId: string }) {
    return (
      actor.orgId === round.orgId && (hasPermission(actor.role, permissions.commendationManage) || hasPermission(actor.role, permissions.commendationDecide))
    );
  }

  private assertManager(actor: Actor, round?: { orgId: string }) {
    if (!hasPermission(actor.role, permissions.commendationManage) || (round && round.orgId !== actor.orgId))
      throw DomainError.forbidden('只有本党委党建办可以设置和组织评选表扬');
  }

  async create(actor: Actor, dto: CreateCommendationRoundDto) {
    this.assertManager(actor);
    const { categories, problems } = parseCategories(dto.categories);
    const bars = parseLocalBars(dto.localBars);
    problems.push(...bars.problems);
    if (problems.length) throw DomainError.validation(problems, '评选设置有误');
    const round = await this.audit.transaction(async (tx) => {
      const created = await tx.commendationRound.create({
        data: {
          orgId: actor.orgId,
          year: dto.year,
          title: dto.title.trim(),
          categories: json(categories),
          minGrade: dto.minGrade ?? DEFAULT_MIN_GRADE,
          localBars: bars.bars,
          nominationWorkdays: dto.nominationWorkdays,
          noticeWorkdays: dto.noticeWorkdays ?? DEFAULT_NOTICE_WORKDAYS,
          contact: dto.contact.trim(),
          createdById: actor.personId,
        },
      });
      await this.audit.record(tx, {
        actor,
        action: 'commendation.round.create',
        entityType: 'commendation_round',
        entityId: created.id,
        data: { title: created.title, year: created.year, categories: categories.map((c) => ({ key: c.key, name: c.name, quota: c.quota })) },
      });
      return created;
    });
    return { id: round.id };
  }

  /** 启动: nominations are due `nominationWorkdays` working days from now at 17:30; every branch is told. */
  async start(actor: Actor, id: string) {
    const round = await this.round(actor, id);
    this.assertManager(actor, round);
    if (round.status !== 'DRAFT') throw DomainError.conflict(`评选表扬${ROUND_STATUS_LABELS[round.status]}，不能再启动`);
    const drill = Drills.secondsFor(id);
    const now = new Date();
    const dueAt = drill
      ? new Date(now.getTime() + round.nominationWorkdays * drill * 1000)
      : (await this.calendar.calendar()).deadlineAfter(now, round.nominationWorkdays, '17:30');
    const branches = await this.prisma.organization.findMany({
      where: { id: { in: await this.scope.subtreeIds(round.orgId) }, active: true, kind: { not: OrgKind.COMMITTEE } },
      select: { id: true },
    });
    await this.audit.transaction(async (tx) => {
      const { count } = await tx.commendationRound.updateMany({
        where: { id, status: 'DRAFT' },
        data: { status: 'NOMINATING', nominationDueAt: dueAt, workflowId: commendationRoundWorkflowId(id) },
      });
      if (!count) throw DomainError.conflict('评选表扬已经启动');
      await this.notifications.notify(
        tx,
        branches.map((b) => ({
          kind: 'COM_NOMINATE' as const,
          key: `com-nominate:${id}:${b.id}`,
          to: { orgId: b.id },
          subject: { type: 'commendation_round' as const, id },
          facts: { title: round.title, deadline: shanghaiDateTime(dueAt) },
        })),
      );
      await this.audit.record(tx, {
        actor,
        action: 'commendation.round.start',
        entityType: 'commendation_round',
        entityId: id,
        data: { nominationDueAt: dueAt.toISOString(), workdays: round.nominationWorkdays },
      });
    });
    const client = await this.temporal.client();
    try {
      await client.workflow.start<typeof commendationRoundWorkflow>('commendationRoundWorkflow', {
        taskQueue: this.temporal.taskQueue,
        workflowId: commendationRoundWorkflowId(id),
        args: [{ roundId: id }],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return { id, status: 'NOMINATING', nominationDueAt: dueAt };
  }

  async cancel(actor: Actor, id: string, dto: CancelRoundDto) {
    const round = await this.round(actor, id);
    this.assertManager(actor, round);
    if (round.status === 'DECIDED' || round.status === 'CANCELLED') throw DomainError.conflict(`评选表扬${ROUND_STATUS_LABELS[round.status]}，不能撤销`);
    await this.audit.transaction(async (tx) => {
      const { count } = await tx.commendationRound.updateMany({ where: { id, status: round.status }, data: { status: 'CANCELLED' } });
      if (!count) throw DomainError.conflict('评选表扬的状态已变化，请刷新后重试');
      await this.audit.record(tx, {
        actor,
        action: 'commendation.round.cancel',
        entityType: 'commendation_round',
        entityId: id,
        data: { reason: dto.reason.trim(), status: round.status },
      });
    });
    await this.signal(id);
    return { id, status: 'CANCELLED' };
  }

  /** After the commit: the workflow re-reads the round (a round whose workflow has ended is left alone). */
  async signal(id: string): Promise<void> {
    const client = await this.temporal.client();
    try {
      await client.workflow.getHandle(commendationRoundWorkflowId(id)).signal(commendationMovedSignal);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }

  /**
   * 推荐: a branch for its own people (or itself), the committee for anyone in its branches and its own cadres; at most the quota per
   * category and nominating organisation; eligibility checked now from the record, and an ineligible nominee refused
   * with the rule and the record. The record beside the nominee is kept with the nomination.
   */
  async nominate(actor: Actor, id: string, dto: NominateDto) {
    const round = await this.round(actor, id);
    if (round.status !== 'NOMINATING' || !round.nominationDueAt || round.nominationDueAt.getTime() <= Date.now())
      throw DomainError.conflict(
        round.nominationDueAt && round.status !== 'DRAFT'
          ? `推荐已于${shanghaiDateTime(round.nominationDueAt)}截止`
          : `评选表扬${ROUND_STATUS_LABELS[round.status]}，不能推荐`,
      );
    const committee = actor.orgId === round.orgId && hasPermission(actor.role, permissions.commendationManage);
    if (!committee && !hasPermission(actor.role, permissions.commendationNominate)) throw DomainError.forbidden('当前身份不能推荐');
    const category = round.categories.find((c) => c.key === dto.categoryKey);
    if (!category) throw DomainError.validation([{ field: 'categoryKey', message: '所选评选类别不在本轮评选中' }]);
    if (!committee && dto.orgId !== actor.orgId) throw DomainError.forbidden('支部只能推荐本支部的人选');
    const org = await this.prisma.organization.findUnique({ where: { id: dto.orgId }, select: { id: true, name: true, active: true, kind: true } });
    // The committee's own cadres (a category for township cadres) are nominated by the committee itself, as people; the
    // committee is never a nominee as an organisation, nor is any other committee's organ.
    const ownCadres = committee && org?.id === round.orgId && category.target === 'PERSON';
    if (!org || !org.active || (org.kind === OrgKind.COMMITTEE && !ownCadres) || !(await this.scope.subtreeIds(round.orgId)).includes(org.id))
      throw DomainError.validation([{ field: 'orgId', message: '所选支部不在本党委管辖的在册支部中' }]);

    let who = org.name;
    let post: string | null = null;
    if (category.target === 'PERSON') {
      if (!dto.personId) throw DomainError.validation([{ field: 'personId', message: `“${category.name}”表扬个人，请选择被推荐人` }]);
      const ms = await this.prisma.membership.findMany({
        where: { personId: dto.personId, orgId: org.id, active: true, person: { active: true } },
        include: { person: { select: { name: true } } },
      });
      if (!ms.length) throw DomainError.validation([{ field: 'personId', message: `被推荐人不在“${org.name}”任职` }]);
      who = ms[0].person.name;
      const m = category.post ? ms.find((x) => x.post === category.post) : ms[0];
      if (!m) throw DomainError.validation([{ field: 'personId', message: `“${category.name}”只表扬${category.post}，“${who}”在“${org.name}”不任此职` }]);
      post = m.post ?? null;
    } else if (dto.personId) throw DomainError.validation([{ field: 'personId', message: `“${category.name}”表扬支部，不能推荐个人` }]);

    const target = { personId: category.target === 'PERSON' ? (dto.personId as string) : null, orgId: org.id };
    const day = todayInShanghai();
    const eligibility = await this.eligibility.check(queryOf(round, target), day, '推荐');
    if (!eligibility.eligible) throw DomainError.conflict(ineligibleText(who, eligibility));
    const files = dto.files ?? [];
    await this.files.assertStored(files.map((ref, i) => ({ field: `files[${i}]`, ref })));
    const evidence = await this.record.of(target, round.year);
    const targetKey = target.personId ? `person:${target.personId}` : `org:${target.orgId}`;

    const nominee = await this.audit.transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM commendation_round WHERE id = ${id}::uuid FOR UPDATE`;
      if (await tx.commendationNominee.findUnique({ where: { roundId_categoryKey_targetKey: { roundId: id, categoryKey: category.key, targetKey } } }))
        throw DomainError.conflict(`“${who}”已被推荐为“${category.name}”`);
      const mine = await tx.commendationNominee.count({ where: { roundId: id, categoryKey: category.key, nominatedByOrg: actor.orgId } });
      if (!committee && mine >= category.quota)
        throw DomainError.conflict(`“${category.name}”名额为 ${category.quota} 名，本支部已推荐 ${mine} 名，不能再推荐`);
      const created = await tx.commendationNominee.create({
        data: {
          roundId: id,
          categoryKey: category.key,
          personId: target.personId,
          orgId: org.id,
          post,
          targetKey,
          nominatedById: actor.personId,
          nominatedByOrg: actor.orgId,
          reason: dto.reason.trim(),
          files: json(files.map((f) => ({ sha256: f.sha256, name: f.name }))),
          evidence: json(evidence),
          eligibility: json(eligibility),
        },
      });
      await this.audit.record(tx, {
        actor,
        action: 'commendation.nominate',
        entityType: 'commendation_round',
        entityId: id,
        data: {
          nomineeId: created.id,
          categoryKey: category.key,
          ...(target.personId ? { personId: target.personId } : {}),
          orgId: org.id,
          byOrgId: actor.orgId,
        },
      });
      return created;
    });
    return { id: nominee.id, eligibility, evidence };
  }

  /** 排序 (党建办): the category's nominees in the committee's order, after nominations have closed. */
  async rank(actor: Actor, id: string, dto: RankingDto) {
    const round = await this.round(actor, id);
    this.assertManager(actor, round);
    if (round.status !== 'SELECTING' || round.approval) throw DomainError.conflict(round.approval ? '党委已审定名单，不能再排序' : '推荐尚未截止，不能排序');
    const category = this.category(round, dto.categoryKey);
    const nominees = await this.prisma.commendationNominee.findMany({ where: { roundId: id, categoryKey: category.key, status: { not: 'INELIGIBLE' } } });
    const ids = new Set(nominees.map((n) => n.id));
    if (dto.order.length !== ids.size || new Set(dto.order).size !== dto.order.length || dto.order.some((x) => !ids.has(x)))
      throw DomainError.validation([{ field: 'order', message: `请对“${category.name}”的全部 ${ids.size} 名推荐对象排序，每名一次` }]);
    await this.audit.transaction(async (tx) => {
      for (const [i, nid] of dto.order.entries()) await tx.commendationNominee.update({ where: { id: nid }, data: { rank: i + 1 } });
      await this.audit.record(tx, {
        actor,
        action: 'commendation.rank',
        entityType: 'commendation_round',
        entityId: id,
        data: { categoryKey: category.key, order: dto.order },
      });
    });
    return { id, categoryKey: category.key, ranked: dto.order.length };
  }

  /**
   * 党委审定 (the party secretary records the committee's decision): per category those approved, within the quota,
   * each ranked; the others stay in reserve, in rank order, for a place an upheld objection frees.
   */
  async approve(actor: Actor, id: string, dto: ApproveDto) {
    const round = await this.round(actor, id);
    if (!hasPermission(actor.role, permissions.commendationDecide) || actor.orgId !== round.orgId)
      throw DomainError.forbidden('只有党委书记可以记录党委审定结果');
    if (round.status !== 'SELECTING') throw DomainError.conflict(`评选表扬${ROUND_STATUS_LABELS[round.status]}，不能审定`);
    if (round.approval) throw DomainError.conflict('党委已审定名单');
    const nominees = await this.prisma.commendationNominee.findMany({ where: { roundId: id } });
    const problems: { field: string; message: string }[] = [];
    const approved = new Set<string>();
    for (const c of dto.categories) {
      const category = round.categories.find((x) => x.key === c.categoryKey);
      if (!category) {
        problems.push({ field: 'categories', message: '审定名单中有不在本轮的评选类别' });
        continue;
      }
      const mine = nominees.filter((n) => n.categoryKey === category.key && n.status !== 'INELIGIBLE');
      if (c.nomineeIds.length > category.quota)
        problems.push({ field: 'categories', message: `“${category.name}”名额为 ${category.quota} 名，审定了 ${c.nomineeIds.length} 名` });
      if (c.nomineeIds.some((n) => !mine.some((m) => m.id === n)))
        problems.push({ field: 'categories', message: `“${category.name}”的审定名单中有不是本类别推荐对象的人选` });
      if (mine.some((m) => m.rank === null)) problems.push({ field: 'categories', message: `“${category.name}”的推荐对象尚未排序` });
      c.nomineeIds.forEach((n) => approved.add(n));
    }
    if (problems.length) throw DomainError.validation(problems, '审定名单有误');
    const approval = {
      meeting: dto.meeting.trim(),
      heldOn: dto.heldOn,
      approved: dto.categories.map((c) => ({ key: c.categoryKey, nomineeIds: c.nomineeIds })),
    };
    await this.audit.transaction(async (tx) => {
      const { count } = await tx.commendationRound.updateMany({
        where: { id, status: 'SELECTING', approvedAt: null },
        data: { approval: json(approval), approvedAt: new Date(), approvedById: actor.personId },
      });
      if (!count) throw DomainError.conflict('党委已审定名单');
      await tx.commendationNominee.updateMany({ where: { roundId: id, id: { in: [...approved] } }, data: { status: 'APPROVED' } });
      await tx.commendationNominee.updateMany({ where: { roundId: id, id: { notIn: [...approved] }, status: 'NOMINATED' }, data: { status: 'RESERVE' } });
      await this.audit.record(tx, {
        actor,
        action: 'commendation.approve',
        entityType: 'commendation_round',
        entityId: id,
        data: { meeting: approval.meeting, heldOn: approval.heldOn, approved: approval.approved.map((a) => ({ key: a.key, nomineeIds: a.nomineeIds })) },
      });
    });
    await this.signal(id);
    return { id, approved: approved.size };
  }

  category(round: RoundRow, key: string): CategoryConfig {
    const category = round.categories.find((c) => c.key === key);
    if (!category) throw DomainError.validation([{ field: 'categoryKey', message: '所选评选类别不在本轮评选中' }]);
    return category;
  }

  async list(actor: Actor) {
    if (!hasPermission(actor.role, permissions.commendationRead)) throw DomainError.forbidden();
    const ancestors = await this.prisma.$queryRaw<{ id: string }[]>`
      WITH RECURSIVE t AS (
        SELECT id, parent_id FROM organization WHERE id = ${actor.orgId}::uuid
        UNION ALL
        SELECT o.id, o.parent_id FROM organization o JOIN t ON o.id = t.parent_id
      ) SELECT id::text AS id FROM t`;
    const rounds = await this.prisma.commendationRound.findMany({
      where: { orgId: { in: ancestors.map((a) => a.id) } },
      orderBy: [{ year: 'desc' }, { createdAt: 'desc' }],
    });
    return rounds.map((r) => ({
      id: r.id,
      year: r.year,
      title: r.title,
      status: r.status,
      statusLabel: ROUND_STATUS_LABELS[r.status],
      nominationDueAt: r.nominationDueAt,
      categories: typed(r).categories,
    }));
  }

  /**
   * A round as its reader may see it: the committee everything (nominees with their record and eligibility, the
   * approval, notices, objections with the objector's name); a branch the round and the nominations it made or that
   * concern it.
   */
  async detail(actor: Actor, id: string) {
    const round = await this.round(actor, id);
    const committee = this.isCommittee(actor, round);
    const [nominees, notices, objections] = await Promise.all([
      this.prisma.commendationNominee.findMany({
        where: { roundId: id, ...(committee ? {} : { OR: [{ nominatedByOrg: actor.orgId }, { orgId: actor.orgId }] }) },
        orderBy: [{ categoryKey: 'asc' }, { rank: 'asc' }, { createdAt: 'asc' }],
      }),
      this.prisma.commendationNotice.findMany({ where: { roundId: id }, orderBy: { seq: 'asc' } }),
      committee ? this.prisma.commendationObjection.findMany({ where: { roundId: id }, orderBy: { createdAt: 'asc' } }) : Promise.resolve([]),
    ]);
    const names = await this.names(nominees);
    const docs = await this.prisma.document.findMany({
      where: { id: { in: [...notices.map((n) => n.documentId), ...(round.documentId ? [round.documentId] : [])] } },
      select: { id: true, docNumber: true, title: true },
    });
    const doc = (docId: string | null) => docs.find((d) => d.id === docId) ?? null;
    return {
      id: round.id,
      year: round.year,
      title: round.title,
      status: round.status,
      statusLabel: ROUND_STATUS_LABELS[round.status],
      categories: round.categories,
      minGrade: round.minGrade,
      minGradeLabel: gradeLabel(round.minGrade),
      localBars: round.localBars,
      nominationWorkdays: round.nominationWorkdays,
      nominationDueAt: round.nominationDueAt,
      noticeWorkdays: round.noticeWorkdays,
      contact: round.contact,
      approval: round.approval,
      decisionKind: round.decisionKind,
      approvalRef: round.approvalRef,
      vacancies: round.vacancies,
      document: doc(round.documentId),
      nominees: nominees.map((n) => ({
        id: n.id,
        categoryKey: n.categoryKey,
        personId: n.personId,
        name: n.personId ? (names.people.get(n.personId) ?? '') : (names.orgs.get(n.orgId) ?? ''),
        orgId: n.orgId,
        orgName: names.orgs.get(n.orgId) ?? '',
        post: n.post,
        reason: n.reason,
        files: n.files,
        evidence: n.evidence,
        eligibility: n.eligibility,
        status: n.status,
        statusLabel: NOMINEE_STATUS_LABELS[n.status],
        rank: n.rank,
        noticeId: n.noticeId,
        removedReason: n.removedReason,
      })),
      notices: notices.map((n) => ({
        id: n.id,
        seq: n.seq,
        document: doc(n.documentId),
        nomineeIds: n.nomineeIds,
        workdays: n.workdays,
        startsOn: n.startsOn,
        endsOn: n.endsOn,
        endsAt: n.endsAt,
        ended: !!n.endedAt || n.endsAt.getTime() <= Date.now(),
      })),
      objections: objections.map((o) => ({
        id: o.id,
        nomineeId: o.nomineeId,
        noticeId: o.noticeId,
        objectorName: o.objectorName,
        objectorPhone: o.objectorPhone,
        channel: o.channel,
        text: o.text,
        files: o.files,
        receivedOn: o.receivedOn,
        status: o.status,
        finding: o.finding,
        resolvedAt: o.resolvedAt,
        objectorId: o.objectorId,
        toldAt: o.toldAt,
      })),
    };
  }

  /**
   * Whom the actor may nominate in a round (for the nomination form): a branch its own people and itself, the
   * committee's 党建办 anyone holding a post in its active branches or in the committee itself (its own cadres), and
   * those branches. People with their post.
   */
  async nomineeChoices(actor: Actor, round: RoundRow) {
    const committee = actor.orgId === round.orgId && hasPermission(actor.role, permissions.commendationManage);
    if (!committee && !hasPermission(actor.role, permissions.commendationNominate)) return { people: [], orgs: [] };
    const inScope = await this.scope.subtreeIds(round.orgId);
    const orgIds = committee ? inScope : inScope.includes(actor.orgId) ? [actor.orgId] : [];
    const orgs = await this.prisma.organization.findMany({
      where: { id: { in: orgIds }, active: true, kind: { not: OrgKind.COMMITTEE } },
      select: { id: true, name: true },
      orderBy: { name: 'asc' },
    });
    // People: those holding posts in the branches and, for the committee, its own cadres (乡镇干部 categories).
    const own = committee ? await this.prisma.organization.findFirst({ where: { id: round.orgId, active: true }, select: { id: true, name: true } }) : null;
    const places = own ? [own, ...orgs] : orgs;
    const memberships = await this.prisma.membership.findMany({
      where: { orgId: { in: places.map((o) => o.id) }, active: true, person: { active: true } },
      select: { personId: true, orgId: true, post: true, person: { select: { name: true } } },
      orderBy: { person: { name: 'asc' } },
    });
    // One choice per person and branch, with every post held there.
    const people = new Map<string, { personId: string; orgId: string; name: string; orgName: string; posts: string[] }>();
    for (const m of memberships) {
      const key = `${m.personId}:${m.orgId}`;
      const row = people.get(key) ?? {
        personId: m.personId,
        orgId: m.orgId,
        name: m.person.name,
        orgName: places.find((o) => o.id === m.orgId)?.name ?? '',
        posts: [],
      };
      if (m.post && !row.posts.includes(m.post)) row.posts.push(m.post);
      people.set(key, row);
    }
    return { people: [...people.values()], orgs };
  }

  async names(nominees: Pick<CommendationNominee, 'personId' | 'orgId'>[]) {
    const [people, orgs] = await Promise.all([
      this.prisma.person.findMany({ where: { id: { in: nominees.map((n) => n.personId).filter((x): x is string => !!x) } }, select: { id: true, name: true } }),
      this.prisma.organization.findMany({ where: { id: { in: nominees.map((n) => n.orgId) } }, select: { id: true, name: true } }),
    ]);
    return { people: new Map(people.map((p) => [p.id, p.name])), orgs: new Map(orgs.map((o) => [o.id, o.name])) };
  }
}
