import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { hasPermission, permissions } from '../auth/permissions';
import { ZONE } from '../calendar/working-calendar';
import { DomainError } from '../common/errors/domain-error';
import { OrgScopeService } from '../orgs/org-scope.service';
import { PrismaService } from '../prisma/prisma.service';
import { NotificationsService } from './notifications.service';

/** The same branch is urged about the same subject at most once in this many hours. */
export const URGE_INTERVAL_HOURS = 4;
const INTERVAL_MS = URGE_INTERVAL_HOURS * 3600_000;
/** Separates urges of one subject (the advisory lock's first key). */
const URGE_LOCK = 7_212_017;

export type UrgeSubject = 'directive' | 'requirement';

/** A branch that has not acted: whether it may be urged now, and when it was last. */
export interface UrgeCandidate {
  orgId: string;
  name: string;
  taskId: string;
  dueAt: Date | null;
  overdue: boolean;
  lastAt: Date | null;
  lastBy: string | null;
  count: number;
  nextAt: Date | null;
}

export interface UrgeResult {
  urged: { orgId: string; name: string }[];
  limited: { orgId: string; name: string; lastAt: Date; nextAt: Date }[];
}

const shanghai = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE });
/** "11月30日 12:40", or "今天 12:40". */
export function whenText(d: Date, now = new Date()): string {
  const t = shanghai(d);
  return t.toISODate() === shanghai(now).toISODate() ? `今天 ${t.toFormat('HH:mm')}` : t.toFormat('M月d日 HH:mm');
}

/**
 * 一键催办: the committee urges the branches that have not acted — not yet 签收 a directive, or not yet submitted a
 * filing (open or returned for revision). Each urge is a notice to the branch (its inbox, its group robots, the e-mail
 * of its people who chose it), recorded with who urged and when, audited; the same branch about the same subject at
 * most once in URGE_INTERVAL_HOURS hours.
 */
@Injectable()
export class UrgeService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly scope: OrgScopeService,
    private readonly notifications: NotificationsService,
  ) {}

  /** The subject's title, its organ, and the branches that have not acted, with their urges. */
  async candidates(actor: Actor, type: UrgeSubject, id: string, now = new Date()) {
    const subject = await this.subject(actor, type, id);
    const open =
      type === 'directive'
        ? await this.prisma.task.findMany({
            where: { originType: 'directive', originId: id, kind: 'RECEIPT', status: 'OPEN' },
            select: { id: true, orgId: true, dueAt: true, overdue: true, org: { select: { name: true, sortOrder: true } } },
          })
        : (
            await this.prisma.filing.findMany({
              where: { requirementId: id, status: { in: ['OPEN', 'RETURNED'] } },
              select: { taskId: true, orgId: true, deadlineAt: true, overdue: true },
            })
          ).map((f) => ({ id: f.taskId, orgId: f.orgId, dueAt: f.deadlineAt, overdue: f.overdue, org: null as { name: string; sortOrder: number } | null }));
    const orgIds = open.map((t) => t.orgId);
    const [orgs, urges] = await Promise.all([
      this.prisma.organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true, sortOrder: true } }),
      this.prisma.urge.findMany({ where: { subjectType: type, subjectId: id }, orderBy: { at: 'desc' } }),
    ]);
    const people = await this.names(urges.map((u) => u.byId));
    const orgOf = new Map(orgs.map((o) => [o.id, o]));
    const candidates: UrgeCandidate[] = open
      .map((t) => {
        const mine = urges.filter((u) => u.orgId === t.orgId);
        const last = mine[0];
        const nextAt = last && last.at.getTime() + INTERVAL_MS > now.getTime() ? new Date(last.at.getTime() + INTERVAL_MS) : null;
        return {
          orgId: t.orgId,
          name: orgOf.get(t.orgId)?.name ?? '',
          taskId: t.id,
          dueAt: t.dueAt,
          overdue: t.overdue,
          lastAt: last?.at ?? null,
          lastBy: last ? (people.get(last.byId) ?? '') : null,
          count: mine.length,
          nextAt,
          sort: orgOf.get(t.orgId)?.sortOrder ?? 0,
        };
      })
      .sort((a, b) => a.sort - b.sort || a.name.localeCompare(b.name, 'zh-CN'))
      .map(({ sort: _sort, ...c }) => c);
    const orgNames = new Map(
      (await this.prisma.organization.findMany({ where: { id: { in: [...new Set(urges.map((u) => u.orgId))] } }, select: { id: true, name: true } })).map(
        (o) => [o.id, o.name],
      ),
    );
    const history = urges.slice(0, 200).map((u) => ({ orgId: u.orgId, orgName: orgNames.get(u.orgId) ?? '', at: u.at, by: people.get(u.byId) ?? '' }));
    return { ...subject, type, candidates, history };
  }

  /**
   * Urges the chosen branches (or all that have not acted). Branches urged within the interval are left out and
   * reported with the time they may be urged again; when that leaves nobody, the refusal says so (409).
   */
  async urge(actor: Actor, type: UrgeSubject, id: string, choice: { all?: boolean; orgIds?: string[] }, now = new Date()): Promise<UrgeResult> {
    if (!hasPermission(actor.role, permissions.notificationUrge)) throw DomainError.forbidden('只有党委（党建办、书记）可以催办');
    const wanted = choice.all ? null : new Set(choice.orgIds ?? []);
    if (wanted && !wanted.size) throw DomainError.validation([{ field: 'orgIds', message: '请勾选要催办的支部，或点“全部催办”' }]);
    return this.audit.transaction(async (tx) => {
      // One urge of a subject at a time: two clicks on 全部催办 urge each branch once.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${URGE_LOCK}, hashtext(${id}))`;
      const c = await this.candidates(actor, type, id, now);
      const chosen = wanted ? c.candidates.filter((x) => wanted.has(x.orgId)) : c.candidates;
      if (!chosen.length) throw DomainError.conflict(type === 'directive' ? '所选支部都已签收，无需催办' : '所选支部都已提交，无需催办');
      const limited = chosen.filter((x) => x.nextAt).map((x) => ({ orgId: x.orgId, name: x.name, lastAt: x.lastAt as Date, nextAt: x.nextAt as Date }));
      const due = chosen.filter((x) => !x.nextAt);
      if (!due.length) throw DomainError.conflict(limitedText(limited, now));
      const what = type === 'directive' ? '签收' : '填报';
      for (const x of due) {
        const urge = await tx.urge.create({ data: { subjectType: type, subjectId: id, orgId: x.orgId, byId: actor.personId, notificationKey: '', at: now } });
        const key = `urge:${urge.id}`;
        await tx.urge.update({ where: { id: urge.id }, data: { notificationKey: key } });
        await this.notifications.notify(tx, [
          {
            kind: 'URGE',
            key,
            to: { orgId: x.orgId },
            taskId: x.taskId,
            facts: { by: c.organName, what, title: c.title, deadline: x.dueAt ? shanghai(x.dueAt).toFormat('M月d日 HH:mm') : undefined },
          },
        ]);
      }
      await this.audit.record(tx, {
        actor,
        action: 'urge.send',
        entityType: type,
        entityId: id,
        data: { orgIds: due.map((x) => x.orgId), limited: limited.map((x) => x.orgId) },
      });
      return { urged: due.map((x) => ({ orgId: x.orgId, name: x.name })), limited };
    });
  }

  private async subject(actor: Actor, type: UrgeSubject, id: string): Promise<{ id: string; title: string; organName: string }> {
    if (type === 'directive') {
      const d = await this.prisma.directive.findUnique({
        where: { id },
        select: { orgId: true, org: { select: { name: true } }, document: { select: { title: true } } },
      });
      if (!d || !hasPermission(actor.role, permissions.directiveRead) || !(await this.scope.canSee(actor, d.orgId))) throw DomainError.notFound('发文');
      return { id, title: d.document.title, organName: d.org.name };
    }
    const r = await this.prisma.requirement.findUnique({ where: { id }, select: { orgId: true, title: true } });
    if (!r || !hasPermission(actor.role, permissions.filingTable) || !(await this.scope.canSee(actor, r.orgId))) throw DomainError.notFound('填报要求');
    const org = await this.prisma.organization.findUnique({ where: { id: r.orgId }, select: { name: true } });
    return { id, title: r.title, organName: org?.name ?? '党委' };
  }

  private async names(ids: string[]): Promise<Map<string, string>> {
    const people = await this.prisma.person.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
    return new Map(people.map((p) => [p.id, p.name]));
  }
}

/** The refusal when every chosen branch was urged too recently: who, when, and when again. */
export function limitedText(limited: UrgeResult['limited'], now = new Date()): string {
  const parts = limited.slice(0, 5).map((x) => `${x.name}已于${whenText(x.lastAt, now)}催办过，${whenText(x.nextAt, now)}后可再次催办`);
  const more = limited.length > 5 ? `等 ${limited.length} 个支部` : '';
  return `同一事项对同一支部 ${URGE_INTERVAL_HOURS} 小时内只能催办一次：${parts.join('；')}${more}`;
}
