import type { Request, Response } from 'express';
import type { AuthedRequest } from '../common/decorators/auth.decorators';
import type { Csrf } from '../common/middleware/csrf';
import { hasPermission, Permission } from '../auth/permissions';
import { backToInbox, withFrom } from '../tasks/task-links';
import { ROLE_LABELS } from '../auth/roles';
import { backToReceived } from './received/received-query';
import { UPDATE_PENDING_MESSAGE } from '../temporal/update-errors';

/**
 * The menu after 待办: each entry with the permission its page's GET route requires (the page controllers'
 * @RequirePermission), so a capacity sees exactly the pages it may open.
 */
export const MENU: { href: string; label: string; requires: Permission }[] = [
  { href: '/received', label: '收文', requires: 'receipt.read' },
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

/**
 * The way back of a page opened from the inbox (or from 收文): the query's `from`, or — on a form posted from such a
 * page — the form's hidden `from` (partials/way-back.hbs), so the way back survives the submit. Only ever an /inbox or
 * /received address of this site, rebuilt from known values (task-links.ts, received-query.ts).
 */
export function wayBack(req: Request): { href: string; to: 'inbox' | 'received' } | undefined {
  const body = (req.method === 'POST' ? req.body : undefined) as Record<string, unknown> | undefined;
  for (const from of [req.query?.from, body?.from]) {
    const inbox = backToInbox(from);
    if (inbox) return { href: inbox, to: 'inbox' };
    const received = backToReceived(from);
    if (received) return { href: received, to: 'received' };
  }
  return undefined;
}

/** Where a form's POST leads back to (`href`, the page itself), keeping the page's way back. */
export function afterPost(req: Request, href: string): string {
  return withFrom(href, wayBack(req)?.href);
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
  const back = actor ? wayBack(req as Request) : undefined;
  return {
    title: extra.title,
    csrfToken: csrf.generateCsrfToken(req as Request, res),
    actor,
    roleLabel: actor ? ROLE_LABELS[actor.role] : undefined,
    capacityLabel: actor ? `${actor.orgName} · ${ROLE_LABELS[actor.role]}` : undefined,
    nav,
    loggedIn: !!req.personId,
    // A page opened from the inbox links back to it, to the same tab and filters (task-links.ts: only ever /inbox);
    // a directive opened from 收文, back to 收文 with its search. Its forms carry it on (partials/way-back.hbs).
    inboxBack: back?.to === 'inbox' ? back.href : undefined,
    receivedBack: back?.to === 'received' ? back.href : undefined,
    wayBack: back?.href,
    // An action accepted and still being completed (pages/form.ts isPending): said above every page's content.
    pendingNotice: actor && req.query?.done === 'pending' ? UPDATE_PENDING_MESSAGE : undefined,
  };
}
