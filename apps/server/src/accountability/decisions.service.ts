import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { hasPermission, permissions } from '../auth/permissions';
import { BRANCH_ROLES } from '../auth/roles';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { DocumentsService, parseModel } from '../documents/documents.service';
import { NotificationsService } from '../notifications/notifications.service';
import { Prisma, type AccountabilityCase } from '../prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';
import { TaskFlowService, type NewTask } from '../tasks/task-flow.service';
import { CASE_SETTINGS, type CaseClock, executionStep, measureProblem, shanghaiText, today } from './case-rules';
import { caseTaskKey, CasesService, type CaseTaskStep } from './cases.service';
import { appealDocument, decisionDocument, documentKind, type Concerned } from './decision-document';
import type { AppealAnswerDto, DecisionDto, MeasureDto } from './dto/accountability.dto';
import { barsFor, influenceUntil, type MeasureKind } from './influence';

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
const measureLabel = (m: { kind: string; detail?: string | null }) => (m.detail ? `${m.kind}（${m.detail}）` : m.kind);

/**
 * 问责 from the committee's decision on: the collective decision (measures, or a lighter one, or none, with grounds),
 * the 问责决定书 (or 通报) issued as a numbered red-header document and served on the person and their organisation,
 * the measures with their influence periods and execution tasks, the appeal and its answer.
 */
@Injectable()
export class DecisionsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly documents: DocumentsService,
    private readonly tasks: TaskFlowService,
    private readonly notifications: NotificationsService,
    private readonly cases: CasesService,
  ) {}

  private assertDecider(actor: Actor) {
    if (!hasPermission(actor.role, permissions.accountabilityDecide)) throw DomainError.forbidden('只有党委书记可以签发问责决定');
  }

  private async concerned(c: AccountabilityCase): Promise<Concerned> {
    const [org, person] = await Promise.all([
      this.prisma.organization.findUniqueOrThrow({ where: { id: c.targetOrgId }, select: { name: true } }),
      c.targetPersonId ? this.prisma.person.findUniqueOrThrow({ where: { id: c.targetPersonId }, select: { name: true } }) : null,
    ]);
    return { orgName: org.name, personName: person?.name ?? null, post: c.targetPost };
  }

  private checkMeasures(c: AccountabilityCase, measures: MeasureDto[] | undefined, field = 'measures'): FieldError[] {
    if (!measures?.length) return [{ field, message: '请选择问责方式' }];
    const problems: FieldError[] = [];
    for (const m of measures) {
      const p = measureProblem(m.kind, m.detail, !!c.targetPersonId);
      if (p) problems.push({ field, message: p });
    }
    if (new Set(measures.map((m) => m.kind)).size !== measures.length) problems.push({ field, message: '同一种问责方式只能选一次' });
    return problems;
  }

  /**
   * The measures in force from `effectiveOn`, each with its bars (what and until when) and its execution task: the
   * organisation concerned files what it must (书面检查, 整改报告), the case officer carries out the rest.
   */
  private async writeMeasures(tx: Tx, c: AccountabilityCase, measures: MeasureDto[], effectiveOn: string, basis: string, actor: Actor, clock: CaseClock) {
    const ids: string[] = [];
    const tasks: NewTask[] = [];
    for (const m of measures) {
      const bars = barsFor(m.kind, effectiveOn);
      const row = await tx.accountabilityMeasure.create({
        data: {
          orgId: c.targetOrgId,
          personId: c.targetPersonId,
          kind: m.kind,
          detail: m.detail ?? null,
          effectiveOn,
          influenceUntil: influenceUntil(bars),
          bars: json(bars),
          basis,
          caseId: c.id,
          createdById: actor.personId,
        },
      });
      ids.push(row.id);
      await this.audit.record(tx, {
        actor,
        action: 'accountability.measure.record',
        entityType: 'accountability_measure',
        entityId: row.id,
        data: { personId: c.targetPersonId ?? '', orgId: c.targetOrgId, kind: m.kind, effectiveOn },
      });
      const step = executionStep(m.kind as MeasureKind, m.detail ?? null, !!c.targetPersonId);
      const dueAt = clock.after(new Date(), step.due);
      tasks.push({
        key: caseTaskKey.execution(row.id),
        kind: 'ACCOUNTABILITY',
        subject: { type: 'accountability_measure', id: row.id },
        origin: { type: 'accountability_case', id: c.id },
        orgId: step.by === 'TARGET' ? c.targetOrgId : c.orgId,
        assigneeId: step.by === 'TARGET' ? null : c.createdById,
        title: `问责执行：${step.what}（${c.title}）`,
        dueAt,
        workflowId: c.workflowId,
        data: {
          caseId: c.id,
          step: 'EXECUTION' satisfies CaseTaskStep,
          measureId: row.id,
          by: step.by,
          what: step.what,
          personId: step.by === 'TARGET' ? c.targetPersonId : null,
        },
      });
    }
    await this.tasks.open(tx, tasks);
    await this.notifications.notify(
      tx,
      tasks.map((t) => ({
        kind: 'ACC_TASK' as const,
        key: `acc-todo:${t.key}`,
        to: { orgId: t.orgId, personId: t.assigneeId ?? null },
        subject: { type: 'accountability_case' as const, id: c.id },
        facts: { title: c.title, what: String(t.data?.what ?? ''), deadline: shanghaiText(t.dueAt as Date) },
      })),
    );
    return ids;
  }

  /** 集体决定 at a committee meeting, signed by the party secretary. */
  async decide(actor: Actor, id: string, dto: DecisionDto) {
    this.assertDecider(actor);
    const c = await this.cases.forCommittee(actor, id);
    this.cases.assertStep(c, ['DELIBERATING'], '作出决定');
    const problems: FieldError[] = [];
    const grounds = dto.grounds?.trim() ?? '';
    if (dto.outcome === 'NONE') {
      if (!grounds) problems.push({ field: 'grounds', message: '不予问责须写明理由' });
      if (dto.measures?.length) problems.push({ field: 'measures', message: '不予问责时不能选择问责方式' });
    } else {
      problems.push(...this.checkMeasures(c, dto.measures));
      if (dto.outcome === 'LIGHTER' && !grounds) problems.push({ field: 'grounds', message: '从轻或减轻问责须写明理由' });
      if (!dto.facts?.trim()) problems.push({ field: 'facts', message: '请填写写入决定书的基本事实' });
      if (!dto.basis?.trim()) problems.push({ field: 'basis', message: '请填写问责依据' });
    }
    if (problems.length) throw DomainError.validation(problems, '问责决定有误');
    const decision = {
      meeting: dto.meeting,
      outcome: dto.outcome,
      grounds: grounds || null,
      facts: dto.facts?.trim() ?? null,
      basis: dto.basis?.trim() ?? null,
    };
    const now = new Date();

    if (dto.outcome === 'NONE') {
      await this.audit.transaction(async (tx) => {
        await this.cases.move(
          tx,
          c,
          ['DELIBERATING'],
          {
            status: 'CLOSED',
            outcome: 'NONE',
            decision: json(decision),
            decidedAt: now,
            decidedById: actor.personId,
            closedAt: now,
            closeReason: `不予问责：${grounds}`,
          },
          '作出决定',
        );
        await this.audit.record(tx, {
          actor,
          action: 'accountability.decide',
          entityType: 'accountability_case',
          entityId: id,
          data: { outcome: 'NONE', measures: [], meeting: dto.meeting.name },
        });
      });
      await this.cases.signal(id);
      return { id, status: 'CLOSED', outcome: 'NONE' };
    }

    const measures = dto.measures as MeasureDto[];
    const effectiveOn = dto.effectiveOn ?? today();
    const committee = await this.prisma.organization.findUniqueOrThrow({ where: { id: c.orgId }, select: { name: true } });
    const concerned = await this.concerned(c);
    const model = parseModel(
      decisionDocument({
        committee: committee.name,
        concerned,
        facts: decision.facts as string,
        basis: decision.basis as string,
        measures: measures.map(measureLabel),
        meeting: dto.meeting,
        lighterGrounds: dto.outcome === 'LIGHTER' ? grounds : null,
        defence: c.defenceAt ? 'GIVEN' : 'NONE',
        effectiveOn,
        appealBody: dto.appealBody?.trim() || committee.name,
        date: today(),
      }),
    );
    const clock = await this.cases.clock(id);
    const serviceDue = clock.after(now, { workdays: CASE_SETTINGS.serviceWorkdays });
    const done = await this.audit.transaction(
      async (tx) => {
        await this.cases.move(
          tx,
          c,
          ['DELIBERATING'],
          {
            status: 'EXECUTING',
            outcome: dto.outcome,
            decision: json({ ...decision, appealBody: dto.appealBody?.trim() || committee.name }),
            decidedAt: now,
            decidedById: actor.personId,
            effectiveOn,
          },
          '作出决定',
        );
        const doc = await this.documents.createIn(tx, actor, model);
        const signed = await this.documents.signIn(tx, actor, doc.id);
        await tx.accountabilityCase.update({ where: { id }, data: { documentId: doc.id } });
        const measureIds = await this.writeMeasures(tx, c, measures, effectiveOn, `${decision.basis}（${signed.docNumber}）`, actor, clock);
        await this.openService(tx, c, signed.docNumber as string, serviceDue, concerned);
        await this.audit.record(tx, {
          actor,
          action: 'accountability.decide',
          entityType: 'accountability_case',
          entityId: id,
          data: {
            outcome: dto.outcome,
            measures: measures.map((m) => ({ kind: m.kind, detail: m.detail, personId: c.targetPersonId ?? undefined, orgId: c.targetOrgId })),
            meeting: dto.meeting.name,
            effectiveOn,
            documentId: doc.id,
            docNumber: signed.docNumber ?? '',
          },
        });
        return { documentId: doc.id, docNumber: signed.docNumber, measureIds };
      },
      { timeout: 60_000 },
    );
    // After the commit: the PDF rendered once and archived; the workflow follows service, appeal and execution.
    await this.documents.issuePdf(actor, done.documentId);
    await this.cases.signal(id);
    return { id, status: 'EXECUTING', kind: documentKind(measures.map(measureLabel)), ...done };
  }

  /** 送达: a receipt task for the organisation and, when a person is concerned, one for that person (in their branch's inbox). */
  private async openService(tx: Tx, c: AccountabilityCase, docNumber: string, dueAt: Date, who: Concerned) {
    const recipients: ('ORG' | 'PERSON')[] = c.targetPersonId ? ['PERSON', 'ORG'] : ['ORG'];
    const rows = recipients.map((r) => ({ id: randomUUID(), recipient: r }));
    await this.tasks.open(
      tx,
      rows.map((r) => ({
        id: r.id,
        key: caseTaskKey.service(c.id, r.recipient),
        kind: 'ACCOUNTABILITY' as const,
        subject: { type: 'accountability_case' as const, id: c.id },
        origin: { type: 'accountability_case' as const, id: c.id },
        orgId: c.targetOrgId,
        title: r.recipient === 'PERSON' ? `问责决定书签收（${who.personName}本人）：${docNumber}` : `问责决定书签收（${who.orgName}）：${docNumber}`,
        dueAt,
        workflowId: c.workflowId,
        data: {
          caseId: c.id,
          step: 'SERVICE' satisfies CaseTaskStep,
          recipient: r.recipient,
          personId: r.recipient === 'PERSON' ? c.targetPersonId : null,
          docNumber,
        },
      })),
    );
    await this.notifications.notify(
      tx,
      rows.map((r) => ({
        kind: 'ACC_SERVED' as const,
        key: `acc-served:${r.id}`,
        to: { orgId: c.targetOrgId },
        taskId: r.id,
        subject: { type: 'accountability_case' as const, id: c.id },
        facts: { title: c.title, docNumber },
      })),
    );
  }

  /** The task of the branch's side, checked: its organisation, and the person when the task is theirs. */
  private async concernedTask(actor: Actor, taskId: string, steps: CaseTaskStep[]) {
    const task = await this.prisma.task.findUnique({ where: { id: taskId } });
    const data = (task?.data ?? {}) as { caseId?: string; step?: CaseTaskStep; personId?: string | null; recipient?: 'PERSON' | 'ORG' };
    if (
      !task ||
      task.kind !== 'ACCOUNTABILITY' ||
      !steps.includes(data.step as CaseTaskStep) ||
      task.orgId !== actor.orgId ||
      task.assigneeId ||
      !BRANCH_ROLES.includes(actor.role)
    )
      throw DomainError.notFound('问责待办');
    if (data.personId && data.personId !== actor.personId) throw DomainError.forbidden('这项待办须由被问责人本人办理');
    const c = await this.prisma.accountabilityCase.findUniqueOrThrow({ where: { id: data.caseId as string } });
    return { task, data, c };
  }

  /** 签收 of the decision. The person's receipt (the organisation's, when no person is concerned) starts the appeal window. */
  async acknowledge(actor: Actor, taskId: string) {
    const { task, data, c } = await this.concernedTask(actor, taskId, ['SERVICE']);
    if (task.status !== 'OPEN') throw DomainError.conflict(task.status === 'DONE' ? '已经签收过了' : '该问责决定已无需签收');
    if (c.status === 'DISMISSED') throw DomainError.conflict('该问责案件已撤案，不能再办理');
    const starts = data.recipient === 'PERSON' || !c.targetPersonId;
    const now = new Date();
    const appealUntil = starts ? (await this.cases.clock(c.id)).after(now, { months: CASE_SETTINGS.appealMonths }) : undefined;
    await this.audit.transaction(async (tx) => {
      if (!(await this.tasks.complete(tx, { ids: [taskId] }, actor.personId))) throw DomainError.conflict('已经签收过了');
      if (starts) await tx.accountabilityCase.updateMany({ where: { id: c.id, servedAt: null }, data: { servedAt: now, appealUntil } });
      await this.audit.record(tx, {
        actor,
        action: 'accountability.serve.acknowledge',
        entityType: 'accountability_case',
        entityId: c.id,
        data: { taskId, recipient: data.recipient ?? 'ORG', appealUntil: appealUntil?.toISOString() },
      });
    });
    await this.cases.signal(c.id);
    return { taskId, acknowledged: true, appealUntil: appealUntil ?? null };
  }

  /** 申诉 by the person concerned (the organisation's branch when no person is), within the window; the decision stays in force. */
  async fileAppeal(actor: Actor, id: string, reason: string) {
    const c = await this.cases.forConcerned(actor, id);
    if (c.targetPersonId && c.targetPersonId !== actor.personId) throw DomainError.forbidden('只有被问责人本人可以提出申诉');
    this.cases.assertStep(c, ['EXECUTING'], '提出申诉');
    if (!c.documentId) throw DomainError.conflict('该案件没有问责决定，无需申诉');
    if (!c.servedAt || !c.appealUntil) throw DomainError.conflict('问责决定尚未签收，签收后一个月内可以申诉');
    const now = new Date();
    if (now > c.appealUntil) throw DomainError.conflict(`申诉期已于${shanghaiText(c.appealUntil)}届满，不能再申诉`);
    const answerDueAt = (await this.cases.clock(id)).after(now, { months: CASE_SETTINGS.answerMonths });
    const appeal = await this.audit.transaction(async (tx) => {
      const existing = await tx.accountabilityAppeal.findUnique({ where: { caseId: id } });
      if (existing) throw DomainError.conflict('已经提出过申诉');
      const a = await tx.accountabilityAppeal.create({ data: { caseId: id, reason: reason.trim(), filedById: actor.personId, filedAt: now, answerDueAt } });
      await this.notifications.notify(tx, [
        {
          kind: 'ACC_APPEAL',
          key: `acc-appeal:${a.id}`,
          to: { orgId: c.orgId, personId: c.createdById },
          subject: { type: 'accountability_case', id: c.id },
          facts: { title: c.title },
        },
      ]);
      await this.audit.record(tx, {
        actor,
        action: 'accountability.appeal.file',
        entityType: 'accountability_case',
        entityId: id,
        data: { appealId: a.id, answerDueAt: answerDueAt.toISOString() },
      });
      return a;
    });
    await this.cases.signal(id);
    return { id: appeal.id, answerDueAt, decisionInForce: true };
  }

  /** The answer: 维持 keeps the record; 变更 replaces the measures and 撤销 revokes them, each with a document. */
  async answerAppeal(actor: Actor, id: string, dto: AppealAnswerDto) {
    this.assertDecider(actor);
    const c = await this.cases.forCommittee(actor, id);
    this.cases.assertStep(c, ['EXECUTING'], '答复申诉');
    const appeal = await this.prisma.accountabilityAppeal.findUnique({ where: { caseId: id } });
    if (!appeal) throw DomainError.conflict('该案件没有待答复的申诉');
    if (appeal.answeredAt) throw DomainError.conflict('申诉已经答复');
    if (dto.outcome === '变更') {
      const problems = this.checkMeasures(c, dto.measures);
      if (problems.length) throw DomainError.validation(problems, '变更后的问责方式有误');
    } else if (dto.measures?.length) throw DomainError.validation([{ field: 'measures', message: `复查结果为“${dto.outcome}”时不能选择新的问责方式` }]);

    const changes = dto.outcome !== '维持';
    const original = c.documentId ? await this.prisma.document.findUnique({ where: { id: c.documentId }, select: { docNumber: true } }) : null;
    const committee = await this.prisma.organization.findUniqueOrThrow({ where: { id: c.orgId }, select: { name: true } });
    const concerned = await this.concerned(c);
    const model = changes
      ? parseModel(
          appealDocument({
            committee: committee.name,
            concerned,
            original: original?.docNumber ? `《${original.docNumber}》` : '原',
            outcome: dto.outcome as '变更' | '撤销',
            answer: dto.answer.trim(),
            measures: (dto.measures ?? []).map(measureLabel),
            date: today(),
          }),
        )
      : null;
    const clock = await this.cases.clock(id);
    const now = new Date();
    const done = await this.audit.transaction(
      async (tx) => {
        const { count } = await tx.accountabilityAppeal.updateMany({
          where: { id: appeal.id, answeredAt: null },
          data: { outcome: dto.outcome, answer: dto.answer.trim(), answeredAt: now, answeredById: actor.personId },
        });
        if (!count) throw DomainError.conflict('申诉已经答复');
        let documentId: string | undefined;
        let docNumber: string | undefined;
        let measureIds: string[] = [];
        if (changes && model) {
          const doc = await this.documents.createIn(tx, actor, model);
          const signed = await this.documents.signIn(tx, actor, doc.id);
          documentId = doc.id;
          docNumber = signed.docNumber ?? undefined;
          await tx.accountabilityAppeal.update({ where: { id: appeal.id }, data: { documentId } });
          const old = await tx.accountabilityMeasure.findMany({ where: { caseId: id, status: 'ACTIVE' }, select: { id: true } });
          const status = dto.outcome === '撤销' ? 'REVOKED' : 'CHANGED';
          await tx.accountabilityMeasure.updateMany({ where: { id: { in: old.map((m) => m.id) } }, data: { status, endedAt: now } });
          for (const m of old)
            await this.audit.record(tx, {
              actor,
              action: 'accountability.measure.change',
              entityType: 'accountability_measure',
              entityId: m.id,
              data: { caseId: id, status },
            });
          // What the old measures asked is no longer to be done.
          await this.tasks.cancel(tx, { keys: old.map((m) => caseTaskKey.execution(m.id)) }, `申诉复查${dto.outcome}原问责决定`);
          if (dto.outcome === '变更')
            measureIds = await this.writeMeasures(tx, c, dto.measures as MeasureDto[], today(), `申诉复查决定（${docNumber}）`, actor, clock);
        }
        await this.notifications.notify(tx, [
          {
            kind: 'ACC_APPEAL',
            key: `acc-appeal-answer:${appeal.id}`,
            to: { orgId: c.targetOrgId },
            subject: { type: 'accountability_case', id: c.id },
            facts: { title: c.title, outcome: dto.outcome },
          },
        ]);
        await this.audit.record(tx, {
          actor,
          action: 'accountability.appeal.answer',
          entityType: 'accountability_case',
          entityId: id,
          data: { appealId: appeal.id, outcome: dto.outcome, documentId, docNumber, measures: measureIds },
        });
        return { documentId, docNumber, measureIds };
      },
      { timeout: 60_000 },
    );
    if (done.documentId) await this.documents.issuePdf(actor, done.documentId);
    await this.cases.signal(id);
    return { id: appeal.id, outcome: dto.outcome, ...done };
  }

  /** A follow-up done: the organisation's (书面检查, 整改报告, a talk's commitment) or the case officer's (组织调整 carried out). */
  async completeTask(actor: Actor, taskId: string, note: string, side: 'CONCERNED' | 'COMMITTEE') {
    let task;
    let c: AccountabilityCase;
    if (side === 'CONCERNED') ({ task, c } = await this.concernedTask(actor, taskId, ['EXECUTION', 'TALK']));
    else {
      if (!hasPermission(actor.role, permissions.accountabilityManage)) throw DomainError.forbidden('只有党建办可以办理问责执行事项');
      task = await this.prisma.task.findUnique({ where: { id: taskId } });
      const data = (task?.data ?? {}) as { caseId?: string; step?: string };
      if (!task || task.kind !== 'ACCOUNTABILITY' || data.step !== 'EXECUTION' || task.orgId !== actor.orgId) throw DomainError.notFound('问责待办');
      c = await this.cases.forCommittee(actor, data.caseId as string);
    }
    this.cases.assertStep(c, ['OPEN', 'INVESTIGATING', 'DEFENCE', 'DELIBERATING', 'EXECUTING'], '办理执行事项');
    if (task.status !== 'OPEN') throw DomainError.conflict(task.status === 'DONE' ? '该事项已经办结' : '该事项已取消，无需办理');
    const data = task.data as Record<string, unknown>;
    await this.audit.transaction(async (tx) => {
      if (!(await this.tasks.complete(tx, { ids: [taskId] }, actor.personId))) throw DomainError.conflict('该事项已经办结');
      await tx.task.update({ where: { id: taskId }, data: { data: json({ ...data, note: note.trim() }) } });
      await this.audit.record(tx, {
        actor,
        action: 'accountability.execution.done',
        entityType: 'accountability_case',
        entityId: c.id,
        data: { taskId, measureId: (data.measureId as string | undefined) ?? undefined, note: note.trim() },
      });
    });
    await this.cases.signal(c.id);
    return { taskId, done: true };
  }
}
