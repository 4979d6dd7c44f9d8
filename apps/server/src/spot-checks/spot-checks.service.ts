import { Injectable } from '@nestjs/common';
import { hasPermission, permissions } from '../auth/permissions';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { BRANCH_ROLES } from '../auth/roles';
import { DomainError, FieldError } from '../common/errors/domain-error';
import { OrgScopeService } from '../orgs/org-scope.service';
import { Prisma, Role, SpotCheckRound } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { TaskFlowService } from '../tasks/task-flow.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { closeRoundSignal, spotCheckRoundWorkflowId } from '../../../../workflows/spot-check/spot-check.definitions';
import type { spotCheckRoundWorkflow } from '../../../../workflows/spot-check/spot-check.workflow';
import { ChecklistItem, parseChecklist } from './checklist';
import { CreateRoundDto } from './dto/spot-check.dto';
import { assignInspectors, draw, OrgNode, parseRule, SampleUnit, SamplingInput, SamplingRule } from './sampling';

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/** Who may look at rounds: the committee's staff and secretary, inspectors, administrators (within their subtree; unannounced rounds see committeeCanSee). */
export const ROUND_VIEWERS: Role[] = [Role.COMMITTEE_STAFF, Role.COMMITTEE_SECRETARY, Role.INSPECTOR, Role.ADMIN];
export const MODE_LABELS = { ANNOUNCED: '明查', UNANNOUNCED: '暗访' } as const;
export const STATUS_LABELS = { PLANNED: '待抽取', DRAWN: '检查中', CLOSED: '已结束' } as const;

export interface RoundView {
  round: SpotCheckRound;
  checklist: ChecklistItem[];
  /** A branch sees only its own units; the committee sees all. */
  branchOrgId: string | null;
}

/**
 * Spot-check rounds (lifecycle 3): a round is defined, its sample drawn with a stored seed (reproducible by
 * `npm run cli -- sample`), inspectors assigned (never to their own organisation), and a workflow carries the
 * window. Unannounced rounds (暗访) stay invisible to the checked branches until a finding on them exists.
 */
@Injectable()
export class SpotChecksService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly scope: OrgScopeService,
    private readonly temporal: TemporalClientService,
    private readonly tasks: TaskFlowService,
  ) {}

  /** The round as this actor may see it, or 404. */
  async view(actor: Actor, id: string): Promise<RoundView> {
    const round = await this.prisma.spotCheckRound.findUnique({ where: { id } });
    if (!round) throw DomainError.notFound('抽查轮次');
    const checklist = round.checklist as unknown as ChecklistItem[];
    if (ROUND_VIEWERS.includes(actor.role) && this.committeeCanSee(actor, round) && (await this.scope.canSee(actor, round.orgId)))
      return { round, checklist, branchOrgId: null };
    if (BRANCH_ROLES.includes(actor.role) && (await this.branchCanSee(round, actor.orgId))) return { round, checklist, branchOrgId: actor.orgId };
    throw DomainError.notFound('抽查轮次');
  }

  /**
   * On the committee's side an announced round is seen by every round viewer in scope; an unannounced one (暗访) only by
   * the staff who run it (党建办, 书记) and the inspectors named on it — not by other inspectors or the administrator.
   */
  private committeeCanSee(actor: Actor, round: SpotCheckRound): boolean {
    if (round.mode !== 'UNANNOUNCED') return true;
    if (actor.role === Role.COMMITTEE_STAFF || actor.role === Role.COMMITTEE_SECRETARY) return true;
    return actor.role === Role.INSPECTOR && (round.inspectorIds as string[]).includes(actor.personId);
  }

  /** A checked branch sees an announced round once drawn, an unannounced one once a finding on it is recorded. */
  private async branchCanSee(round: SpotCheckRound, orgId: string): Promise<boolean> {
    if (round.status === 'PLANNED') return false;
    if (round.mode === 'ANNOUNCED') return (await this.prisma.spotCheckUnit.count({ where: { roundId: round.id, orgId } })) > 0;
    return (await this.prisma.spotCheckFinding.count({ where: { roundId: round.id, unit: { orgId } } })) > 0;
  }

  async create(actor: Actor, dto: CreateRoundDto): Promise<SpotCheckRound> {
    if (!hasPermission(actor.role, permissions.spotCheckManage)) throw DomainError.forbidden('只有党建办可以建立抽查轮次');
    const errors: FieldError[] = [];
    const checklist = parseChecklist(dto.checklist, errors);
    let rule: SamplingRule | undefined;
    try {
      rule = parseRule(dto.rule);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      errors.push(...(err.fields?.length ? err.fields.map((f) => ({ ...f, field: `rule.${f.field}` })) : [{ field: 'rule', message: err.message }]));
    }
    if (dto.target === 'PERSON' && !dto.targetPost?.trim())
      errors.push({ field: 'targetPost', message: '字段 targetPost（职务）按职务抽人时必须填写，如“驻村工作队员”' });
    const start = new Date(dto.windowStart);
    const end = new Date(dto.windowEnd);
    if (end <= start) errors.push({ field: 'windowEnd', message: '字段 windowEnd（结束时间）必须晚于开始时间' });
    if (!(await this.scope.canSee(actor, dto.scopeOrgId))) errors.push({ field: 'scopeOrgId', message: '字段 scopeOrgId（抽查范围）不在本党委管辖范围内' });
    const inspectors = await this.inspectorCandidates(actor.orgId, dto.inspectorIds);
    const missing = dto.inspectorIds.filter((id) => !inspectors.some((i) => i.personId === id));
    if (missing.length) errors.push({ field: 'inspectorIds', message: `字段 inspectorIds（督查员）中有 ${missing.length} 人不是本党委的督查员` });
    if (errors.length) throw DomainError.validation(errors, '抽查轮次有误，未保存');

    return this.audit.transaction(async (tx) => {
      const round = await tx.spotCheckRound.create({
        data: {
          orgId: actor.orgId,
          scopeOrgId: dto.scopeOrgId,
          title: dto.title.trim(),
          mode: dto.mode,
          target: dto.target,
          targetPost: dto.target === 'PERSON' ? dto.targetPost?.trim() : null,
          checklist: json(checklist),
          rule: json(rule),
          inspectorIds: json([...new Set(dto.inspectorIds)]),
          windowStart: start,
          windowEnd: end,
          rectifyWorkdays: dto.rectifyWorkdays ?? 10,
          createdById: actor.personId,
        },
      });
      await this.audit.record(tx, { actor, action: 'spotcheck.create', entityType: 'spot_check_round', entityId: round.id, data: { title: round.title } });
      return round;
    });
  }

  /** People with an inspector capacity in the committee, with every organisation they belong to (for the own-organisation rule). */
  async inspectorCandidates(committeeId: string, personIds?: string[]) {
    const rows = await this.prisma.membership.findMany({
      where: { orgId: committeeId, role: 'INSPECTOR', active: true, person: { active: true }, ...(personIds ? { personId: { in: personIds } } : {}) },
      select: { personId: true, person: { select: { name: true, memberships: { where: { active: true }, select: { orgId: true } } } } },
      orderBy: { person: { name: 'asc' } },
    });
    return rows.map((m) => ({ personId: m.personId, name: m.person.name, orgIds: [...new Set(m.person.memberships.map((x) => x.orgId))] }));
  }

  /** The draw's exact input: the scope subtree, the eligible units, and those excluded as checked in the last N rounds. */
  private async samplingInput(round: SpotCheckRound, rule: SamplingRule): Promise<SamplingInput> {
    const ids = await this.scope.subtreeIds(round.scopeOrgId);
    const orgRows = await this.prisma.organization.findMany({
      where: { id: { in: ids }, active: true },
      select: { id: true, parentId: true, name: true, kind: true },
      orderBy: { id: 'asc' },
    });
    const orgs: OrgNode[] = orgRows.map((o) => ({ id: o.id, parentId: o.id === round.scopeOrgId ? null : o.parentId, name: o.name, kind: o.kind }));
    let units: SampleUnit[];
    if (round.target === 'BRANCH') {
      units = orgRows.filter((o) => o.kind !== 'COMMITTEE').map((o) => ({ id: o.id, orgId: o.id, label: o.name }));
    } else {
      const holders = await this.prisma.membership.findMany({
        where: { orgId: { in: orgRows.map((o) => o.id) }, post: round.targetPost, active: true, person: { active: true } },
        select: { personId: true, orgId: true, person: { select: { name: true } }, org: { select: { name: true } } },
        orderBy: [{ personId: 'asc' }, { orgId: 'asc' }],
      });
      const seen = new Set<string>();
      units = holders
        .filter((h) => !seen.has(h.personId) && seen.add(h.personId))
        .map((h) => ({ id: h.personId, orgId: h.orgId, label: `${h.person.name}（${h.org.name}）` }));
    }
    let excluded: string[] = [];
    if (rule.excludeRecentRounds) {
      const recent = await this.prisma.spotCheckRound.findMany({
        where: { orgId: round.orgId, target: round.target, targetPost: round.targetPost, status: { not: 'PLANNED' }, id: { not: round.id } },
        orderBy: { drawnAt: 'desc' },
        take: rule.excludeRecentRounds,
        select: { id: true },
      });
      const checked = await this.prisma.spotCheckUnit.findMany({ where: { roundId: { in: recent.map((r) => r.id) } }, select: { unitId: true } });
      const eligible = new Set(units.map((u) => u.id));
      excluded = [...new Set(checked.map((c) => c.unitId))].filter((id) => eligible.has(id)).sort();
    }
    return { scopeId: round.scopeOrgId, orgs, units, excluded };
  }

  /** Draws the sample with a seed (given or random), stores seed and input, assigns inspectors and starts the round's workflow. */
  async draw(actor: Actor, id: string, seedIn?: string) {
    const { round } = await this.view(actor, id);
    if (!hasPermission(actor.role, permissions.spotCheckManage)) throw DomainError.forbidden('只有党建办可以抽取');
    if (round.status !== 'PLANNED') throw DomainError.conflict('本轮已经抽取过，抽取结果不能更改');
    if (round.windowEnd.getTime() <= Date.now()) throw DomainError.conflict('本轮的检查时间已经结束，请新建轮次后再抽取');
    const rule = parseRule(round.rule);
    const seed = seedIn ?? randomBytes(8).toString('hex');
    const input = await this.samplingInput(round, rule);
    const result = draw(rule, input, seed);
    const byId = new Map(input.units.map((u) => [u.id, u]));
    const selected = result.selected.map((uid) => byId.get(uid) as SampleUnit);
    const inspectors = await this.inspectorCandidates(round.orgId, round.inspectorIds as string[]);
    const assignment = assignInspectors(selected, inspectors, seed);
    const inspectorName = new Map(inspectors.map((i) => [i.personId, i.name]));

    await this.audit.transaction(async (tx) => {
      const claimed = await tx.spotCheckRound.updateMany({
        where: { id, status: 'PLANNED' },
        data: { status: 'DRAWN', seed, drawInput: json(input), drawnAt: new Date(), workflowId: spotCheckRoundWorkflowId(id) },
      });
      if (!claimed.count) throw DomainError.conflict('本轮已经抽取过，抽取结果不能更改');
      await tx.spotCheckUnit.createMany({
        data: selected.map((u) => ({ roundId: id, unitId: u.id, orgId: u.orgId, label: u.label ?? u.id, inspectorId: assignment.get(u.id) as string })),
      });
      const rows = await tx.spotCheckUnit.findMany({ where: { roundId: id }, select: { id: true, label: true, inspectorId: true } });
      // Each inspector's work appears in their inbox, one task per unit, due at the end of the window.
      await this.tasks.open(
        tx,
        rows.map((u) => ({
          key: `inspect:${u.id}`,
          kind: 'INSPECTION' as const,
          subject: { type: 'spot_check_unit' as const, id: u.id },
          origin: { type: 'spot_check_round' as const, id },
          orgId: round.orgId,
          assigneeId: u.inspectorId,
          title: `抽查：${u.label}（${round.title}）`,
          dueAt: round.windowEnd,
          workflowId: spotCheckRoundWorkflowId(id),
          data: { roundId: id, unitRowId: u.id },
        })),
      );
      await this.audit.record(tx, {
        actor,
        action: 'spotcheck.draw',
        entityType: 'spot_check_round',
        entityId: id,
        data: { seed, selected: result.selected, excluded: input.excluded ?? [], assignment: Object.fromEntries(assignment) },
      });
    });
    await this.startWorkflow(id);
    return {
      seed,
      selected: selected.map((u) => ({
        id: u.id,
        orgId: u.orgId,
        label: u.label,
        inspectorId: assignment.get(u.id),
        inspector: inspectorName.get(assignment.get(u.id) ?? ''),
      })),
      strata: result.strata,
      excluded: input.excluded ?? [],
    };
  }

  private async startWorkflow(roundId: string): Promise<void> {
    const client = await this.temporal.client();
    try {
      await client.workflow.start<typeof spotCheckRoundWorkflow>('spotCheckRoundWorkflow', {
        taskQueue: this.temporal.taskQueue,
        workflowId: spotCheckRoundWorkflowId(roundId),
        args: [{ roundId }],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  /** What `npm run cli -- sample --rule rule.json --orgs orgs.json --seed <seed>` needs to reproduce the stored draw. */
  async sampleFiles(actor: Actor, id: string) {
    const { round, branchOrgId } = await this.view(actor, id);
    if (branchOrgId) throw DomainError.notFound('抽查轮次');
    if (!round.seed || !round.drawInput) throw DomainError.conflict('本轮尚未抽取');
    const selected = await this.prisma.spotCheckUnit.findMany({ where: { roundId: id }, select: { unitId: true }, orderBy: { unitId: 'asc' } });
    return { seed: round.seed, rule: round.rule, orgs: round.drawInput, selected: selected.map((s) => s.unitId) };
  }

  /** Rounds the actor may see, newest first. */
  async list(actor: Actor) {
    if (BRANCH_ROLES.includes(actor.role)) {
      const rounds = await this.prisma.spotCheckRound.findMany({
        where: {
          status: { not: 'PLANNED' },
          units: { some: { orgId: actor.orgId } },
          OR: [{ mode: 'ANNOUNCED' }, { findings: { some: { unit: { orgId: actor.orgId } } } }],
        },
        orderBy: { createdAt: 'desc' },
        take: 200,
      });
      return rounds.map((r) => this.summary(r));
    }
    if (!ROUND_VIEWERS.includes(actor.role)) return [];
    const orgIds = await this.scope.subtreeIds(actor.orgId);
    const rounds = await this.prisma.spotCheckRound.findMany({
      where: { orgId: { in: orgIds }, ...this.committeeListFilter(actor) },
      orderBy: { createdAt: 'desc' },
      take: 200,
    });
    return rounds.map((r) => this.summary(r));
  }

  /** The list's form of committeeCanSee: unannounced rounds only for their staff and their named inspectors. */
  private committeeListFilter(actor: Actor): Prisma.SpotCheckRoundWhereInput {
    if (actor.role === Role.COMMITTEE_STAFF || actor.role === Role.COMMITTEE_SECRETARY) return {};
    if (actor.role === Role.INSPECTOR) return { OR: [{ mode: 'ANNOUNCED' }, { inspectorIds: { array_contains: [actor.personId] } }] };
    return { mode: 'ANNOUNCED' };
  }

  private summary(r: SpotCheckRound) {
    return {
      id: r.id,
      title: r.title,
      mode: r.mode,
      modeLabel: MODE_LABELS[r.mode],
      status: r.status,
      statusLabel: STATUS_LABELS[r.status],
      target: r.target,
      targetPost: r.targetPost,
      windowStart: r.windowStart,
      windowEnd: r.windowEnd,
      drawnAt: r.drawnAt,
    };
  }

  /** The round with its units, findings and rectifications, cut to what the actor may see. */
  async detail(actor: Actor, id: string) {
    const { round, checklist, branchOrgId } = await this.view(actor, id);
    const unitWhere: Prisma.SpotCheckUnitWhereInput = { roundId: id, ...(branchOrgId ? { orgId: branchOrgId } : {}) };
    const units = await this.prisma.spotCheckUnit.findMany({
      where: unitWhere,
      orderBy: { label: 'asc' },
      include: {
        findings: {
          orderBy: { itemKey: 'asc' },
          include: { rectification: { select: { id: true, filingId: true, requirementId: true } } },
        },
      },
    });
    // Unannounced: a branch sees its units only once they have findings.
    const visibleUnits = branchOrgId && round.mode === 'UNANNOUNCED' ? units.filter((u) => u.findings.length) : units;
    const filingIds = visibleUnits.flatMap((u) => u.findings.map((f) => f.rectification?.filingId)).filter((x): x is string => !!x);
    const filings = await this.prisma.filing.findMany({
      where: { id: { in: filingIds } },
      select: { id: true, status: true, deadlineAt: true, overdue: true, submittedAt: true, acceptedAt: true },
    });
    const filingById = new Map(filings.map((f) => [f.id, f]));
    const people = await this.prisma.person.findMany({
      where: { id: { in: [...new Set(units.map((u) => u.inspectorId))] } },
      select: { id: true, name: true },
    });
    const nameOf = new Map(people.map((p) => [p.id, p.name]));
    return {
      ...this.summary(round),
      checklist,
      rectifyWorkdays: round.rectifyWorkdays,
      seed: branchOrgId ? undefined : round.seed,
      rule: branchOrgId ? undefined : round.rule,
      inspectorIds: branchOrgId ? undefined : round.inspectorIds,
      closedAt: round.closedAt,
      units: visibleUnits.map((u) => ({
        id: u.id,
        unitId: u.unitId,
        orgId: u.orgId,
        label: u.label,
        inspectorId: u.inspectorId,
        inspector: nameOf.get(u.inspectorId) ?? '',
        findings: u.findings.map((f) => ({
          id: f.id,
          itemKey: f.itemKey,
          passed: f.passed,
          score: f.score,
          severity: f.severity,
          notes: f.notes,
          photos: f.photos,
          recordedAt: f.recordedAt,
          inspectorId: f.inspectorId,
          rectification: f.rectification ? { ...f.rectification, filing: filingById.get(f.rectification.filingId) ?? null } : null,
        })),
      })),
    };
  }

  async close(actor: Actor, id: string) {
    const { round } = await this.view(actor, id);
    if (!hasPermission(actor.role, permissions.spotCheckManage)) throw DomainError.forbidden('只有党建办可以结束抽查轮次');
    if (round.status !== 'DRAWN') throw DomainError.conflict(round.status === 'CLOSED' ? '本轮已经结束' : '本轮尚未抽取，不能结束');
    await this.audit.transaction(async (tx) => {
      await tx.spotCheckRound.update({ where: { id }, data: { status: 'CLOSED', closedAt: new Date() } });
      await this.tasks.cancel(tx, { where: { originType: 'spot_check_round', originId: id, kind: 'INSPECTION' } });
      await this.audit.record(tx, { actor, action: 'spotcheck.close', entityType: 'spot_check_round', entityId: id });
    });
    const client = await this.temporal.client();
    try {
      await client.workflow.getHandle(spotCheckRoundWorkflowId(id)).signal(closeRoundSignal);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err; // already finished: nothing waits
    }
    return { status: 'CLOSED' as const };
  }
}
