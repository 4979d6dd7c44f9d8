import type { Request, Response } from 'express';
import type { AuthedRequest } from '../common/decorators/auth.decorators';
import type { Csrf } from '../common/middleware/csrf';
import { hasPermission, Permission } from '../auth/permissions';
import { backToInbox } from '../tasks/task-links';
import { ROLE_LABELS } from '../auth/roles';

/**
 * The menu after 待办: each entry with the permission its page's GET route requires (the page controllers'
 * @RequirePermission), so a capacity sees exactly the pages it may open.
 */
export const MENU: { href: string; label: string; requires: Permission }[] = [
  { href: '/directives', label: '发文', requires: 'directive.read' },
  { href: '/spot-checks', label: '督查抽查', requires: 'spotcheck.read' },
  { href: '/reviews', label: '述职评议', requires: 'review.read' },
  { href: '/accountability', label: '问责', requires: 'accountability.read' },
  { href: '/commendations', label: '评选表扬', requires: 'commendation.read' },
  { href: '/commendations/notices', label: '表扬公示', requires: 'commendation.object' },
  { href: '/overview', label: '年度综合情况', requires: 'commendation.read' },
  { href: '/admin/orgs', label: '组织管理', requires: 'admin.orgs' },
  { href: '/admin/people', label: '人员管理', requires: 'admin.people' },
  { href: '/admin/calendar', label: '工作日历', requires: 'admin.calendar' },
  { href: '/admin/signing', label: '签名证书', requires: 'admin.orgs' },
];

export interface NavItem {
  href: string;
  label: string;
  active: boolean;
}

/** What every page's layout needs: who acts in which capacity, the CSRF token, the menu. */
export async function viewContext(req: AuthedRequest, res: Response, csrf: Csrf, extra: { title: string }) {
  const actor = req.actor;
  const nav: NavItem[] = [];
  if (actor) {
    nav.push({ href: '/inbox', label: '待办', active: req.path.startsWith('/inbox') });
    const mine = MENU.filter((m) => hasPermission(actor.role, m.requires));
    // One entry lit: the longest that the path starts with (表扬公示 /commendations/notices, not also 评选表扬 /commendations).
    const lit = mine.filter((m) => req.path.startsWith(m.href)).sort((a, b) => b.href.length - a.href.length)[0];
    for (const m of mine) nav.push({ href: m.href, label: m.label, active: m === lit });
  }
  return {
    title: extra.title,
    csrfToken: csrf.generateCsrfToken(req as Request, res),
    actor,
    roleLabel: actor ? ROLE_LABELS[actor.role] : undefined,
    capacityLabel: actor ? `${actor.orgName} · ${ROLE_LABELS[actor.role]}` : undefined,
    nav,
    loggedIn: !!req.personId,
    // A page opened from the inbox links back to it, to the same tab and filters (task-links.ts: only ever /inbox).
    inboxBack: actor ? backToInbox(req.query?.from) : undefined,
  };
}
