import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Actor } from '../audit/actor';
import { canonicalJson } from '../audit/audit-hash';
import { AuditService } from '../audit/audit.service';
import { hasPermission, permissions } from '../auth/permissions';
import { BRANCH_ROLES, COMMITTEE_ROLES } from '../auth/roles';
import { outageError } from '../common/errors/domain-error.filter';
import { DomainError, FieldError } from '../common/errors/domain-error';
import { DocumentsService, parseModel, withOrganKind } from '../documents/documents.service';
import { DocumentModel } from '../documents/model';
import { OrgScopeService } from '../orgs/org-scope.service';
import { Directive, OrgKind, Prisma, Role } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import {
  acknowledgeUpdate,
  decideUpdate,
  directiveWorkflowId,
  resubmitUpdate,
  revokeUpdate,
  withdrawUpdate,
} from '../../../../workflows/directive/directive.definitions';
import type { directiveWorkflow } from '../../../../workflows/directive/directive.workflow';
import { requirementRows, saveRequirements } from '../filings/requirements';
import { ChainConfig, STAGE_LABELS } from './chain';
import { DirectiveFlowService } from './directive-flow.service';
import { DIRECTIVE_STATUS_LABELS } from './directive-status';
import { ChainDto, CreateDirectiveDto, DecideDto, DistributionDto, UpdateDirectiveDto } from './dto/directive.dto';

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/** Top-level fields whose values differ, named for people ("标题", "正文"). */
const FIELD_LABELS: Record<string, string> = {
  title: '标题',
  addressee: '主送机关',
  body: '正文',
  attachments: '附件',
  signingOrgans: '署名',
  date: '成文日期',
  cc: '抄送',
  printing: '印发机关',
  kind: '文种',
  issuers: '发文机关',
  note: '附注',
};
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  // jsonb reorders object keys: compare canonical forms.
  return [...keys].filter((k) => canonicalJson(before[k]) !== canonicalJson(after[k])).map((k) => FIELD_LABELS[k] ?? k);
}

@Injectable()
export class DirectivesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly documents: DocumentsService,
    private readonly scope: OrgScopeService,
    private readonly temporal: TemporalClientService,
    private readonly flow: DirectiveFlowService,
  ) {}

  /** Everyone in the chain must act for this committee; the signer must be its secretary. Unknown branches are refused. */
  private async checkSetup(actor: Actor, chain: ChainDto | undefined, distribution: DistributionDto | undefined): Promise<void> {
    const errors: FieldError[] = [];
    if (chain) {
      const people = [...chain.reviewers, ...(chain.countersigners ?? []), chain.signerId];
      const memberships = await this.prisma.membership.findMany({
        where: { personId: { in: people }, orgId: actor.orgId, active: true, person: { active: true } },
      });
      const roles = (id: string) => memberships.filter((m) => m.personId === id).map((m) => m.role);
      chain.reviewers.forEach((id, i) => {
        if (!roles(id).some((r) => COMMITTEE_ROLES.includes(r)))
          errors.push({ field: `chain.reviewers[${i}]`, message: `字段 chain.reviewers[${i}]（核稿人）不是本党委的在职人员` });
      });
      (chain.countersigners ?? []).forEach((id, i) => {
        if (!roles(id).some((r) => COMMITTEE_ROLES.includes(r)))
          errors.push({ field: `chain.countersigners[${i}]`, message: `字段 chain.countersigners[${i}]（会签人）不是本党委的在职人员` });
      });
      if (!roles(chain.signerId).includes(Role.COMMITTEE_SECRETARY))
        errors.push({ field: 'chain.signerId', message: '字段 chain.signerId（签发人）必须是本党委书记' });
    }
    if (distribution) {
      if (distribution.mode === 'KINDS' && !distribution.kinds?.length)
        errors.push({ field: 'distribution.kinds', message: '字段 distribution.kinds（类别）按类别分发时至少选择一类' });
      if (distribution.mode === 'LIST') {
        if (!distribution.orgIds?.length) errors.push({ field: 'distribution.orgIds', message: '字段 distribution.orgIds（支部）指定分发时至少选择一个支部' });
        const subtree = new Set(await this.scope.subtreeIds(actor.orgId));
        const branches = new Set(
          (
            await this.prisma.organization.findMany({
              where: { id: { in: distribution.orgIds ?? [] }, active: true, kind: { not: OrgKind.COMMITTEE } },
              select: { id: true },
            })
          ).map((o) => o.id),
        );
        (distribution.orgIds ?? []).forEach((id, i) => {
          if (!branches.has(id) || !subtree.has(id))
            errors.push({ field: `distribution.orgIds[${i}]`, message: `字段 distribution.orgIds[${i}] 不是本党委下属的在用支部（${id}）` });
        });
      }
    }
    if (errors.length) throw DomainError.validation(errors);
  }

  /** The chain, the distribution and the requirements checked together, so one answer lists every problem. */
  private async checkAll<T>(actor: Actor, chain: ChainDto | undefined, distribution: DistributionDto | undefined, requirements: () => T): Promise<T> {
    const fields: FieldError[] = [];
    const collect = (err: unknown) => {
      if (err instanceof DomainError && err.fields.length) fields.push(...err.fields);
      else throw err;
    };
    await this.checkSetup(actor, chain, distribution).catch(collect);
    let rows: T | undefined;
    try {
      rows = requirements();
    } catch (err) {
      collect(err);
    }
    if (fields.length) throw DomainError.validation(fields);
    return rows as T;
  }

  private modelFrom(dto: { model?: Record<string, unknown>; text?: string }): DocumentModel {
    if (dto.model && dto.text) throw DomainError.validation([{ field: 'text', message: 'model 与 text 只能填写一个' }]);
    if (dto.text) return parseModel(this.documents.importText(dto.text).model);
    if (!dto.model) throw DomainError.validation([{ field: 'model', message: '字段 model（公文内容）或 text（公文文本）必须填写一个' }]);
    return parseModel(dto.model);
  }

  /**
   * The text as the committee's document will hold it (the lead issuer's 机关性质 from the organisation's setting), so
   * a version's text and its document's are the same, and signing can check one against the other.
   */
  private async asIssued(actor: Actor, model: DocumentModel): Promise<DocumentModel> {
    const org = await this.prisma.organization.findUniqueOrThrow({ where: { id: actor.orgId }, select: { issuerKind: true } });
    return withOrganKind(model, org);
  }

  /**
   * Each attachment file must be in the archive with the size the text claims, uploaded by someone of this committee
   * (so a draft cannot hand the branches a file it was never given).
   */
  private async checkAttachmentFiles(actor: Actor, model: DocumentModel): Promise<void> {
    const refs = (model.attachments ?? []).flatMap((a, i) => (a.file ? [{ i, title: a.title, file: a.file }] : []));
    if (!refs.length) return;
    const hashes = refs.map((r) => r.file.sha256);
    // Named by a saved draft: kept from now on (the cleanup of unattached uploads leaves it), marked before it is read
    // so a file the cleanup removed a moment earlier is reported missing rather than linked.
    await this.prisma.storedFile.updateMany({ where: { sha256: { in: hashes }, attachedAt: null }, data: { attachedAt: new Date() } });
    const [stored, uploads] = await Promise.all([
      this.prisma.storedFile.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true, size: true } }),
      this.prisma.auditLog.findMany({
        where: {
          entityType: 'file',
          action: 'file.upload',
          entityId: { in: hashes },
          OR: [{ actorId: actor.personId }, { capacity: { endsWith: `@${actor.orgId}` } }],
        },
        select: { entityId: true },
      }),
    ]);
    const errors: FieldError[] = refs
      .filter((r) => stored.find((f) => f.sha256 === r.file.sha256)?.size !== r.file.size || !uploads.some((u) => u.entityId === r.file.sha256))
      .map((r) => ({ field: `model.attachments[${r.i}].file`, message: `附件“${r.title}”的文件“${r.file.name}”尚未上传或内容不符，请重新上传` }));
    if (errors.length) throw DomainError.validation(errors, '附件有误，未保存');
  }

  async create(actor: Actor, dto: CreateDirectiveDto): Promise<Directive> {
    const model = await this.asIssued(actor, this.modelFrom(dto));
    await this.checkAttachmentFiles(actor, model);
    const requirements = await this.checkAll(actor, dto.chain, dto.distribution, () => requirementRows(dto.requirements));
    const chain: ChainConfig = {
      reviewers: dto.chain.reviewers,
      countersigners: dto.chain.countersigners ?? [],
      signerId: dto.chain.signerId,
      restartFrom: dto.chain.restartFrom ?? 'START',
    };
    return this.audit.transaction(async (tx) => {
      const doc = await this.documents.createIn(tx, actor, model);
      const directive = await tx.directive.create({
        data: {
          orgId: actor.orgId,
          documentId: doc.id,
          drafterId: actor.personId,
          chain: json(chain),
          distribution: json({ mode: dto.distribution.mode, kinds: dto.distribution.kinds, orgIds: dto.distribution.orgIds }),
          receiptWorkdays: dto.receiptWorkdays,
          reminderWorkingHours: dto.reminderWorkingHours,
        },
      });
      await tx.directiveVersion.create({
        data: { directiveId: directive.id, version: 1, model: json(model), changes: json(['初稿']), changedById: actor.personId },
      });
      await saveRequirements(tx, directive, requirements);
      await this.audit.record(tx, {
        actor,
        action: 'directive.create',
        entityType: 'directive',
        entityId: directive.id,
        data: { title: model.title, chain: json(chain) },
      });
      return directive;
    });
  }

  private async mine(
    actor: Actor,
    id: string,
  ): Promise<Directive & { document: { title: string; model: Prisma.JsonValue; status: string; docNumber: string | null; id: string } }> {
    const d = await this.prisma.directive.findUnique({
      where: { id },
      include: { document: { select: { id: true, title: true, model: true, status: true, docNumber: true } } },
    });
    if (!d || !hasPermission(actor.role, permissions.directiveRead) || !(await this.scope.canSee(actor, d.orgId))) throw DomainError.notFound('发文');
    return d;
  }

  /** A new version of the draft (only while it is a draft or returned, only by its drafter). */
  async update(actor: Actor, id: string, dto: UpdateDirectiveDto): Promise<Directive> {
    const d = await this.mine(actor, id);
    if (d.drafterId !== actor.personId) throw DomainError.forbidden('只有起草人可以修改文稿');
    if (d.status !== 'DRAFT' && d.status !== 'RETURNED')
      throw DomainError.conflict(d.status === 'IN_REVIEW' ? '文稿正在审批中，退回后才能修改' : '该发文已不能修改');
    const model = await this.asIssued(actor, parseModel(dto.model));
    await this.checkAttachmentFiles(actor, model);
    const requirements = await this.checkAll(actor, dto.chain, dto.distribution, () => (dto.requirements ? requirementRows(dto.requirements) : null));
    const changes = changedFields(d.document.model as Record<string, unknown>, json(model) as Record<string, unknown>);
    if (requirements && !(await this.sameRequirements(id, requirements))) changes.push('填报要求');
    return this.audit.transaction(async (tx) => {
      // The row is the lock, and the status is checked again under it: a submission or signing in between wins.
      const [locked] = await tx.$queryRaw<{ status: string; version: number }[]>`SELECT status::text, version FROM directive WHERE id = ${id}::uuid FOR UPDATE`;
      if (locked.status !== 'DRAFT' && locked.status !== 'RETURNED') throw DomainError.conflict('文稿正在审批中，退回后才能修改');
      // Edited from an older version (the draft saved meanwhile in another window): refused, never overwritten unseen.
      if (dto.baseVersion !== undefined && dto.baseVersion !== locked.version) await this.versionConflict(tx, id, locked.version);
      const version = locked.version + 1;
      await this.documents.updateDraftIn(tx, actor, d.documentId, model, { id, version });
      const updated = await tx.directive.update({
        where: { id },
        data: {
          version,
          ...(dto.chain
            ? {
                chain: json({
                  reviewers: dto.chain.reviewers,
                  countersigners: dto.chain.countersigners ?? [],
                  signerId: dto.chain.signerId,
                  restartFrom: dto.chain.restartFrom ?? 'START',
                }),
              }
            : {}),
          ...(dto.distribution ? { distribution: json({ mode: dto.distribution.mode, kinds: dto.distribution.kinds, orgIds: dto.distribution.orgIds }) } : {}),
          receiptWorkdays: dto.receiptWorkdays,
          reminderWorkingHours: dto.reminderWorkingHours,
        },
      });
      if (requirements) await saveRequirements(tx, d, requirements);
      await tx.directiveVersion.create({
        data: { directiveId: id, version, model: json(model), changes: json(changes), changedById: actor.personId },
      });
      await this.audit.record(tx, { actor, action: 'directive.update', entityType: 'directive', entityId: id, data: { version, changes } });
      return updated;
    });
  }

  /** 409 naming the version saved meanwhile, by whom and when, with its text and setup for the page to show beside the person's. */
  private async versionConflict(tx: Prisma.TransactionClient, id: string, version: number): Promise<never> {
    const [v, d] = await Promise.all([
      tx.directiveVersion.findUnique({ where: { directiveId_version: { directiveId: id, version } } }),
      tx.directive.findUniqueOrThrow({ where: { id }, select: { chain: true, distribution: true, receiptWorkdays: true } }),
    ]);
    const by = v ? await tx.person.findUnique({ where: { id: v.changedById }, select: { name: true } }) : null;
    const at = v ? DateTime.fromJSDate(v.changedAt, { zone: 'Asia/Shanghai' }).toFormat('M月d日 HH:mm') : '';
    throw DomainError.conflict(
      `文稿已${by ? `由${by.name}` : ''}${at ? `于 ${at} ` : ''}在另一处保存为第 ${version} 版，与您开始修改时的版本不同。为免互相覆盖，本次修改暂未保存，请选择保留哪一份`,
      {
        version,
        changedAt: v?.changedAt ?? null,
        changedBy: by?.name ?? null,
        model: v?.model ?? null,
        chain: d.chain,
        distribution: d.distribution,
        receiptWorkdays: d.receiptWorkdays,
      },
    );
  }

  /**
   * 提交审批: marks the directive in review, then (after the commit, so the workflow's first activity reads the committed
   * row) starts its workflow. A start that failed (Temporal unreachable) is made by submitting again.
   */
  async submit(actor: Actor, id: string): Promise<Directive> {
    const d = await this.mine(actor, id);
    if (d.drafterId !== actor.personId) throw DomainError.forbidden('只有起草人可以提交审批');
    if (d.status === 'RETURNED') return this.resubmit(actor, id);
    if (d.status === 'IN_REVIEW' && d.round === 1 && !(await this.workflowRunning(id))) {
      await this.startWorkflow(id);
      return d;
    }
    if (d.status !== 'DRAFT') throw DomainError.conflict('该发文已提交');
    const updated = await this.audit.transaction(async (tx) => {
      const { count } = await tx.directive.updateMany({
        where: { id, status: 'DRAFT' },
        data: { status: 'IN_REVIEW', round: 1, submittedAt: new Date(), workflowId: directiveWorkflowId(id) },
      });
      if (!count) throw DomainError.conflict('该发文已提交');
      await this.audit.record(tx, { actor, action: 'directive.submit', entityType: 'directive', entityId: id, data: { version: d.version } });
      return tx.directive.findUniqueOrThrow({ where: { id } });
    });
    await this.startWorkflow(id);
    return updated;
  }

  private async startWorkflow(id: string): Promise<void> {
    const client = await this.temporal.client();
    try {
      await client.workflow.start<typeof directiveWorkflow>('directiveWorkflow', {
        taskQueue: this.temporal.taskQueue,
        workflowId: directiveWorkflowId(id),
        args: [{ directiveId: id }],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  /**
   * Submitted, but its approval workflow never started (Temporal was unreachable when it was submitted): the drafter's
   * page offers 提交审批 again. Asks Temporal only in that state (in review, first round, no step yet); when Temporal
   * still cannot be reached the answer is yes, and submitting says so in place.
   */
  async approvalStartMissing(actor: Actor, d: { id: string; status: string; round: number; drafterId: string; steps: unknown[] }): Promise<boolean> {
    if (d.drafterId !== actor.personId || d.status !== 'IN_REVIEW' || d.round !== 1 || d.steps.length > 0) return false;
    try {
      return !(await this.workflowRunning(d.id));
    } catch (err) {
      if (outageError(err)) return true;
      throw err;
    }
  }

  private async workflowRunning(id: string): Promise<boolean> {
    try {
      await (await this.temporal.client()).workflow.getHandle(directiveWorkflowId(id)).describe();
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  async resubmit(actor: Actor, id: string): Promise<Directive> {
    const d = await this.mine(actor, id);
    const handle = (await this.temporal.client()).workflow.getHandle(directiveWorkflowId(id));
    await this.temporal.update(() =>
      handle.startUpdate(resubmitUpdate, { args: [{ personId: actor.personId, version: d.version }], waitForStage: 'ACCEPTED' }),
    );
    await this.audit.transaction((tx) =>
      this.audit.record(tx, { actor, action: 'directive.resubmit', entityType: 'directive', entityId: id, data: { version: d.version } }),
    );
    return this.prisma.directive.findUniqueOrThrow({ where: { id } });
  }

  async decide(actor: Actor, id: string, dto: DecideDto) {
    const d = await this.mine(actor, id);
    if (!d.workflowId) throw DomainError.conflict('该发文尚未提交审批');
    const handle = (await this.temporal.client()).workflow.getHandle(d.workflowId);
    return this.temporal.update(() =>
      handle.startUpdate(decideUpdate, {
        args: [{ personId: actor.personId, stepId: dto.stepId, decision: dto.decision, comment: dto.comment ?? '', version: dto.version }],
        waitForStage: 'ACCEPTED',
      }),
    );
  }

  async withdraw(actor: Actor, id: string, reason: string) {
    const d = await this.mine(actor, id);
    if (d.status === 'DRAFT') {
      if (d.drafterId !== actor.personId) throw DomainError.forbidden('只有起草人可以撤回');
      return this.audit.transaction(async (tx) => {
        await tx.directive.update({ where: { id }, data: { status: 'WITHDRAWN' } });
        await this.audit.record(tx, { actor, action: 'directive.withdraw', entityType: 'directive', entityId: id, data: { reason } });
        return { withdrawn: true };
      });
    }
    const handle = (await this.temporal.client()).workflow.getHandle(directiveWorkflowId(id));
    return this.temporal.update(() => handle.startUpdate(withdrawUpdate, { args: [{ personId: actor.personId, reason }], waitForStage: 'ACCEPTED' }));
  }

  async revoke(actor: Actor, id: string, reason: string) {
    await this.mine(actor, id);
    const handle = (await this.temporal.client()).workflow.getHandle(directiveWorkflowId(id));
    return this.temporal.update(() => handle.startUpdate(revokeUpdate, { args: [{ personId: actor.personId, reason }], waitForStage: 'ACCEPTED' }));
  }

  async list(actor: Actor, filter: { status?: unknown }) {
    if (!hasPermission(actor.role, permissions.directiveRead)) throw DomainError.forbidden();
    const status = filter.status === undefined || filter.status === '' ? undefined : statusFilter(filter.status);
    const orgIds = await this.scope.visibleOrgIds(actor);
    return this.prisma.directive.findMany({
      where: { orgId: { in: orgIds }, status },
      include: { document: { select: { title: true, docNumber: true } } },
      orderBy: { updatedAt: 'desc' },
      take: 200,
    });
  }

  /**
   * A directive as a branch it was sent to reads it: only once its document is signed and issued, only with a receipt
   * task of this branch for it. The document and the branch's own receipt and filings; never the approval history, the
   * drafts or the other branches' progress.
   */
  private async received(actor: Actor, id: string) {
    const d = await this.prisma.directive.findUnique({
      where: { id },
      include: { document: { select: { id: true, title: true, model: true, status: true, docNumber: true } } },
    });
    const issued = d && ['SIGNED', 'ISSUED', 'REVOKED'].includes(d.status) && d.document.status !== 'DRAFT' && d.document.docNumber;
    const receipt =
      issued && hasPermission(actor.role, permissions.receiptAcknowledge)
        ? await this.prisma.task.findFirst({
            where: { kind: 'RECEIPT', orgId: actor.orgId, originType: 'directive', originId: id },
            select: { id: true, status: true, completedAt: true, dueAt: true },
          })
        : null;
    if (!d || !receipt) throw DomainError.notFound('发文');
    return { d, receipt };
  }

  private async sameRequirements(id: string, rows: ReturnType<typeof requirementRows>): Promise<boolean> {
    const saved = await this.prisma.requirement.findMany({ where: { directiveId: id }, orderBy: { sortOrder: 'asc' }, select: REQUIREMENT_FIELDS });
    return canonicalJson(json(saved)) === canonicalJson(rows.map((r) => pick(json(r) as Record<string, unknown>, Object.keys(REQUIREMENT_FIELDS))));
  }

  /** A draft's requirements with every setting, for its editor (only those who may edit it). */
  async requirementsForEdit(actor: Actor, id: string) {
    await this.mine(actor, id);
    return this.prisma.requirement.findMany({ where: { directiveId: id }, orderBy: { sortOrder: 'asc' }, select: REQUIREMENT_FIELDS });
  }

  /** The directive's 填报 requirements; for a branch, with its own filing of each. */
  private async requirementsOf(actor: Actor, id: string, branch: boolean) {
    const reqs = await this.prisma.requirement.findMany({
      where: { directiveId: id },
      orderBy: { sortOrder: 'asc' },
      select: { id: true, title: true, filings: branch ? { where: { orgId: actor.orgId }, select: { id: true, status: true, deadlineAt: true } } : false },
    });
    return reqs.map((r) => ({ id: r.id, title: r.title, filing: (r as { filings?: { id: string; status: string; deadlineAt: Date }[] }).filings?.[0] }));
  }

  /** The directive with its document, versions, the full comment history and the receipt progress. */
  async detail(actor: Actor, id: string) {
    if (BRANCH_ROLES.includes(actor.role)) {
      const { d, receipt } = await this.received(actor, id);
      const drafter = await this.prisma.person.findUnique({ where: { id: d.drafterId }, select: { name: true } });
      return {
        ...d,
        textHidden: false,
        recipient: true,
        receipt,
        drafterName: drafter?.name ?? '',
        versions: [] as { version: number; changes: Prisma.JsonValue; changedAt: Date; changedById: string; changedByName: string }[],
        steps: [] as (Prisma.ApprovalStepGetPayload<object> & { stageLabel: string; assigneeName: string })[],
        receipts: {
          expected: 0,
          distributed: 0,
          acknowledged: 0,
          open: 0,
          overdue: 0,
          closed: 0,
          missing: [] as { orgId: string; name: string; overdue: boolean }[],
        },
        requirements: await this.requirementsOf(actor, id, true),
      };
    }
    const d = await this.mine(actor, id);
    const [versions, steps, receipts] = await Promise.all([
      this.prisma.directiveVersion.findMany({
        where: { directiveId: id },
        orderBy: { version: 'asc' },
        select: { version: true, changes: true, changedAt: true, changedById: true },
      }),
      this.prisma.approvalStep.findMany({ where: { directiveId: id }, orderBy: [{ round: 'asc' }, { createdAt: 'asc' }, { seq: 'asc' }] }),
      this.receipts(actor, id),
    ]);
    const people = await this.prisma.person.findMany({
      where: { id: { in: [...steps.map((s) => s.assigneeId), ...versions.map((v) => v.changedById), d.drafterId] } },
      select: { id: true, name: true },
    });
    const name = (pid: string) => people.find((p) => p.id === pid)?.name ?? '';
    // Before signing, the text is read by those who may draft here and by the people on its approval chain; the rest of
    // the committee (the evaluator, an inspector, the administrator) sees that it exists and where it stands.
    const chain = d.chain as Partial<{ reviewers: string[]; countersigners: string[]; signerId: string }>;
    const mayReadText =
      d.document.status !== 'DRAFT' ||
      hasPermission(actor.role, permissions.documentDraft) ||
      [...(chain.reviewers ?? []), ...(chain.countersigners ?? []), chain.signerId].includes(actor.personId);
    return {
      ...d,
      document: mayReadText ? d.document : { ...d.document, model: null },
      textHidden: !mayReadText,
      drafterName: name(d.drafterId),
      versions: versions.map((v) => ({ ...v, changedByName: name(v.changedById) })),
      steps: steps.map((s) => ({ ...s, stageLabel: STAGE_LABELS[s.stage], assigneeName: name(s.assigneeId) })),
      receipts,
      recipient: false,
      receipt: null,
      requirements: await this.requirementsOf(actor, id, false),
    };
  }

  /**
   * What the directive page shows that the lifecycle changes (status, number, the approval steps, the reader's own
   * receipt and filings), as a short token: the page polls it (GET /directives/:id/status) and reloads when it moves.
   */
  async liveState(actor: Actor, id: string): Promise<string> {
    let parts: unknown[];
    if (BRANCH_ROLES.includes(actor.role)) {
      const { d, receipt } = await this.received(actor, id);
      const filings = await this.prisma.filing.findMany({
        where: { orgId: actor.orgId, requirement: { directiveId: id } },
        select: { id: true, status: true, deadlineAt: true },
        orderBy: { id: 'asc' },
      });
      parts = [d.status, d.document.status, d.document.docNumber, receipt.status, filings.map((f) => [f.id, f.status, f.deadlineAt.getTime()])];
    } else {
      const d = await this.mine(actor, id);
      const steps = await this.prisma.approvalStep.findMany({
        where: { directiveId: id },
        select: { id: true, status: true },
        orderBy: { id: 'asc' },
      });
      parts = [d.status, d.version, d.round, d.document.status, d.document.docNumber, steps.map((s) => [s.id, s.status])];
    }
    return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
  }

  /** Receipt progress: counts and the branches still missing. */
  async receipts(actor: Actor, id: string) {
    const d = await this.mine(actor, id);
    const receiptsOf: Prisma.TaskWhereInput = { originType: 'directive', originId: id, kind: 'RECEIPT' };
    const grouped = await this.prisma.task.groupBy({ by: ['status', 'overdue'], where: receiptsOf, _count: { _all: true } });
    const count = (f: (g: (typeof grouped)[number]) => boolean) => grouped.filter(f).reduce((n, g) => n + g._count._all, 0);
    const missing = await this.prisma.task.findMany({
      where: { ...receiptsOf, status: 'OPEN' },
      select: { orgId: true, overdue: true, org: { select: { name: true } } },
      orderBy: { org: { sortOrder: 'asc' } },
      take: 2000,
    });
    return {
      expected: d.recipientCount,
      distributed: count(() => true),
      acknowledged: count((g) => g.status === 'DONE'),
      open: count((g) => g.status === 'OPEN'),
      overdue: count((g) => g.status === 'OPEN' && g.overdue),
      closed: count((g) => g.status === 'CANCELLED'),
      missing: missing.map((m) => ({ orgId: m.orgId, name: m.org.name, overdue: m.overdue })),
    };
  }

  /**
   * 签收 by the branch the task was sent to. The task is in the inbox from the moment the distribution is planned;
   * if its workflow has not been started yet, this starts it (update-with-start), so acting early simply works.
   */
  async acknowledge(actor: Actor, taskId: string) {
    const task = await this.prisma.task.findUnique({ where: { id: taskId } });
    if (!task || task.kind !== 'RECEIPT' || task.orgId !== actor.orgId || !hasPermission(actor.role, permissions.receiptAcknowledge))
      throw DomainError.notFound('签收任务');
    if (task.status !== 'OPEN') throw DomainError.conflict(task.status === 'DONE' ? '已经签收过了' : '该发文已废止，无需签收');
    const client = await this.temporal.client();
    const start = new WithStartWorkflowOperation('receiptWorkflow', {
      workflowId: task.workflowId as string,
      taskQueue: this.temporal.taskQueue,
      args: [await this.flow.receiptInput(taskId)],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A task whose workflow already ended is not started again: that answers 409.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return this.temporal.update(() =>
      client.workflow.startUpdateWithStart(acknowledgeUpdate, {
        args: [{ personId: actor.personId }],
        startWorkflowOperation: start,
        waitForStage: 'ACCEPTED',
      }),
    );
  }
}

const REQUIREMENT_FIELDS = {
  title: true,
  form: true,
  deadlineKind: true,
  deadlineAt: true,
  deadlineWorkdays: true,
  deadlineTime: true,
  reminderDays: true,
  reviewerRole: true,
  sortOrder: true,
} as const;
const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k] ?? null]));

/** `?status=` as a status, or a 400 listing the choices (an unknown value would reach the database as a 500). */
function statusFilter(raw: unknown): Directive['status'] {
  if (typeof raw === 'string' && Object.hasOwn(DIRECTIVE_STATUS_LABELS, raw)) return raw as Directive['status'];
  const choices = Object.entries(DIRECTIVE_STATUS_LABELS)
    .map(([value, name]) => `${value}（${name}）`)
    .join('、');
  throw DomainError.validation([{ field: 'status', message: `字段 status（状态）取值无效，可选：${choices}` }]);
}
