import type { Request, Response } from 'express';
import type { AuthedRequest } from '../common/decorators/auth.decorators';
import type { Csrf } from '../common/middleware/csrf';
import { ROLE_LABELS } from '../auth/roles';
import { Role } from '../prisma/client';

/** Capacities that draft, approve or follow directives (发文). */
const DIRECTIVE_ROLES: Role[] = [Role.COMMITTEE_STAFF, Role.COMMITTEE_SECRETARY, Role.INSPECTOR, Role.EVALUATOR];
/** Capacities that run, carry out or answer spot checks (督查抽查). */
const SPOT_CHECK_ROLES: Role[] = [Role.COMMITTEE_STAFF, Role.COMMITTEE_SECRETARY, Role.INSPECTOR, Role.BRANCH_SECRETARY, Role.BRANCH_STAFF];

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
    if (DIRECTIVE_ROLES.includes(actor.role)) nav.push({ href: '/directives', label: '发文', active: req.path.startsWith('/directives') });
    if (SPOT_CHECK_ROLES.includes(actor.role)) nav.push({ href: '/spot-checks', label: '督查抽查', active: req.path.startsWith('/spot-checks') });
    if (actor.role === Role.ADMIN) {
      nav.push({ href: '/admin/orgs', label: '组织管理', active: req.path.startsWith('/admin/orgs') });
      nav.push({ href: '/admin/people', label: '人员管理', active: req.path.startsWith('/admin/people') });
      nav.push({ href: '/admin/calendar', label: '工作日历', active: req.path.startsWith('/admin/calendar') });
    }
  }
  return {
    title: extra.title,
    csrfToken: csrf.generateCsrfToken(req as Request, res),
    actor,
    roleLabel: actor ? ROLE_LABELS[actor.role] : undefined,
    capacityLabel: actor ? `${actor.orgName} · ${ROLE_LABELS[actor.role]}` : undefined,
    nav,
    loggedIn: !!req.personId,
  };
}
