import { Injectable } from '@nestjs/common';
import type { Actor } from '../audit/actor';
import { BRANCH_ROLES } from '../auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { Prisma } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { ReadPool } from '../prisma/read-pool';
import type { LinkTask } from './task-links';

export type InboxTab = 'todo' | 'overdue' | 'done';
export type TaskKindName = 'APPROVAL' | 'RECEIPT' | 'FILING' | 'INSPECTION' | 'BALLOT' | 'ACCOUNTABILITY';

/** A task as the inbox gives it (the API's `items`, and the 待办 page): the task less its internal keys. */
export interface InboxItem {
  id: string;
  kind: TaskKindName;
  orgId: string;
  /** The committee member it is assigned to; null for a branch's task. */
  assigneeId: string | null;
  title: string;
  status: 'OPEN' | 'DONE' | 'CANCELLED';
  dueAt: Date | null;
  overdue: boolean;
  /** Reminders sent so far. */
  remindedCount: number;
  /** What the task acts on (directive, approval_step, filing, spot_check_unit, …) and what it belongs to. */
  subjectType: string;
  subjectId: string;
  originType: string | null;
  originId: string | null;
  /** The directive it belongs to, when it belongs to one. */
  directiveId: string | null;
  data: Prisma.JsonValue;
  createdAt: Date;
  completedAt: Date | null;
  completedById: string | null;
  directive: { id: string; document: { id: string; title: string; docNumber: string | null } } | null;
  /** A 填报 task's filing (GET /api/filings/:id) and where it stands; null for other kinds. */
  filing: { id: string; status: string } | null;
  /** An approval task's directive: who drafted it and when it was submitted; null for other kinds. */
  approval: { drafterName: string | null; submittedAt: Date | null } | null;
}

export interface InboxPage {
  tab: InboxTab;
  items: InboxItem[];
  /** The cursor of the next page (`after`), or null on the last page. */
  next: string | null;
}

const CURSOR = /^(\d{1,15}|inf)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The cursor "<dueAt in ms, or inf for no deadline>_<id>" of the last row of the previous page. */
function parseCursor(after: string): { dueAt: Date | null; id: string } {
  const m = CURSOR.exec(after);
  if (!m) throw DomainError.validation([{ field: 'after', message: '字段 after（翻页位置）无效' }]);
  return { dueAt: m[1] === 'inf' ? null : new Date(Number(m[1])), id: m[2] };
}

export interface InboxOptions {
  tab?: InboxTab;
  directiveId?: string;
  kind?: TaskKindName;
  /** The `next` of the previous page. */
  after?: string;
  limit?: number;
}

type ScopeActor = Pick<Actor, 'role' | 'orgId' | 'personId'>;

/** A branch capacity sees its branch's tasks; a committee capacity the tasks assigned to the person there. */
const scopeSql = (actor: ScopeActor) =>
  BRANCH_ROLES.includes(actor.role)
    ? Prisma.sql`t.org_id = ${actor.orgId}::uuid AND t.assignee_id IS NULL`
    : Prisma.sql`t.org_id = ${actor.orgId}::uuid AND t.assignee_id = ${actor.personId}::uuid`;

const pageSize = (limit?: number) => Math.min(Math.max(limit ?? 20, 1), 100);

/**
 * One page of the inbox (and one row more, to tell whether there is a next page) in one statement: only the
 * columns the inbox shows, with the directive's title and 发文字号 joined. Rows come in (dueAt NULLS LAST, id)
 * order, the order of the (org_id, status, due_at, id) index. After a cursor, the rows with a deadline and those
 * without are two index range scans: the row-value condition `(due_at, id) > cursor` starts the scan at the
 * cursor, where an OR with `due_at IS NULL` would make PostgreSQL read and discard every row before it.
 * Exported for the benchmark's EXPLAIN.
 */
export function inboxQuery(actor: ScopeActor, opts: InboxOptions): Prisma.Sql {
  const filters = [
    scopeSql(actor),
    opts.tab === 'done'
      ? Prisma.sql`t.status IN ('DONE', 'CANCELLED')`
      : opts.tab === 'overdue'
        ? Prisma.sql`t.status = 'OPEN' AND t.overdue`
        : Prisma.sql`t.status = 'OPEN' AND NOT t.overdue`,
  ];
  if (opts.directiveId) filters.push(Prisma.sql`t.origin_type = 'directive' AND t.origin_id = ${opts.directiveId}::uuid`);
  if (opts.kind) filters.push(Prisma.sql`t.kind = ${opts.kind}::"TaskKind"`);
  const n = pageSize(opts.limit) + 1;
  const where = Prisma.join(filters, ' AND ');
  const cols = Prisma.sql`
    t.id, t.kind::text AS kind, t.org_id AS "orgId", t.assignee_id AS "assigneeId", t.title, t.status::text AS status,
    t.due_at AS "dueAt", t.overdue, t.reminded_count AS "remindedCount", t.subject_type AS "subjectType", t.subject_id AS "subjectId",
    t.origin_type AS "originType", t.origin_id AS "originId", CASE WHEN t.origin_type = 'directive' THEN t.origin_id END AS "directiveId", t.data,
    t.created_at AS "createdAt", t.completed_at AS "completedAt", t.completed_by_id AS "completedById"`;
  const order = Prisma.sql`ORDER BY t.due_at ASC NULLS LAST, t.id ASC`;
  let rows: Prisma.Sql;
  if (!opts.after) rows = Prisma.sql`SELECT ${cols} FROM task t WHERE ${where} ${order} LIMIT ${n}`;
  else {
    const { dueAt, id } = parseCursor(opts.after);
    // Rows without a deadline come last: all of them after a dated cursor, those after the id after an undated one.
    const after = dueAt ? Prisma.empty : Prisma.sql`AND t.id > ${id}::uuid`;
    const undated = Prisma.sql`SELECT ${cols} FROM task t WHERE ${where} AND t.due_at IS NULL ${after} ${order} LIMIT ${n}`;
    rows = dueAt
      ? Prisma.sql`(SELECT ${cols} FROM task t WHERE ${where} AND (t.due_at, t.id) > (${dueAt}::timestamptz, ${id}::uuid) ${order} LIMIT ${n})
          UNION ALL (${undated})`
      : undated;
  }
  return Prisma.sql`
    SELECT t.*, doc.id AS "documentId", doc.title AS "documentTitle", doc.doc_number AS "docNumber",
      f.id AS "filingId", f.status::text AS "filingStatus", dr.name AS "drafterName", d.submitted_at AS "submittedAt"
    FROM (${rows}) t
    LEFT JOIN directive d ON t."originType" = 'directive' AND d.id = t."originId"
    LEFT JOIN document doc ON doc.id = d.document_id
    LEFT JOIN person dr ON t.kind = 'APPROVAL' AND dr.id = d.drafter_id
    -- A filing names its task (unique index): a lookup per row of the page, where joining on the task's subject let the
    -- planner hash the whole filing table for every inbox request.
    LEFT JOIN filing f ON f.task_id = t.id
    ORDER BY t."dueAt" ASC NULLS LAST, t.id ASC
    LIMIT ${n}`;
}

type InboxRow = Omit<InboxItem, 'directive' | 'filing' | 'approval'> & {
  drafterName: string | null;
  submittedAt: Date | null;
  documentId: string | null;
  documentTitle: string | null;
  docNumber: string | null;
  filingId: string | null;
  filingStatus: string | null;
};

/**
 * The inbox: a branch capacity sees its branch's tasks; a committee capacity sees the tasks
 * assigned to the person in that committee. Keyset pagination on (dueAt, id) keeps pages fast.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly reads: ReadPool,
  ) {}

  async inbox(actor: Actor, opts: InboxOptions): Promise<InboxPage> {
    const tab = opts.tab ?? 'todo';
    const limit = pageSize(opts.limit);
    const rows = await this.reads.rows<InboxRow>(inboxQuery(actor, opts));
    const items: InboxItem[] = rows.slice(0, limit).map(({ documentId, documentTitle, docNumber, filingId, filingStatus, drafterName, submittedAt, ...t }) => ({
      ...t,
      directive: t.directiveId && documentId ? { id: t.directiveId, document: { id: documentId, title: documentTitle as string, docNumber } } : null,
      filing: filingId ? { id: filingId, status: filingStatus as string } : null,
      approval: t.kind === 'APPROVAL' ? { drafterName, submittedAt } : null,
    }));
    const last = items[items.length - 1];
    return { tab, items, next: rows.length > limit && last ? `${last.dueAt ? last.dueAt.getTime() : 'inf'}_${last.id}` : null };
  }

  /** The 待办 and 逾期 badges (every page asks, every 25 s): one scan of the open tasks in scope. */
  async counts(actor: Actor): Promise<Record<InboxTab, number>> {
    const [row] = await this.reads.rows<{ todo: number; overdue: number }>(Prisma.sql`
      SELECT (count(*) FILTER (WHERE NOT t.overdue))::int AS todo, (count(*) FILTER (WHERE t.overdue))::int AS overdue
      FROM task t WHERE ${scopeSql(actor)} AND t.status = 'OPEN'`);
    return { todo: row.todo, overdue: row.overdue, done: 0 };
  }

  /**
   * The directives this capacity has tasks for (any tab), newest task first: the choices of the inbox's directive
   * filter. One statement on the same scope and index as the inbox, so a branch among 100,000 tasks reads only its own rows.
   */
  async directivesWithTasks(actor: Actor, limit = 200): Promise<{ id: string; title: string; docNumber: string | null }[]> {
    return this.reads.rows(Prisma.sql`
      SELECT d.id, doc.title, doc.doc_number AS "docNumber"
      FROM (
        SELECT t.origin_id, max(t.created_at) AS latest FROM task t
        WHERE ${scopeSql(actor)} AND t.origin_type = 'directive'
        GROUP BY t.origin_id ORDER BY latest DESC LIMIT ${limit}
      ) g
      JOIN directive d ON d.id = g.origin_id
      JOIN document doc ON doc.id = d.document_id
      ORDER BY g.latest DESC`);
  }

  async notifications(actor: Actor, limit = 20) {
    const where: Prisma.NotificationWhereInput = BRANCH_ROLES.includes(actor.role)
      ? { orgId: actor.orgId, personId: null }
      : { OR: [{ personId: actor.personId }, { orgId: actor.orgId, personId: null }] };
    return this.prisma.notification.findMany({ where, orderBy: { createdAt: 'desc' }, take: limit });
  }

  /**
   * The tasks the notices are about (a reminder, a 催办, a return name their task), with a branch task's filing: what
   * the 消息 list needs to link each notice to its page, in two reads for the whole list.
   */
  async noticeTasks(taskIds: (string | null)[]): Promise<Map<string, LinkTask>> {
    const ids = [...new Set(taskIds.filter((id): id is string => !!id))];
    if (!ids.length) return new Map();
    const [tasks, filings] = await Promise.all([
      this.prisma.task.findMany({
        where: { id: { in: ids } },
        select: { id: true, kind: true, subjectId: true, originType: true, originId: true, data: true },
      }),
      this.prisma.filing.findMany({ where: { taskId: { in: ids } }, select: { id: true, taskId: true } }),
    ]);
    const filingOf = new Map(filings.map((f) => [f.taskId, f.id]));
    return new Map(
      tasks.map((t) => [
        t.id,
        { ...t, directiveId: t.originType === 'directive' ? t.originId : null, filingId: filingOf.get(t.id) ?? null } satisfies LinkTask,
      ]),
    );
  }
}
