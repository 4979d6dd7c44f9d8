import { Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { AccountabilityService } from '../accountability/accountability.service';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { hasPermission, permissions } from '../auth/permissions';
import { CalendarService } from '../calendar/calendar.service';
import { shanghaiDateTime } from '../calendar/working-calendar';
import { DomainError } from '../common/errors/domain-error';
import { DocumentsService, parseModel } from '../documents/documents.service';
import { filingKey } from '../filings/filing-flow.service';
import { REMEDY_PLAN } from '../filings/forms';
import { NotificationsService } from '../notifications/notifications.service';
import { Prisma } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { TaskFlowService } from '../tasks/task-flow.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { filingWorkflowId } from '../../../../workflows/filing/filing.definitions';
import type { filingWorkflow } from '../../../../workflows/filing/filing.workflow';
import { GRADE_LABELS, type SubjectResult } from './formula/formula';
import type { FrozenResults } from './review-results';
import { ReviewsService, type RoundRow } from './reviews.service';

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/** Working days a secretary graded 一般 or 差 has for the 整改方案. */
const REMEDY_WORKDAYS = 10;
const LOW: readonly string[] = ['AVERAGE', 'POOR'];

/** The 通报 of a round's results, as a document model (a ranked table, the grades, what follows for weak results). */
export function resultsNotice(round: RoundRow, frozen: FrozenResults, organ: { name: string }, today: string): unknown {
  const ranked = frozen.results;
  const count = (g: string) => ranked.filter((r) => r.grade === g).length;
  const low = ranked.filter((r) => r.grade && LOW.includes(r.grade));
  const row = (r: SubjectResult) => [
    r.rank === null ? '—' : String(r.rank),
    r.orgName ?? '',
    r.name,
    r.total === null ? '无有效票' : r.total.toFixed(2),
    r.grade ? GRADE_LABELS[r.grade] : '—',
  ];
  const body: unknown[] = [
    {
      type: 'paragraph',
      text: `按照年度工作安排，乡党委组织开展了${round.year}年度村（社区）党组织书记抓基层党建工作述职评议考核。经书记述职、${round.groups.map((g) => g.name).join('、')}评议，结合日常考核，按${frozen.label}计算，现将考核结果通报如下。`,
    },
    { type: 'heading', level: 1, text: '考核结果' },
    {
      type: 'paragraph',
      text: `本次共考核${ranked.length}名书记，评定为“好”等次${count('GOOD')}名、“较好”等次${count('FAIRLY_GOOD')}名、“一般”等次${count('AVERAGE')}名、“差”等次${count('POOR')}名。`,
    },
    { type: 'table', caption: '述职评议考核结果', header: ['名次', '单位', '姓名', '得分', '等次'], rows: ranked.map(row) },
    { type: 'heading', level: 1, text: '有关要求' },
    {
      type: 'paragraph',
      text: low.length
        ? `评定为“一般”“差”等次的${low.map((r) => r.name).join('、')}，要认真查找问题根源，在${REMEDY_WORKDAYS}个工作日内制定整改方案和整改责任清单报乡党委，乡党委将跟踪督促整改落实。`
        : '各党组织书记要对照评议中指出的问题，认真抓好整改落实。',
    },
    { type: 'paragraph', text: '各村（社区）党组织要以此次考核为契机，进一步压实抓党建工作责任，推动基层党建工作全面进步、全面过硬。' },
  ];
  return {
    kind: '通报',
    issuers: [{ name: organ.name, markName: organ.name }],
    title: `关于${round.year}年度村（社区）党组织书记抓基层党建工作述职评议考核结果的通报`,
    addressee: '各村（社区）党组织：',
    body,
    signingOrgans: [organ.name],
    date: today,
  };
}

/**
 * 通报: the committee's secretary publishes a closed round's results as a numbered red-header document (drafted from
 * the frozen results, signed and numbered in one transaction, rendered and archived after). Each secretary graded
 * 一般 or 差 gets an accountability proposal with the evidence and a 整改方案 to file, tracked like a rectification.
 */
@Injectable()
export class ReviewPublishService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
    private readonly documents: DocumentsService,
    private readonly accountability: AccountabilityService,
    private readonly notifications: NotificationsService,
    private readonly tasks: TaskFlowService,
    private readonly temporal: TemporalClientService,
    private readonly reviews: ReviewsService,
  ) {}

  async publish(actor: Actor, id: string) {
    const round = await this.reviews.round(actor, id);
    if (!hasPermission(actor.role, permissions.reviewPublish)) throw DomainError.forbidden('只有党委书记可以签发评议结果通报');
    if (round.status === 'PUBLISHED') throw DomainError.conflict('评议结果已经通报');
    if (round.status !== 'CLOSED') throw DomainError.conflict('评分尚未结束，不能通报结果');
    const frozen = round.results as unknown as FrozenResults;
    const organ = await this.prisma.organization.findUniqueOrThrow({ where: { id: round.orgId }, select: { name: true } });
    const today = DateTime.now().setZone('Asia/Shanghai').toISODate() as string;
    const model = parseModel(resultsNotice(round, frozen, organ, today));
    const remedyDue = (await this.calendar.calendar()).deadlineAfter(new Date(), REMEDY_WORKDAYS, '17:30');
    const subjects = await this.prisma.reviewSubject.findMany({ where: { roundId: id } });
    const low = frozen.results.filter((r) => r.grade && LOW.includes(r.grade));

    const done = await this.audit.transaction(
      async (tx) => {
        const [locked] = await tx.$queryRaw<{ status: string }[]>`SELECT status::text AS status FROM review_round WHERE id = ${id}::uuid FOR UPDATE`;
        if (locked.status !== 'CLOSED') throw DomainError.conflict('评议结果已经通报');
        const doc = await this.documents.createIn(tx, actor, model);
        const signed = await this.documents.signIn(tx, actor, doc.id);
        await tx.reviewRound.update({ where: { id }, data: { status: 'PUBLISHED', documentId: doc.id, publishedAt: new Date() } });

        let requirementId: string | null = null;
        const remedies: { filingId: string; orgId: string }[] = [];
        if (low.length) {
          const requirement = await tx.requirement.create({
            data: {
              directiveId: null,
              orgId: round.orgId,
              reviewerRole: 'COMMITTEE_STAFF',
              title: `${round.title}：整改方案`,
              form: json(REMEDY_PLAN),
              deadlineKind: 'FIXED',
              deadlineAt: remedyDue,
            },
          });
          requirementId = requirement.id;
        }
        for (const r of low) {
          const subject = subjects.find((s) => s.id === r.subjectId);
          if (!subject || !requirementId) continue;
          const grade = GRADE_LABELS[r.grade as keyof typeof GRADE_LABELS];
          await this.accountability.propose(tx, {
            key: `review:${id}:${subject.id}`,
            trigger: 'LOW_GRADE',
            target: { orgId: subject.orgId, personId: subject.personId },
            source: { type: 'review_subject', id: subject.id },
            evidence: {
              round: round.title,
              year: round.year,
              grade,
              total: r.total,
              rank: r.rank,
              groups: r.groups.map((g) => ({ name: g.name, mean: g.shown ? g.mean : null, valid: g.valid })),
              daily: r.daily,
              formula: frozen.label,
              notice: signed.docNumber,
            },
          });
          const filing = await tx.filing.create({
            data: {
              requirementId,
              orgId: subject.orgId,
              taskId: randomUUID(),
              deadlineAt: remedyDue,
              draft: json({ problem: `${round.title}中评定为“${grade}”等次（得分 ${r.total?.toFixed(2) ?? '—'}，第 ${r.rank ?? '—'} 名）。` }),
            },
          });
          await tx.reviewSubject.update({ where: { id: subject.id }, data: { remedyFilingId: filing.id } });
          const key = filingKey(requirementId, subject.orgId);
          await this.tasks.open(tx, [
            {
              id: filing.taskId,
              key,
              kind: 'FILING',
              subject: { type: 'filing', id: filing.id },
              origin: { type: 'review_round', id },
              orgId: subject.orgId,
              title: `整改方案：${round.title}`,
              dueAt: remedyDue,
              workflowId: filingWorkflowId(key),
              data: { requirementId, roundId: id },
            },
          ]);
          await this.notifications.notify(tx, [
            {
              kind: 'REMEDY_ASKED',
              key: `review-remedy:${id}:${subject.id}`,
              to: { orgId: subject.orgId },
              taskId: filing.taskId,
              facts: { title: round.title, grade, deadline: shanghaiDateTime(remedyDue) },
            },
          ]);
          remedies.push({ filingId: filing.id, orgId: subject.orgId });
        }
        await this.audit.record(tx, {
          actor,
          action: 'review.round.publish',
          entityType: 'review_round',
          entityId: id,
          data: { documentId: doc.id, docNumber: signed.docNumber ?? '', low: low.map((r) => r.subjectId) },
        });
        return { documentId: doc.id, docNumber: signed.docNumber, requirementId, remedies };
      },
      { timeout: 60_000 },
    );

    // After the commit: the PDF rendered once and archived; the 整改方案 filings' workflows.
    await this.documents.issuePdf(actor, done.documentId);
    const client = await this.temporal.client();
    for (const r of done.remedies) {
      try {
        await client.workflow.start<typeof filingWorkflow>('filingWorkflow', {
          taskQueue: this.temporal.taskQueue,
          workflowId: filingWorkflowId(filingKey(done.requirementId as string, r.orgId)),
          args: [{ filingId: r.filingId }],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    }
    return { documentId: done.documentId, docNumber: done.docNumber, remedies: done.remedies.length };
  }
}
