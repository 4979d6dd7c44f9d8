import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import fs from 'node:fs';
import path from 'node:path';
import { IS_PUBLIC, NO_CAPACITY, PERMISSIONS } from '../common/decorators/auth.decorators';
import { MENU } from '../pages/view-context';
import { Role } from '../prisma/client';
import { ALL_PERMISSIONS, hasEveryPermission, hasPermission, Permission, ROLE_PERMISSIONS, rolesWith } from './permissions';

const ROLES = Object.values(Role) as Role[];
const { COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF, INSPECTOR, EVALUATOR, ADMIN } = Role;
const sorted = (roles: readonly Role[]) => [...roles].sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));

describe('the permissions table', () => {
  it('knows every role and grants only named permissions, each once', () => {
    expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) {
      for (const p of ROLE_PERMISSIONS[role]) expect(ALL_PERMISSIONS).toContain(p);
      expect(new Set(ROLE_PERMISSIONS[role]).size).toBe(ROLE_PERMISSIONS[role].length);
    }
    expect(new Set(ALL_PERMISSIONS).size).toBe(ALL_PERMISSIONS.length);
  });

  it('grants every permission to someone', () => {
    for (const p of ALL_PERMISSIONS) expect(rolesWith(p).length).toBeGreaterThan(0);
  });

  // Who holds the permissions that matter most, written out in full.
  const EXPECTED: Partial<Record<Permission, Role[]>> = {
    'document.draft': [COMMITTEE_STAFF, COMMITTEE_SECRETARY],
    'directive.draft': [COMMITTEE_STAFF, COMMITTEE_SECRETARY],
    'directive.read': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, INSPECTOR, EVALUATOR, ADMIN],
    'directive.approve': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, INSPECTOR, EVALUATOR, ADMIN],
    'directive.sign': [COMMITTEE_SECRETARY],
    'directive.revoke': [COMMITTEE_SECRETARY],
    'filing.submit': [BRANCH_SECRETARY, BRANCH_STAFF],
    'receipt.acknowledge': [BRANCH_SECRETARY, BRANCH_STAFF],
    'receipt.read': [BRANCH_SECRETARY, BRANCH_STAFF],
    'filing.review': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, INSPECTOR, EVALUATOR, ADMIN],
    'filing.table': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, INSPECTOR, EVALUATOR, ADMIN],
    'spotcheck.read': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF, INSPECTOR, ADMIN],
    'spotcheck.sample': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, INSPECTOR, ADMIN],
    'spotcheck.manage': [COMMITTEE_STAFF],
    'spotcheck.inspect': [INSPECTOR],
    'admin.orgs': [ADMIN],
    'admin.people': [ADMIN],
    'admin.calendar': [ADMIN],
    'audit.read': [ADMIN],
    'system.ping': [ADMIN],
    'file.upload': ROLES,
    'review.read': [COMMITTEE_STAFF, COMMITTEE_SECRETARY],
    'review.manage': [COMMITTEE_STAFF],
    'review.publish': [COMMITTEE_SECRETARY],
    'review.score': [EVALUATOR],
    'commendation.manage': [COMMITTEE_STAFF],
    'commendation.nominate': [BRANCH_SECRETARY, BRANCH_STAFF],
    'commendation.object': ROLES,
    'commendation.read': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
    'commendation.decide': [COMMITTEE_SECRETARY],
    'accountability.manage': [COMMITTEE_STAFF],
    'accountability.decide': [COMMITTEE_SECRETARY],
    'accountability.read': [COMMITTEE_STAFF, COMMITTEE_SECRETARY],
    'accountability.investigate': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, INSPECTOR],
    'accountability.respond': [BRANCH_SECRETARY, BRANCH_STAFF],
  };

  it.each(Object.entries(EXPECTED) as [Permission, Role[]][])('%s is held by exactly the expected roles', (p, roles) => {
    expect(rolesWith(p)).toEqual(sorted(roles));
    for (const role of ROLES) expect(hasPermission(role, p)).toBe(roles.includes(role));
  });

  it('lets only the party secretary sign and revoke', () => {
    for (const role of ROLES) {
      expect(hasPermission(role, 'directive.sign')).toBe(role === COMMITTEE_SECRETARY);
      expect(hasPermission(role, 'directive.revoke')).toBe(role === COMMITTEE_SECRETARY);
    }
  });

  it('gives branches their own side only: filing.submit, and none of the committee’s or the administrator’s permissions', () => {
    const committeeOnly = ALL_PERMISSIONS.filter((p) =>
      /^(directive|document|admin|audit|system)\.|^filing\.(review|table)$|^spotcheck\.(manage|sample|inspect)$/.test(p),
    );
    for (const role of [BRANCH_SECRETARY, BRANCH_STAFF]) {
      expect(hasPermission(role, 'filing.submit')).toBe(true);
      for (const p of committeeOnly) expect(hasPermission(role, p)).toBe(false);
    }
    for (const role of [COMMITTEE_STAFF, COMMITTEE_SECRETARY, INSPECTOR, EVALUATOR, ADMIN]) expect(hasPermission(role, 'filing.submit')).toBe(false);
  });

  it('gives the administrator every admin.* permission, and no one else any', () => {
    const admin = ALL_PERMISSIONS.filter((p) => p.startsWith('admin.'));
    expect(admin).toEqual(['admin.orgs', 'admin.people', 'admin.calendar']);
    for (const p of admin) expect(rolesWith(p)).toEqual([ADMIN]);
  });

  it('does not let the evaluator draft, sign or run spot checks', () => {
    for (const p of ['document.draft', 'directive.draft', 'directive.sign', 'directive.revoke', 'spotcheck.manage', 'spotcheck.read'] as Permission[]) {
      expect(hasPermission(EVALUATOR, p)).toBe(false);
    }
    expect(hasPermission(EVALUATOR, 'review.score')).toBe(true);
  });

  it('asks for every permission listed', () => {
    expect(hasEveryPermission(COMMITTEE_SECRETARY, ['directive.read', 'directive.sign'])).toBe(true);
    expect(hasEveryPermission(COMMITTEE_STAFF, ['directive.read', 'directive.sign'])).toBe(false);
    expect(hasEveryPermission(BRANCH_STAFF, [])).toBe(true);
  });
});

/**
 * Every route of every controller, with who may call it. This is the table the @Roles decorators gave before the
 * permissions table replaced them; a route added without a row here, or a grant that changes who may call a route, fails.
 * 'any' = any logged-in capacity (scope and state are checked in the services).
 */
type Access = 'public' | 'without-capacity' | 'any' | Role[];
const COMMITTEE: Role[] = [COMMITTEE_STAFF, COMMITTEE_SECRETARY, INSPECTOR, EVALUATOR, ADMIN];
const DRAFTERS: Role[] = [COMMITTEE_STAFF, COMMITTEE_SECRETARY];
const BRANCH: Role[] = [BRANCH_SECRETARY, BRANCH_STAFF];
const ROUND_VIEWERS: Role[] = [COMMITTEE_STAFF, COMMITTEE_SECRETARY, INSPECTOR, ADMIN];
const ONLY_ADMIN: Role[] = [ADMIN];
const ROUTES: Record<string, Access> = {
  // API
  'GET /api/health': 'public',
  'POST /api/system/ping': ONLY_ADMIN,
  'GET /api/system/health': ONLY_ADMIN,
  'GET /api/auth/csrf': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'without-capacity',
  'GET /api/auth/me': 'without-capacity',
  'POST /api/auth/capacity': 'without-capacity',
  'GET /api/audit': ONLY_ADMIN,
  'GET /api/audit/verify': ONLY_ADMIN,
  'GET /api/calendar/days/:day': 'any',
  'GET /api/calendar/add-workdays': 'any',
  'GET /api/calendar/overrides': 'any',
  'PUT /api/calendar/overrides/:day': ONLY_ADMIN,
  'DELETE /api/calendar/overrides/:day': ONLY_ADMIN,
  'GET /api/directives': COMMITTEE,
  'POST /api/directives': DRAFTERS,
  'GET /api/directives/:id': COMMITTEE,
  'PUT /api/directives/:id': DRAFTERS,
  'POST /api/directives/:id/submit': DRAFTERS,
  'POST /api/directives/:id/decisions': COMMITTEE,
  'POST /api/directives/:id/withdraw': DRAFTERS,
  'POST /api/directives/:id/revoke': [COMMITTEE_SECRETARY],
  'GET /api/directives/:id/receipts': COMMITTEE,
  'GET /api/directives/:id/urges': COMMITTEE,
  'POST /api/directives/:id/urges': DRAFTERS,
  'GET /api/requirements/:id/urges': COMMITTEE,
  'POST /api/requirements/:id/urges': DRAFTERS,
  'POST /api/documents/import-text': DRAFTERS,
  'POST /api/documents/preview': DRAFTERS,
  'POST /api/documents/preview.pdf': DRAFTERS,
  'POST /api/documents': DRAFTERS,
  'GET /api/documents/:id': 'any',
  'PUT /api/documents/:id': DRAFTERS,
  'POST /api/documents/:id/sign': [COMMITTEE_SECRETARY],
  'GET /api/documents/:id/pdf': 'any',
  'GET /api/documents/:id/attachments/:seq': 'any',
  'GET /api/documents/:id/verify': 'any',
  'GET /api/admin/signing-identities': ONLY_ADMIN,
  'GET /api/admin/signing-identities/:orgId': ONLY_ADMIN,
  'PUT /api/admin/signing-identities/:orgId': ONLY_ADMIN,
  'POST /api/admin/signing-identities/:orgId/self-signed': ONLY_ADMIN,
  'GET /api/documents/:id/ofd': 'any',
  'POST /api/files': 'any',
  'GET /api/files/:id': 'any',
  'GET /api/requirements/:id/filings.xlsx': 'any',
  'GET /api/requirements/:id/filings.pdf': 'any',
  'GET /api/filings/:id': 'any',
  'PUT /api/filings/:id/draft': 'any',
  'POST /api/filings/:id/submit': 'any',
  'POST /api/filings/:id/review': 'any',
  'POST /api/filings/:id/extension': 'any',
  'POST /api/filings/:id/extension/decision': 'any',
  'GET /api/requirements/:id/filings': 'any',
  'GET /api/orgs': 'any',
  'GET /api/orgs/:id': 'any',
  'POST /api/orgs': ONLY_ADMIN,
  'PATCH /api/orgs/:id': ONLY_ADMIN,
  'POST /api/orgs/:id/deactivate': ONLY_ADMIN,
  'POST /api/orgs/:id/activate': ONLY_ADMIN,
  'POST /api/orgs/import': ONLY_ADMIN,
  'GET /api/people': 'any',
  'GET /api/people/:id': 'any',
  'GET /api/people/export.csv': ONLY_ADMIN,
  'POST /api/people': ONLY_ADMIN,
  'PATCH /api/people/:id': ONLY_ADMIN,
  'POST /api/people/:id/deactivate': ONLY_ADMIN,
  'POST /api/people/:id/activate': ONLY_ADMIN,
  'POST /api/people/:id/memberships': ONLY_ADMIN,
  'POST /api/people/:id/memberships/:membershipId/remove': ONLY_ADMIN,
  'POST /api/people/import': ONLY_ADMIN,
  'POST /api/spot-checks': 'any',
  'GET /api/spot-checks': 'any',
  'GET /api/spot-checks/:id': 'any',
  'POST /api/spot-checks/:id/draw': 'any',
  'GET /api/spot-checks/:id/sample': 'any',
  'POST /api/spot-checks/:id/close': 'any',
  'POST /api/spot-checks/:id/findings': 'any',
  'POST /api/spot-checks/findings/:findingId/rectification': 'any',
  'GET /api/spot-checks/findings/:findingId/photos/:sha256': 'any',
  'GET /api/spot-checks/:id/report': 'any',
  'GET /api/spot-checks/:id/report.pdf': 'any',
  'GET /api/reviews': [COMMITTEE_STAFF, COMMITTEE_SECRETARY],
  'GET /api/reviews/defaults': [COMMITTEE_STAFF],
  'POST /api/reviews': [COMMITTEE_STAFF],
  'GET /api/reviews/:id': [COMMITTEE_STAFF, COMMITTEE_SECRETARY],
  'PUT /api/reviews/:id': [COMMITTEE_STAFF],
  'POST /api/reviews/:id/start': [COMMITTEE_STAFF],
  'GET /api/reviews/:id/daily': [COMMITTEE_STAFF, COMMITTEE_SECRETARY],
  'GET /api/reviews/:id/results': [COMMITTEE_STAFF, COMMITTEE_SECRETARY],
  'GET /api/reviews/:id/results.xlsx': [COMMITTEE_STAFF, COMMITTEE_SECRETARY],
  'GET /api/reviews/:id/ballots.json': [COMMITTEE_STAFF, COMMITTEE_SECRETARY],
  'POST /api/reviews/:id/publish': [COMMITTEE_SECRETARY],
  'GET /api/reviews/:id/ballot': [EVALUATOR],
  'PUT /api/reviews/:id/ballot/draft': [EVALUATOR],
  'POST /api/reviews/:id/ballot': [EVALUATOR],
  'GET /api/reviews/:id/ballot/files/:sha256': [EVALUATOR],
  'GET /api/accountability/proposals': DRAFTERS,
  'GET /api/accountability/cases': DRAFTERS,
  'POST /api/accountability/cases': [COMMITTEE_STAFF],
  'POST /api/accountability/cases/from-proposals': [COMMITTEE_STAFF],
  'GET /api/accountability/cases/:id': 'any',
  'POST /api/accountability/cases/:id/talks': [COMMITTEE_STAFF],
  'POST /api/accountability/cases/:id/conclude': [COMMITTEE_STAFF],
  'POST /api/accountability/cases/:id/investigation': [COMMITTEE_STAFF],
  'POST /api/accountability/cases/:id/findings': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, INSPECTOR],
  'POST /api/accountability/cases/:id/defence/ask': [COMMITTEE_STAFF],
  'POST /api/accountability/cases/:id/defence': BRANCH,
  'POST /api/accountability/cases/:id/decision': [COMMITTEE_SECRETARY],
  'POST /api/accountability/cases/:id/dismiss': [COMMITTEE_STAFF],
  'POST /api/accountability/cases/:id/appeal': BRANCH,
  'POST /api/accountability/cases/:id/appeal/answer': [COMMITTEE_SECRETARY],
  'GET /api/accountability/cases/:id/documents/:documentId/pdf': 'any',
  'POST /api/accountability/tasks/:taskId/carry-out': [COMMITTEE_STAFF],
  'POST /api/accountability/tasks/:taskId/acknowledge': BRANCH,
  'POST /api/accountability/tasks/:taskId/complete': BRANCH,
  'GET /api/accountability/people/:personId/influence': DRAFTERS,
  'GET /api/accountability/sanctions': DRAFTERS,
  'POST /api/accountability/sanctions': [COMMITTEE_STAFF],
  'GET /api/commendations': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'POST /api/commendations': [COMMITTEE_STAFF],
  'GET /api/commendations/notices': ROLES,
  'GET /api/commendations/notices/:noticeId/pdf': ROLES,
  'GET /api/commendations/:id': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'POST /api/commendations/:id/start': [COMMITTEE_STAFF],
  'POST /api/commendations/:id/cancel': [COMMITTEE_STAFF],
  'POST /api/commendations/:id/nominations': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'PUT /api/commendations/:id/ranking': [COMMITTEE_STAFF],
  'POST /api/commendations/:id/approval': [COMMITTEE_SECRETARY],
  'POST /api/commendations/:id/notice': [COMMITTEE_STAFF],
  'POST /api/commendations/:id/objections': ROLES,
  'POST /api/commendations/:id/objections/:objectionId/resolve': [COMMITTEE_STAFF],
  'POST /api/commendations/:id/decision': [COMMITTEE_SECRETARY],
  'GET /commendations/notices': ROLES,
  'POST /commendations/notices/objection': ROLES,
  'GET /commendations': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'GET /commendations/new': [COMMITTEE_STAFF],
  'POST /commendations/new': [COMMITTEE_STAFF],
  'GET /commendations/:id': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'GET /commendations/:id/status': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'POST /commendations/:id/start': [COMMITTEE_STAFF],
  'POST /commendations/:id/nominations': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'POST /commendations/:id/ranking': [COMMITTEE_STAFF],
  'POST /commendations/:id/approval': [COMMITTEE_SECRETARY],
  'POST /commendations/:id/notice': [COMMITTEE_STAFF],
  'POST /commendations/:id/objections': [COMMITTEE_STAFF],
  'POST /commendations/:id/objections/:objectionId/resolve': [COMMITTEE_STAFF],
  'POST /commendations/:id/objections/:objectionId/told': [COMMITTEE_STAFF],
  'POST /commendations/:id/decision': [COMMITTEE_SECRETARY],
  'GET /api/overview': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'GET /api/overview/orgs/:orgId': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'GET /api/overview/people/:personId': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'GET /overview': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'GET /overview.xlsx': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'GET /overview/orgs/:orgId': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'GET /overview/orgs/:orgId/overview.xlsx': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'GET /overview/people/:personId': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'GET /overview/people/:personId/overview.xlsx': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, BRANCH_SECRETARY, BRANCH_STAFF],
  'GET /api/inbox': 'any',
  'GET /api/inbox/counts': 'any',
  'GET /api/inbox/directives': 'any',
  'GET /api/inbox/notifications': 'any',
  'POST /api/inbox/:taskId/acknowledge': [BRANCH_SECRETARY, BRANCH_STAFF],
  // Pages
  'GET /': 'public',
  'GET /login': 'public',
  'POST /login': 'public',
  'GET /capacity': 'without-capacity',
  'POST /capacity': 'without-capacity',
  'POST /logout': 'without-capacity',
  'GET /inbox': 'any',
  'POST /inbox/:taskId/acknowledge': 'any',
  'GET /received': BRANCH,
  'GET /admin/calendar': ONLY_ADMIN,
  'POST /admin/calendar': ONLY_ADMIN,
  'POST /admin/calendar/:day/delete': ONLY_ADMIN,
  'GET /admin/orgs': ONLY_ADMIN,
  'GET /admin/orgs/new': ONLY_ADMIN,
  'POST /admin/orgs': ONLY_ADMIN,
  'POST /admin/orgs/import': ONLY_ADMIN,
  'GET /admin/orgs/:id/edit': ONLY_ADMIN,
  'POST /admin/orgs/:id': ONLY_ADMIN,
  'POST /admin/orgs/:id/deactivate': ONLY_ADMIN,
  'POST /admin/orgs/:id/activate': ONLY_ADMIN,
  'GET /admin/people': ONLY_ADMIN,
  'GET /admin/people/new': ONLY_ADMIN,
  'POST /admin/people': ONLY_ADMIN,
  'POST /admin/people/import': ONLY_ADMIN,
  'GET /admin/signing': ONLY_ADMIN,
  'GET /admin/signing/:orgId': ONLY_ADMIN,
  'POST /admin/signing/:orgId': ONLY_ADMIN,
  'POST /admin/signing/:orgId/self-signed': ONLY_ADMIN,
  'GET /admin/people/:id/edit': ONLY_ADMIN,
  'POST /admin/people/:id': ONLY_ADMIN,
  'POST /admin/people/:id/memberships': ONLY_ADMIN,
  'POST /admin/people/:id/memberships/:membershipId/remove': ONLY_ADMIN,
  'POST /admin/people/:id/deactivate': ONLY_ADMIN,
  'POST /admin/people/:id/activate': ONLY_ADMIN,
  'GET /directives': COMMITTEE,
  'GET /directives/new': DRAFTERS,
  'POST /directives/new': DRAFTERS,
  'POST /directives/preview': COMMITTEE,
  'GET /directives/:id': 'any',
  'GET /directives/:id/status': 'any',
  'GET /directives/:id/edit': DRAFTERS,
  'POST /directives/:id': DRAFTERS,
  'POST /directives/:id/submit': DRAFTERS,
  'POST /directives/:id/decide': COMMITTEE,
  'POST /directives/:id/withdraw': DRAFTERS,
  'POST /directives/:id/revoke': [COMMITTEE_SECRETARY],
  'GET /filings/echarts.min.js': 'any',
  'GET /filings/:id': 'any',
  'GET /filings/:id/status': 'any',
  'POST /filings/:id/review': COMMITTEE,
  'POST /filings/:id/extension': BRANCH,
  'POST /filings/:id/extension/decision': COMMITTEE,
  'GET /requirements/:id/filings': COMMITTEE,
  'GET /me/notifications': 'any',
  'POST /me/notifications': 'any',
  'GET /admin/orgs/:id/notifications': ONLY_ADMIN,
  'POST /admin/orgs/:id/notifications': ONLY_ADMIN,
  'GET /directives/:id/urges': COMMITTEE,
  'POST /directives/:id/urges': DRAFTERS,
  'GET /requirements/:id/urges': COMMITTEE,
  'POST /requirements/:id/urges': DRAFTERS,
  'GET /spot-checks/sw.js': 'public',
  'GET /spot-checks': [...ROUND_VIEWERS, ...BRANCH],
  'GET /spot-checks/new': [COMMITTEE_STAFF],
  'POST /spot-checks/new': [COMMITTEE_STAFF],
  'GET /spot-checks/:id': [...ROUND_VIEWERS, ...BRANCH],
  'GET /spot-checks/:id/status': [...ROUND_VIEWERS, ...BRANCH],
  'POST /spot-checks/:id/draw': [COMMITTEE_STAFF],
  'POST /spot-checks/:id/close': [COMMITTEE_STAFF],
  'GET /spot-checks/:id/rule.json': ROUND_VIEWERS,
  'GET /spot-checks/:id/orgs.json': ROUND_VIEWERS,
  'GET /spot-checks/:id/inspect': [INSPECTOR],
  'GET /reviews': [COMMITTEE_STAFF, COMMITTEE_SECRETARY],
  'GET /reviews/new': [COMMITTEE_STAFF],
  'POST /reviews/new': [COMMITTEE_STAFF],
  'GET /reviews/:id': [COMMITTEE_STAFF, COMMITTEE_SECRETARY],
  'GET /reviews/:id/status': [COMMITTEE_STAFF, COMMITTEE_SECRETARY],
  'GET /reviews/:id/edit': [COMMITTEE_STAFF],
  'POST /reviews/:id': [COMMITTEE_STAFF],
  'POST /reviews/:id/start': [COMMITTEE_STAFF],
  'POST /reviews/:id/publish': [COMMITTEE_SECRETARY],
  'GET /reviews/:id/ballot': [EVALUATOR],
  'POST /reviews/:id/ballot/draft': [EVALUATOR],
  'POST /reviews/:id/ballot': [EVALUATOR],
  'GET /accountability': DRAFTERS,
  'POST /accountability/cases/from-proposals': [COMMITTEE_STAFF],
  'POST /accountability/cases': [COMMITTEE_STAFF],
  'GET /accountability/cases/:id': 'any',
  'POST /accountability/cases/:id/talks': [COMMITTEE_STAFF],
  'POST /accountability/cases/:id/conclude': [COMMITTEE_STAFF],
  'POST /accountability/cases/:id/investigation': [COMMITTEE_STAFF],
  'POST /accountability/cases/:id/findings': [COMMITTEE_STAFF, COMMITTEE_SECRETARY, INSPECTOR],
  'POST /accountability/cases/:id/defence/ask': [COMMITTEE_STAFF],
  'POST /accountability/cases/:id/defence': BRANCH,
  'POST /accountability/cases/:id/decision': [COMMITTEE_SECRETARY],
  'POST /accountability/cases/:id/dismiss': [COMMITTEE_STAFF],
  'POST /accountability/cases/:id/appeal': BRANCH,
  'POST /accountability/cases/:id/appeal/answer': [COMMITTEE_SECRETARY],
  'POST /accountability/tasks/:taskId/carry-out': [COMMITTEE_STAFF],
  'POST /accountability/tasks/:taskId/acknowledge': BRANCH,
  'POST /accountability/tasks/:taskId/complete': BRANCH,
  'GET /accountability/sanctions': DRAFTERS,
  'POST /accountability/sanctions': [COMMITTEE_STAFF],
};

interface Route {
  key: string;
  required?: Permission[];
  access: Access;
}

/** Every handler of every *.controller.ts under apps/server/src, with what the AuthGuard asks of it (handler over class). */
function routes(): Route[] {
  const root = path.resolve(__dirname, '..');
  const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.controller.ts'));
  const reflector = new Reflector();
  const out: Route[] = [];
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- every controller file, found at run time so a new one is covered too
    const mod = require(path.join(root, file)) as Record<string, unknown>;
    for (const cls of Object.values(mod)) {
      if (typeof cls !== 'function' || Reflect.getMetadata(PATH_METADATA, cls) === undefined) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, cls));
      const proto = (cls as { prototype: Record<string, unknown> }).prototype;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const sub = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
        const key = `${RequestMethod[method]} /${[base, sub].filter((s) => s && s !== '/').join('/')}`;
        const targets = [handler as () => unknown, cls as new () => unknown];
        const required = reflector.getAllAndOverride<Permission[] | undefined>(PERMISSIONS, targets);
        const access: Access = reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)
          ? 'public'
          : reflector.getAllAndOverride<boolean>(NO_CAPACITY, targets)
            ? 'without-capacity'
            : required
              ? ROLES.filter((role) => hasEveryPermission(role, required))
              : 'any';
        out.push({ key, required, access });
      }
    }
  }
  return out;
}

describe('every controller route', () => {
  const found = routes();
  const byKey = new Map(found.map((r) => [r.key, r]));

  it('finds the controllers', () => {
    expect(found.length).toBeGreaterThan(100);
    expect(new Set(found.map((r) => r.key)).size).toBe(found.length);
  });

  it('has a row in the table, and the table no stale row', () => {
    expect(found.map((r) => r.key).filter((k) => !(k in ROUTES))).toEqual([]);
    expect(Object.keys(ROUTES).filter((k) => !byKey.has(k))).toEqual([]);
  });

  it.each(Object.entries(ROUTES))('%s is open to exactly the same capacities as before', (key, access) => {
    const route = byKey.get(key);
    expect(route?.access).toEqual(Array.isArray(access) ? sorted(access) : access);
  });

  it('names permissions, never an empty list', () => {
    for (const r of found) if (r.required) expect(r.required.length).toBeGreaterThan(0);
  });

  it.each(MENU.map((m) => [m.href, m.requires] as const))('the menu entry %s asks for what its page asks for', (href, requires) => {
    expect(byKey.get(`GET ${href}`)?.required).toEqual([requires]);
  });
});
