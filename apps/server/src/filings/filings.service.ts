import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { hasPermission, permissions } from '../auth/permissions';
import { BRANCH_ROLES, COMMITTEE_ROLES } from '../auth/roles';
import { CalendarService } from '../calendar/calendar.service';
import { shanghaiDay } from '../calendar/working-calendar';
import { DomainError } from '../common/errors/domain-error';
import { OrgScopeService } from '../orgs/org-scope.service';
import { FilingStatus, Prisma } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { ReadPool } from '../prisma/read-pool';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { WithStartWorkflowOperation, type UpdateDefinition } from '@temporalio/client';
import {
  decideExtensionUpdate,
  type FilingInput,
  filingWorkflowId,
  requestExtensionUpdate,
  reviewFilingUpdate,
  submitFilingUpdate,
} from '../../../../workflows/filing/filing.definitions';
import { ExtensionDecisionDto, ExtensionRequestDto, FilingReviewDto } from './dto/filing.dto';
import { filingKey } from './filing-flow.service';
import { FileRef, FilesService } from '../files/files.service';
import { FormDefinition, validateSubmission } from './forms';
import { compareDrafts, keepValidDraft } from './forms/draft-values';
import { DateTime } from 'luxon';
import { ZONE } from '../calendar/working-calendar';

const withRequirement = {
  requirement: { include: { directive: { select: { id: true, orgId: true, status: true, document: { select: { title: true, docNumber: true } } } } } },
} as const;
const COLLATOR = new Intl.Collator('zh');

/** A row of the committee's table. */
interface TableRow {
  filingId: string;
  orgId: string;
  orgName: string;
  sortOrder: number;
  status: FilingStatus;
  deadlineAt: Date;
  submittedAt: Date | null;
  version: number;
  reviewer: string | null;
  overdue: boolean;
}

/** What a save says about the page that sends it: the draft version it opened with, and the page itself. */
export interface DraftBase {
  baseVersion?: number;
  editor?: string;
}

/** The stored draft as a save finds it (under the row lock). */
interface DraftRow {
  status: string;
  draftVersion: number;
  editor: string | null;
  draft: Prisma.JsonValue | null;
  savedAt: Date | null;
  savedById: string | null;
}

type FilingWithRequirement = Prisma.FilingGetPayload<{ include: typeof withRequirement }>;
type DraftKey = 'draft' | 'draftSavedAt' | 'draftSavedById' | 'draftEditor';

/** The filing without the branch's unsubmitted draft (what the committee's capacities get). */
function withoutDraft(f: FilingWithRequirement): Omit<FilingWithRequirement, DraftKey> {
  const { draft: _draft, draftSavedAt: _savedAt, draftSavedById: _savedBy, draftEditor: _editor, ...rest } = f;
  return rest;
}

/** Filings as the branches and the reviewers use them; every change reaches the filing workflow as an Update. */
@Injectable()
export class FilingsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly scope: OrgScopeService,
    private readonly calendar: CalendarService,
    private readonly temporal: TemporalClientService,
    private readonly files: FilesService,
    private readonly reads: ReadPool,
  ) {}

  /** The filing, if the actor is its branch or a committee capacity over it. */
  private async visible(actor: Actor, id: string): Promise<FilingWithRequirement> {
    const f = await this.prisma.filing.findUnique({ where: { id }, include: withRequirement });
    const branch = f && BRANCH_ROLES.includes(actor.role) && f.orgId === actor.orgId;
    const committee = f && COMMITTEE_ROLES.includes(actor.role) && (await this.scope.canSee(actor, f.requirement.orgId));
    if (!f || !(branch || committee)) throw DomainError.notFound('填报');
    return f;
  }

  private async asBranch(actor: Actor, id: string): Promise<FilingWithRequirement> {
    const f = await this.visible(actor, id);
    if (!hasPermission(actor.role, permissions.filingSubmit)) throw DomainError.forbidden('只有本支部可以填报');
    return f;
  }

  private async asReviewer(actor: Actor, id: string): Promise<FilingWithRequirement> {
    const f = await this.visible(actor, id);
    if (!hasPermission(actor.role, permissions.filingReview)) throw DomainError.forbidden('当前身份不是这项填报的审核人');
    if (f.requirement.reviewerId) {
      // A rectification is verified by the inspector who recorded the finding.
      if (actor.personId !== f.requirement.reviewerId || actor.role !== f.requirement.reviewerRole)
        throw DomainError.forbidden('只有记录该问题的督查员可以验收整改');
    } else if (actor.role !== f.requirement.reviewerRole && actor.role !== 'COMMITTEE_SECRETARY') throw DomainError.forbidden('当前身份不是这项填报的审核人');
    // Nobody judges an organisation they belong to, in whichever capacity they act now.
    if (await this.scope.isMember(actor.personId, f.orgId))
      throw DomainError.forbidden(f.requirement.reviewerId ? '不能验收本人所在组织的整改' : '不能审核本人所在组织的填报');
    return f;
  }

  /** True when the actor may decide on this filing (the page shows the buttons only then): asReviewer without the throw. */
  async mayReview(actor: Actor, f: Pick<FilingWithRequirement, 'orgId' | 'requirement'>): Promise<boolean> {
    if (!hasPermission(actor.role, permissions.filingReview)) return false;
    const named = f.requirement.reviewerId
      ? actor.personId === f.requirement.reviewerId && actor.role === f.requirement.reviewerRole
      : actor.role === f.requirement.reviewerRole || actor.role === 'COMMITTEE_SECRETARY';
    return named && !(await this.scope.isMember(actor.personId, f.orgId));
  }

  private handle(f: FilingWithRequirement) {
    return this.temporal.client().then((c) => c.workflow.getHandle(filingWorkflowId(filingKey(f.requirementId, f.orgId))));
  }

  /**
   * A branch's own action (submit, ask for more time) as an update-with-start: the filing is in the inbox from the
   * moment the distribution is planned, and acting before its workflow has been started starts it.
   */
  private async branchUpdate<R, A>(f: FilingWithRequirement, update: UpdateDefinition<R, [A]>, arg: A): Promise<R> {
    const client = await this.temporal.client();
    const start = new WithStartWorkflowOperation('filingWorkflow', {
      workflowId: filingWorkflowId(filingKey(f.requirementId, f.orgId)),
      taskQueue: this.temporal.taskQueue,
      args: [{ filingId: f.id } satisfies FilingInput],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A task whose workflow already ended is not started again: that answers 409.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return this.temporal.update(() => client.workflow.startUpdateWithStart(update, { args: [arg], startWorkflowOperation: start, waitForStage: 'ACCEPTED' }));
  }

  /**
   * The filing with its versions, reviews and extension requests. The unsubmitted draft is the branch's own: the
   * committee (reviewers, the evaluator, anyone else above) sees the submitted versions only.
   */
  async get(actor: Actor, id: string) {
    const visible = await this.visible(actor, id);
    const f: Omit<FilingWithRequirement, DraftKey> & Partial<Pick<FilingWithRequirement, DraftKey>> = BRANCH_ROLES.includes(actor.role)
      ? visible
      : withoutDraft(visible);
    const [versions, reviews, extensions, org] = await Promise.all([
      this.prisma.filingVersion.findMany({ where: { filingId: id }, orderBy: { version: 'asc' } }),
      this.prisma.filingReview.findMany({ where: { filingId: id }, orderBy: { version: 'asc' } }),
      this.prisma.extensionRequest.findMany({ where: { filingId: id }, orderBy: { createdAt: 'asc' } }),
      this.prisma.organization.findUniqueOrThrow({ where: { id: f.orgId }, select: { id: true, name: true } }),
    ]);
    return { ...f, org, versions, reviews, extensions };
  }

  /**
   * What the filing page shows that the lifecycle changes (status, version, deadline, reviews, extension requests) as a
   * short token, polled by the page (GET /filings/:id/status). The draft is not in it: autosave does not move it.
   */
  async liveState(actor: Actor, id: string): Promise<string> {
    const f = await this.visible(actor, id);
    const extensions = await this.prisma.extensionRequest.findMany({ where: { filingId: id }, select: { id: true, status: true }, orderBy: { id: 'asc' } });
    const parts = [f.status, f.version, f.deadlineAt.getTime(), f.overdue, f.acceptedAt?.getTime() ?? null, extensions.map((e) => [e.id, e.status])];
    return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
  }

  /**
   * Autosave. Missing fields are fine and every valid field is kept: a part that is not (a half-typed number) is left out
   * and named in `skipped`, so one bad field never costs the rest — also when the page sends it while being closed, with
   * no second chance to retry. With `baseVersion`, a draft another page (another session of the branch) saved since this
   * page opened is not overwritten: 409 with that draft's values beside these, for the person to choose.
   */
  async saveDraft(actor: Actor, id: string, values: Record<string, unknown>, base: DraftBase = {}) {
    const f = await this.asBranch(actor, id);
    if (f.status !== 'OPEN' && f.status !== 'RETURNED') throw DomainError.conflict(f.status === 'SUBMITTED' ? '已提交，正在审核，不能再修改' : '该填报已结束');
    const form = f.requirement.form as unknown as FormDefinition;
    const r = keepValidDraft(form, values);
    return this.audit.transaction(async (tx) => {
      // The row is the lock: two saves of one draft are checked against the version one after the other.
      const [locked] = await tx.$queryRaw<DraftRow[]>`
        SELECT status::text AS status, draft_version AS "draftVersion", draft_editor AS editor, draft, draft_saved_at AS "savedAt",
               draft_saved_by_id AS "savedById"
        FROM filing WHERE id = ${id}::uuid FOR UPDATE`;
      if (locked.status !== 'OPEN' && locked.status !== 'RETURNED') throw DomainError.conflict('已提交，正在审核，不能再修改');
      await this.checkBase(tx, form, locked, values, base);
      const saved = await tx.filing.update({
        where: { id },
        data: {
          draft: JSON.parse(JSON.stringify(r.values)),
          draftSavedAt: new Date(),
          draftSavedById: actor.personId,
          draftVersion: { increment: 1 },
          draftEditor: base.editor ?? null,
        },
        select: { draftSavedAt: true, draftVersion: true },
      });
      await this.audit.record(tx, {
        actor,
        action: 'filing.draft',
        entityType: 'filing',
        entityId: id,
        data: { draftVersion: saved.draftVersion, skipped: r.skipped.map((x) => x.field) },
      });
      return { ...saved, skipped: r.skipped };
    });
  }

  /**
   * The page's draft moved on elsewhere: refused with the stored draft (and who saved it, when) beside the page's own
   * values, field by field. A save by the same page (its earlier autosave still answering) is not a conflict.
   */
  private async checkBase(tx: Prisma.TransactionClient, form: FormDefinition, stored: DraftRow, values: Record<string, unknown>, base: DraftBase) {
    if (base.baseVersion === undefined || stored.draftVersion === base.baseVersion) return;
    if (base.editor && stored.editor === base.editor) return;
    const by = stored.savedById ? await tx.person.findUnique({ where: { id: stored.savedById }, select: { name: true } }) : null;
    const theirs = (stored.draft ?? {}) as Record<string, unknown>;
    const at = stored.savedAt ? DateTime.fromJSDate(stored.savedAt, { zone: ZONE }).toFormat('M月d日 HH:mm') : '';
    throw DomainError.conflict(
      `这份草稿${by ? `已由${by.name}` : '已'}在另一处${at ? `于 ${at} ` : ''}保存过，与本页打开时不同。为免互相覆盖，本页的修改暂未保存，请选择保留哪一份`,
      {
        draftVersion: stored.draftVersion,
        savedAt: stored.savedAt,
        savedBy: by?.name ?? null,
        values: theirs,
        fields: compareDrafts(form, values, theirs),
      },
    );
  }

  /** Submission: checked against the form first (a 400 listing each field, the draft untouched), then sent to the workflow. */
  async submit(actor: Actor, id: string, values: Record<string, unknown>, base: DraftBase = {}) {
    const f = await this.asBranch(actor, id);
    const form = f.requirement.form as unknown as FormDefinition;
    // A page whose draft another page has changed since it opened does not submit over it unseen.
    const stored = {
      status: f.status,
      draftVersion: f.draftVersion,
      editor: f.draftEditor,
      draft: f.draft,
      savedAt: f.draftSavedAt,
      savedById: f.draftSavedById,
    };
    await this.checkBase(this.prisma, form, stored, values, base);
    const r = validateSubmission(form, values);
    if (!r.ok) throw DomainError.validation(r.errors, '填报内容有误，未提交');
    const refs = form.fields
      .filter((field) => field.type === 'files')
      .flatMap((field) => ((r.values[field.key] as FileRef[] | undefined) ?? []).map((ref, i) => ({ field: `${field.key}[${i}]`, ref, label: field.label })));
    await this.files.assertStored(refs);
    return this.branchUpdate(f, submitFilingUpdate, { personId: actor.personId, values: r.values as Record<string, unknown> });
  }

  async review(actor: Actor, id: string, dto: FilingReviewDto) {
    const f = await this.asReviewer(actor, id);
    const handle = await this.handle(f);
    return this.temporal.update(() =>
      handle.startUpdate(reviewFilingUpdate, {
        args: [{ personId: actor.personId, decision: dto.decision, comment: dto.comment ?? '', newDeadline: dto.newDeadline }],
        waitForStage: 'ACCEPTED',
      }),
    );
  }

  async requestExtension(actor: Actor, id: string, dto: ExtensionRequestDto) {
    const f = await this.asBranch(actor, id);
    return this.branchUpdate(f, requestExtensionUpdate, { personId: actor.personId, until: new Date(dto.until).toISOString(), reason: dto.reason });
  }

  async decideExtension(actor: Actor, id: string, dto: ExtensionDecisionDto) {
    const f = await this.asReviewer(actor, id);
    const handle = await this.handle(f);
    return this.temporal.update(() =>
      handle.startUpdate(decideExtensionUpdate, {
        args: [{ personId: actor.personId, grant: dto.grant, comment: dto.comment ?? '' }],
        waitForStage: 'ACCEPTED',
      }),
    );
  }

  /** The committee's table for one requirement: every branch with status, submission, reviewer and working days overdue. */
  async table(actor: Actor, requirementId: string) {
    const req = await this.prisma.requirement.findUnique({ where: { id: requirementId }, include: { directive: { select: { orgId: true } } } });
    if (!req || !hasPermission(actor.role, permissions.filingTable) || !(await this.scope.canSee(actor, req.orgId))) throw DomainError.notFound('填报要求');
    // One statement for the rows, with only the columns the table shows (drafts and values stay in the database).
    const [filings, cal] = await Promise.all([
      this.reads.rows<TableRow>(Prisma.sql`
        SELECT f.id AS "filingId", f.org_id AS "orgId", o.name AS "orgName", o.sort_order AS "sortOrder", f.status::text AS status,
               f.deadline_at AS "deadlineAt", f.submitted_at AS "submittedAt", f.version, p.name AS reviewer, f.overdue
        FROM filing f
        JOIN organization o ON o.id = f.org_id
        LEFT JOIN person p ON p.id = f.reviewer_id
        WHERE f.requirement_id = ${requirementId}::uuid
        ORDER BY o.sort_order, f.created_at`),
      this.calendar.calendar(),
    ]);
    const now = new Date();
    const today = shanghaiDay(now);
    // Most branches share a deadline: count each deadline's working days once.
    const lateDays = new Map<number, number>();
    const workdaysLate = (deadline: Date) => {
      let days = lateDays.get(deadline.getTime());
      if (days === undefined) lateDays.set(deadline.getTime(), (days = Math.max(cal.workdaysBetween(shanghaiDay(deadline), today), 0)));
      return days;
    };
    // The rows are the query's own objects: completed in place rather than copied (a thousand per request).
    const rows = filings as (TableRow & { overdueWorkdays: number })[];
    for (const f of rows) {
      const late = f.status !== 'ACCEPTED' && f.status !== 'CLOSED' && f.deadlineAt < now;
      f.overdueWorkdays = late ? workdaysLate(f.deadlineAt) : 0;
    }
    rows.sort((a, b) => a.sortOrder - b.sortOrder || COLLATOR.compare(a.orgName, b.orgName));
    const count = (s: string) => rows.filter((r) => r.status === s).length;
    return {
      requirement: { id: req.id, title: req.title, reviewerRole: req.reviewerRole },
      totals: {
        total: rows.length,
        open: count('OPEN'),
        submitted: count('SUBMITTED'),
        returned: count('RETURNED'),
        accepted: count('ACCEPTED'),
        overdue: rows.filter((r) => r.overdue).length,
      },
      rows,
    };
  }
}
