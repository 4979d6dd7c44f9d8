import { Injectable } from '@nestjs/common';
import type { Actor } from '../audit/actor';
import { BRANCH_ROLES } from '../auth/roles';
import { Prisma } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';

export type InboxTab = 'todo' | 'overdue' | 'done';
export type TaskKindName = 'APPROVAL' | 'RECEIPT' | 'FILING' | 'INSPECTION';

/**
 * The inbox: a branch capacity sees its branch's tasks; a committee capacity sees the tasks
 * assigned to the person in that committee. Keyset pagination on (dueAt, id) keeps pages fast.
 */
@Injectable()
export class TasksService {
  constructor(private readonly prisma: PrismaService) {}

  private scopeOf(actor: Actor): Prisma.TaskWhereInput {
    return BRANCH_ROLES.includes(actor.role) ? { orgId: actor.orgId, assigneeId: null } : { orgId: actor.orgId, assigneeId: actor.personId };
  }

  private tabOf(tab: InboxTab): Prisma.TaskWhereInput {
    if (tab === 'done') return { status: { in: ['DONE', 'CANCELLED'] } };
    return { status: 'OPEN', overdue: tab === 'overdue' };
  }

  async inbox(actor: Actor, opts: { tab?: InboxTab; directiveId?: string; kind?: TaskKindName; after?: string; limit?: number }) {
    const tab = opts.tab ?? 'todo';
    const limit = Math.min(Math.max(opts.limit ?? 20, 1), 100);
    const where: Prisma.TaskWhereInput = { ...this.scopeOf(actor), ...this.tabOf(tab), directiveId: opts.directiveId, kind: opts.kind };
    // Cursor "<dueAt ms or ∞>_<id>": rows after it in (dueAt NULLS LAST, id) order.
    if (opts.after) {
      const [due, id] = opts.after.split('_');
      const dueAt = due === 'inf' ? null : new Date(Number(due));
      where.AND = dueAt ? [{ OR: [{ dueAt: { gt: dueAt } }, { dueAt, id: { gt: id } }, { dueAt: null }] }] : [{ dueAt: null, id: { gt: id } }];
    }
    const rows = await this.prisma.task.findMany({
      where,
      orderBy: [{ dueAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
      take: limit + 1,
      include: { directive: { select: { id: true, document: { select: { id: true, title: true, docNumber: true } } } } },
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { tab, items: page, next: rows.length > limit && last ? `${last.dueAt ? last.dueAt.getTime() : 'inf'}_${last.id}` : null };
  }

  async counts(actor: Actor): Promise<Record<InboxTab, number>> {
    const base = this.scopeOf(actor);
    const [todo, overdue] = await Promise.all([
      this.prisma.task.count({ where: { ...base, status: 'OPEN', overdue: false } }),
      this.prisma.task.count({ where: { ...base, status: 'OPEN', overdue: true } }),
    ]);
    return { todo, overdue, done: 0 };
  }

  /**
   * The directives this capacity has tasks for (any tab), newest first: the choices of the inbox's directive filter.
   * Grouped in SQL on the same scope index as the inbox, so a branch among 100,000 tasks reads only its own rows.
   */
  async directivesWithTasks(actor: Actor, limit = 200): Promise<{ id: string; title: string; docNumber: string | null }[]> {
    const groups = await this.prisma.task.groupBy({
      by: ['directiveId'],
      where: { ...this.scopeOf(actor), directiveId: { not: null } },
      _max: { createdAt: true },
      orderBy: { _max: { createdAt: 'desc' } },
      take: limit,
    });
    const ids = groups.map((g) => g.directiveId).filter((id): id is string => !!id);
    if (!ids.length) return [];
    const rows = await this.prisma.directive.findMany({
      where: { id: { in: ids } },
      select: { id: true, document: { select: { title: true, docNumber: true } } },
    });
    const byId = new Map(rows.map((d) => [d.id, { id: d.id, title: d.document.title, docNumber: d.document.docNumber }]));
    return ids.map((id) => byId.get(id)).filter((d): d is { id: string; title: string; docNumber: string | null } => !!d);
  }

  async notifications(actor: Actor, limit = 20) {
    const where: Prisma.NotificationWhereInput = BRANCH_ROLES.includes(actor.role)
      ? { orgId: actor.orgId, personId: null }
      : { OR: [{ personId: actor.personId }, { orgId: actor.orgId, personId: null }] };
    return this.prisma.notification.findMany({ where, orderBy: { createdAt: 'desc' }, take: limit });
  }
}
