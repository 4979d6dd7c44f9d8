/**
 * Every endpoint × every role × own / other organisation: only the allowed calls succeed.
 * The route table is read from the running app, so an endpoint added without a row here fails the test.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DirectivesService } from '../../apps/server/src/directives/directives.service';
import { DocumentsService } from '../../apps/server/src/documents/documents.service';
import { importText } from '../../apps/server/src/documents/import';
import { FilesService } from '../../apps/server/src/files/files.service';
import { filingKey } from '../../apps/server/src/filings/filing-flow.service';
import { TemporalClientService } from '../../apps/server/src/temporal/temporal-client.service';
import { filingWorkflowId } from '../../workflows/filing/filing.definitions';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeBranch, makeCommittee, makePerson, ofDirective, PASSWORD } from '../support/factories';
import type { INestApplicationContext } from '@nestjs/common';
import { commendationRows } from '../support/commendation-authz';
import { ApiSession, startApp, startWorker } from '../support/test-app';
import { minimalPdf, receivedFile } from '../support/files';

type Who = 'admin' | 'secretary' | 'staff' | 'inspector' | 'evaluator' | 'branchSecretary' | 'branchStaff';
const ROLE_OF: Record<Who, Role> = {
  admin: Role.ADMIN,
  secretary: Role.COMMITTEE_SECRETARY,
  staff: Role.COMMITTEE_STAFF,
  inspector: Role.INSPECTOR,
  evaluator: Role.EVALUATOR,
  branchSecretary: Role.BRANCH_SECRETARY,
  branchStaff: Role.BRANCH_STAFF,
};
const EVERYONE = Object.keys(ROLE_OF) as Who[];

interface World {
  committee: string;
  branchA: string;
  branchB: string;
  otherCommittee: string;
  otherBranch: string;
  personInA: string;
  personInOther: string;
  membershipInA: string;
  membershipInOther: string;
  draftModel: Record<string, unknown>;
  chain: { reviewers: string[]; signerId: string };
  directive: string;
  otherDirective: string;
  newDirective: () => Promise<string>;
  receiptTask: string;
  otherReceiptTask: string;
  filing: string;
  otherFiling: string;
  requirement: string;
  otherRequirement: string;
  issuedDoc: string;
  otherIssuedDoc: string;
  newDraft: () => Promise<string>;
  /** An attachment uploaded by a person of branch A, and one uploaded in the other township's branch. */
  fileInA: string;
  otherFile: string;
  /** Spot checks: a drawn announced round over both branches (the inspector checks them), another township's, a fresh one to draw. */
  round: string;
  otherRound: string;
  newRound: () => Promise<string>;
  roundBody: () => Record<string, unknown>;
  unitA: string;
  /** A failed finding in branch A with a photo, already rectified (opening again is a 409). */
  findingA: string;
  otherFinding: string;
  photo: string;
  /** 述职评议: a draft round with branch A's secretary under review and the evaluator on the roster; another township's. */
  review: string;
  otherReview: string;
  newReview: () => Promise<string>;
  reviewBody: () => Record<string, unknown>;
  /**
   * 问责: a case under investigation about branch A's secretary (team: staff and inspector), a decided one with its
   * 决定书 served, one about branch A itself (no person) in execution, another township's; fresh cases in a given state.
   */
  accCase: string;
  accDecided: string;
  accOrgCase: string;
  accOtherCase: string;
  /** The 决定书 of the decided case, and of the other township's. */
  accDoc: string;
  accOtherDoc: string;
  newAccCase: (
    status: 'OPEN' | 'INVESTIGATING' | 'DEFENCE' | 'DELIBERATING' | 'EXECUTING',
    o?: { talk?: boolean; finding?: boolean; appeal?: boolean; document?: boolean },
  ) => Promise<string>;
  /** An open task of a case: the case officer's 组织调整, the person's receipt of the decision, the branch's 整改报告. */
  accTask: (step: 'carry-out' | 'acknowledge' | 'complete', other?: boolean) => Promise<string>;
  accProposal: (other?: boolean) => Promise<string>;
  staffId: string;
  inspectorId: string;
  branchSecretaryId: string;
}

/** A call against the caller's own scope and, where the route names a resource, against another township's. */
interface Row {
  method: string;
  route: string;
  allowed: Who[] | 'public';
  own: (w: World, prisma: PrismaService) => Promise<{ path: string; body?: unknown }>;
  other?: (w: World, prisma: PrismaService) => Promise<{ path: string; body?: unknown }>;
  /** Where an allowed caller still meets a business refusal (e.g. 409 from the workflow), the status expected per role. */
  expectFor?: (who: Who) => number;
}

let n = 0;
const fresh = () => `Z${Date.now().toString(36)}${n++}`;
const freshOrg = async (prisma: PrismaService, parentId: string) => (await makeBranch(prisma, parentId, OrgKind.VILLAGE)).id;
const freshPerson = async (prisma: PrismaService, orgId: string) => (await makePerson(prisma, [{ orgId, role: Role.BRANCH_STAFF }])).id;
const COMMITTEE_ROLES: Who[] = ['admin', 'secretary', 'staff', 'inspector', 'evaluator'];
const DRAFTERS: Who[] = ['secretary', 'staff'];
const BRANCH: Who[] = ['branchSecretary', 'branchStaff'];
const SEED_000 = fs.readFileSync(path.resolve(__dirname, '../fixtures/seeds/000_7e15f116e830c2af.txt'), 'utf8');
const csv = () => `code,name,kind\n${fresh()},中共测试${fresh()}支部委员会,村`;

const ROWS: Row[] = [
  { method: 'GET', route: '/api/health', allowed: 'public', own: async () => ({ path: '/api/health' }) },
  { method: 'GET', route: '/api/auth/csrf', allowed: 'public', own: async () => ({ path: '/api/auth/csrf' }) },
  { method: 'POST', route: '/api/auth/login', allowed: 'public', own: async () => ({ path: '/api/auth/login', body: { username: 'nobody', password: 'x' } }) },
  { method: 'GET', route: '/api/auth/me', allowed: EVERYONE, own: async () => ({ path: '/api/auth/me' }) },
  {
    method: 'POST',
    route: '/api/auth/capacity',
    allowed: EVERYONE,
    own: async () => ({ path: '/api/auth/capacity', body: { membershipId: '00000000-0000-4000-8000-000000000000' } }),
  },
  { method: 'POST', route: '/api/auth/logout', allowed: EVERYONE, own: async () => ({ path: '/api/auth/logout' }) },
  { method: 'GET', route: '/api/orgs', allowed: EVERYONE, own: async () => ({ path: '/api/orgs' }) },
  {
    method: 'GET',
    route: '/api/orgs/:id',
    allowed: EVERYONE,
    own: async (w) => ({ path: `/api/orgs/${w.branchA}` }),
    other: async (w) => ({ path: `/api/orgs/${w.otherBranch}` }),
  },
  {
    method: 'POST',
    route: '/api/orgs',
    allowed: ['admin'],
    own: async (w) => ({ path: '/api/orgs', body: { code: fresh(), name: '中共测试新村支部委员会', kind: 'VILLAGE', parentId: w.committee } }),
    other: async (w) => ({ path: '/api/orgs', body: { code: fresh(), name: '中共测试新村支部委员会', kind: 'VILLAGE', parentId: w.otherCommittee } }),
  },
  {
    method: 'PATCH',
    route: '/api/orgs/:id',
    allowed: ['admin'],
    own: async (w) => ({ path: `/api/orgs/${w.branchA}`, body: { shortName: '甲村' } }),
    other: async (w) => ({ path: `/api/orgs/${w.otherBranch}`, body: { shortName: '乙村' } }),
  },
  {
    method: 'POST',
    route: '/api/orgs/:id/deactivate',
    allowed: ['admin'],
    own: async (w, p) => ({ path: `/api/orgs/${await freshOrg(p, w.committee)}/deactivate` }),
    other: async (w) => ({ path: `/api/orgs/${w.otherBranch}/deactivate` }),
  },
  {
    method: 'POST',
    route: '/api/orgs/:id/activate',
    allowed: ['admin'],
    own: async (w, p) => ({ path: `/api/orgs/${await freshOrg(p, w.committee)}/activate` }),
    other: async (w) => ({ path: `/api/orgs/${w.otherBranch}/activate` }),
  },
  { method: 'POST', route: '/api/orgs/import', allowed: ['admin'], own: async () => ({ path: '/api/orgs/import', body: { csv: csv() } }) },
  { method: 'GET', route: '/api/people', allowed: EVERYONE, own: async () => ({ path: '/api/people' }) },
  {
    method: 'GET',
    route: '/api/people/export.csv',
    allowed: ['admin'],
    own: async (w) => ({ path: `/api/people/export.csv?orgId=${w.branchA}` }),
    other: async (w) => ({ path: `/api/people/export.csv?orgId=${w.otherBranch}` }),
  },
  {
    method: 'GET',
    route: '/api/people/:id',
    allowed: EVERYONE,
    own: async (w) => ({ path: `/api/people/${w.personInA}` }),
    other: async (w) => ({ path: `/api/people/${w.personInOther}` }),
  },
  {
    method: 'POST',
    route: '/api/people',
    allowed: ['admin'],
    own: async (w) => ({
      path: '/api/people',
      body: { username: fresh().toLowerCase(), name: '新人', password: 'Password-123', memberships: [{ orgId: w.branchA, role: 'BRANCH_STAFF' }] },
    }),
    other: async (w) => ({
      path: '/api/people',
      body: { username: fresh().toLowerCase(), name: '新人', password: 'Password-123', memberships: [{ orgId: w.otherBranch, role: 'BRANCH_STAFF' }] },
    }),
  },
  {
    method: 'PATCH',
    route: '/api/people/:id',
    allowed: ['admin'],
    own: async (w) => ({ path: `/api/people/${w.personInA}`, body: { phone: '13800000000' } }),
    other: async (w) => ({ path: `/api/people/${w.personInOther}`, body: { phone: '13800000000' } }),
  },
  {
    method: 'POST',
    route: '/api/people/:id/deactivate',
    allowed: ['admin'],
    own: async (w, p) => ({ path: `/api/people/${await freshPerson(p, w.branchA)}/deactivate` }),
    other: async (w) => ({ path: `/api/people/${w.personInOther}/deactivate` }),
  },
  {
    method: 'POST',
    route: '/api/people/:id/activate',
    allowed: ['admin'],
    own: async (w, p) => ({ path: `/api/people/${await freshPerson(p, w.branchA)}/activate` }),
    other: async (w) => ({ path: `/api/people/${w.personInOther}/activate` }),
  },
  {
    method: 'POST',
    route: '/api/people/:id/memberships',
    allowed: ['admin'],
    own: async (w) => ({ path: `/api/people/${w.personInA}/memberships`, body: { orgId: w.branchB, role: 'BRANCH_STAFF' } }),
    other: async (w) => ({ path: `/api/people/${w.personInOther}/memberships`, body: { orgId: w.otherBranch, role: 'BRANCH_STAFF' } }),
  },
  {
    method: 'POST',
    route: '/api/people/:id/memberships/:membershipId/remove',
    allowed: ['admin'],
    own: async (w, p) => {
      const m = await makePerson(p, [{ orgId: w.branchA, role: Role.BRANCH_STAFF }]);
      return { path: `/api/people/${m.id}/memberships/${m.memberships[0].id}/remove` };
    },
    other: async (w) => ({ path: `/api/people/${w.personInOther}/memberships/${w.membershipInOther}/remove` }),
  },
  {
    method: 'POST',
    route: '/api/people/import',
    allowed: ['admin'],
    own: async () => ({ path: '/api/people/import', body: { csv: 'username,name,orgCode,role\n' } }),
  },
  { method: 'GET', route: '/api/calendar/days/:day', allowed: EVERYONE, own: async () => ({ path: '/api/calendar/days/2017-05-27' }) },
  { method: 'GET', route: '/api/calendar/add-workdays', allowed: EVERYONE, own: async () => ({ path: '/api/calendar/add-workdays?from=2017-05-26&n=1' }) },
  { method: 'GET', route: '/api/calendar/overrides', allowed: EVERYONE, own: async () => ({ path: '/api/calendar/overrides' }) },
  {
    method: 'PUT',
    route: '/api/calendar/overrides/:day',
    allowed: ['admin'],
    own: async () => ({ path: '/api/calendar/overrides/2031-03-03', body: { kind: 'HOLIDAY', note: '本地休息' } }),
  },
  { method: 'DELETE', route: '/api/calendar/overrides/:day', allowed: ['admin'], own: async () => ({ path: '/api/calendar/overrides/2031-03-03' }) },
  { method: 'GET', route: '/api/audit', allowed: ['admin'], own: async () => ({ path: '/api/audit' }) },
  { method: 'GET', route: '/api/audit/verify', allowed: ['admin'], own: async () => ({ path: '/api/audit/verify' }) },
  {
    method: 'POST',
    route: '/api/documents/import-text',
    allowed: DRAFTERS,
    own: async () => ({ path: '/api/documents/import-text', body: { text: SEED_000 } }),
  },
  { method: 'POST', route: '/api/documents/preview', allowed: DRAFTERS, own: async (w) => ({ path: '/api/documents/preview', body: { model: w.draftModel } }) },
  {
    method: 'POST',
    route: '/api/documents/preview.pdf',
    allowed: DRAFTERS,
    own: async (w) => ({ path: '/api/documents/preview.pdf', body: { model: w.draftModel } }),
  },
  { method: 'POST', route: '/api/documents', allowed: DRAFTERS, own: async (w) => ({ path: '/api/documents', body: { model: w.draftModel } }) },
  {
    method: 'GET',
    route: '/api/documents/:id',
    allowed: COMMITTEE_ROLES,
    own: async (w) => ({ path: `/api/documents/${w.issuedDoc}` }),
    other: async (w) => ({ path: `/api/documents/${w.otherIssuedDoc}` }),
  },
  {
    method: 'PUT',
    route: '/api/documents/:id',
    allowed: DRAFTERS,
    own: async (w) => ({ path: `/api/documents/${await w.newDraft()}`, body: { model: w.draftModel } }),
    other: async (w) => ({ path: `/api/documents/${w.otherIssuedDoc}`, body: { model: w.draftModel } }),
  },
  {
    method: 'POST',
    route: '/api/documents/:id/sign',
    allowed: ['secretary'],
    own: async (w) => ({ path: `/api/documents/${await w.newDraft()}/sign` }),
    other: async (w) => ({ path: `/api/documents/${w.otherIssuedDoc}/sign` }),
  },
  {
    method: 'GET',
    route: '/api/documents/:id/pdf',
    allowed: COMMITTEE_ROLES,
    own: async (w) => ({ path: `/api/documents/${w.issuedDoc}/pdf` }),
    other: async (w) => ({ path: `/api/documents/${w.otherIssuedDoc}/pdf` }),
  },
  {
    method: 'GET',
    route: '/api/documents/:id/verify',
    allowed: COMMITTEE_ROLES,
    own: async (w) => ({ path: `/api/documents/${w.issuedDoc}/verify` }),
    other: async (w) => ({ path: `/api/documents/${w.otherIssuedDoc}/verify` }),
  },
  {
    method: 'GET',
    route: '/api/documents/:id/attachments/:seq',
    allowed: COMMITTEE_ROLES,
    own: async (w) => ({ path: `/api/documents/${w.issuedDoc}/attachments/1` }),
    other: async (w) => ({ path: `/api/documents/${w.otherIssuedDoc}/attachments/1` }),
  },
  {
    method: 'GET',
    route: '/api/documents/:id/ofd',
    allowed: COMMITTEE_ROLES,
    own: async (w) => ({ path: `/api/documents/${w.issuedDoc}/ofd` }),
    other: async (w) => ({ path: `/api/documents/${w.otherIssuedDoc}/ofd` }),
  },
  { method: 'GET', route: '/api/directives', allowed: COMMITTEE_ROLES, own: async () => ({ path: '/api/directives' }) },
  {
    method: 'POST',
    route: '/api/directives',
    allowed: DRAFTERS,
    own: async (w) => ({ path: '/api/directives', body: { model: w.draftModel, chain: w.chain, distribution: { mode: 'ALL' } } }),
  },
  {
    method: 'GET',
    route: '/api/directives/:id',
    allowed: COMMITTEE_ROLES,
    own: async (w) => ({ path: `/api/directives/${w.directive}` }),
    other: async (w) => ({ path: `/api/directives/${w.otherDirective}` }),
  },
  {
    method: 'PUT',
    route: '/api/directives/:id',
    allowed: ['staff'],
    own: async (w) => ({ path: `/api/directives/${await w.newDirective()}`, body: { model: w.draftModel } }),
    other: async (w) => ({ path: `/api/directives/${w.otherDirective}`, body: { model: w.draftModel } }),
  },
  {
    method: 'POST',
    route: '/api/directives/:id/submit',
    allowed: ['staff'],
    own: async (w) => ({ path: `/api/directives/${await w.newDirective()}/submit` }),
    other: async (w) => ({ path: `/api/directives/${w.otherDirective}/submit` }),
  },
  {
    method: 'POST',
    route: '/api/directives/:id/decisions',
    allowed: COMMITTEE_ROLES,
    expectFor: () => 409,
    own: async (w) => ({
      path: `/api/directives/${w.directive}/decisions`,
      body: { stepId: '00000000-0000-4000-8000-000000000000', decision: 'APPROVE', version: 1 },
    }),
    other: async (w) => ({
      path: `/api/directives/${w.otherDirective}/decisions`,
      body: { stepId: '00000000-0000-4000-8000-000000000000', decision: 'APPROVE', version: 1 },
    }),
  },
  {
    method: 'POST',
    route: '/api/directives/:id/withdraw',
    allowed: ['staff'],
    own: async (w) => ({ path: `/api/directives/${await w.newDirective()}/withdraw`, body: { reason: '撤回测试' } }),
    other: async (w) => ({ path: `/api/directives/${w.otherDirective}/withdraw`, body: { reason: '撤回测试' } }),
  },
  {
    method: 'POST',
    route: '/api/directives/:id/revoke',
    allowed: ['secretary'],
    expectFor: () => 409,
    own: async (w) => ({ path: `/api/directives/${w.directive}/revoke`, body: { reason: '废止测试' } }),
    other: async (w) => ({ path: `/api/directives/${w.otherDirective}/revoke`, body: { reason: '废止测试' } }),
  },
  {
    method: 'GET',
    route: '/api/directives/:id/receipts',
    allowed: COMMITTEE_ROLES,
    own: async (w) => ({ path: `/api/directives/${w.directive}/receipts` }),
    other: async (w) => ({ path: `/api/directives/${w.otherDirective}/receipts` }),
  },
  // 一键催办 (notifications): who has not acted and their urges (the directive's / table's readers); urging is the
  // drafters' (notification.urge), each call on a fresh directive or requirement with one branch still to act.
  {
    method: 'GET',
    route: '/api/directives/:id/urges',
    allowed: COMMITTEE_ROLES,
    own: async (w) => ({ path: `/api/directives/${w.directive}/urges` }),
    other: async (w) => ({ path: `/api/directives/${w.otherDirective}/urges` }),
  },
  {
    method: 'POST',
    route: '/api/directives/:id/urges',
    allowed: DRAFTERS,
    own: async (w, prisma) => {
      const d = await w.newDirective();
      await prisma.task.create({ data: { key: `urge-authz:${d}`, kind: 'RECEIPT', orgId: w.branchA, ...ofDirective(d), title: '签收：测试' } });
      return { path: `/api/directives/${d}/urges`, body: { all: true } };
    },
    other: async (w) => ({ path: `/api/directives/${w.otherDirective}/urges`, body: { all: true } }),
  },
  {
    method: 'GET',
    route: '/api/requirements/:id/urges',
    allowed: COMMITTEE_ROLES,
    own: async (w) => ({ path: `/api/requirements/${w.requirement}/urges` }),
    other: async (w) => ({ path: `/api/requirements/${w.otherRequirement}/urges` }),
  },
  {
    method: 'POST',
    route: '/api/requirements/:id/urges',
    allowed: DRAFTERS,
    own: async (w, prisma) => {
      const d = await w.newDirective();
      const req = await prisma.requirement.create({
        data: { directiveId: d, orgId: w.committee, title: '情况报告', form: {}, deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 },
      });
      const task = await prisma.task.create({
        data: { key: `urge-authz-filing:${req.id}`, kind: 'FILING', orgId: w.branchA, ...ofDirective(d), title: '填报：情况报告' },
      });
      await prisma.filing.create({ data: { requirementId: req.id, orgId: w.branchA, taskId: task.id, deadlineAt: new Date(Date.now() + 86400_000) } });
      return { path: `/api/requirements/${req.id}/urges`, body: { all: true } };
    },
    other: async (w) => ({ path: `/api/requirements/${w.otherRequirement}/urges`, body: { all: true } }),
  },
  { method: 'GET', route: '/api/inbox', allowed: EVERYONE, own: async () => ({ path: '/api/inbox' }) },
  { method: 'GET', route: '/api/inbox/counts', allowed: EVERYONE, own: async () => ({ path: '/api/inbox/counts' }) },
  { method: 'GET', route: '/api/inbox/notifications', allowed: EVERYONE, own: async () => ({ path: '/api/inbox/notifications' }) },
  // The inbox's directive filter: the directives the caller has tasks for (scope as the inbox).
  { method: 'GET', route: '/api/inbox/directives', allowed: EVERYONE, own: async () => ({ path: '/api/inbox/directives' }) },
  {
    method: 'POST',
    route: '/api/inbox/:taskId/acknowledge',
    allowed: ['branchSecretary', 'branchStaff'],
    expectFor: () => 409,
    own: async (w) => ({ path: `/api/inbox/${w.receiptTask}/acknowledge` }),
    other: async (w) => ({ path: `/api/inbox/${w.otherReceiptTask}/acknowledge` }),
  },
  {
    method: 'GET',
    route: '/api/filings/:id',
    allowed: EVERYONE,
    own: async (w) => ({ path: `/api/filings/${w.filing}` }),
    other: async (w) => ({ path: `/api/filings/${w.otherFiling}` }),
  },
  {
    method: 'PUT',
    route: '/api/filings/:id/draft',
    allowed: BRANCH,
    own: async (w) => ({ path: `/api/filings/${w.filing}/draft`, body: { values: { note: '草稿' } } }),
    other: async (w) => ({ path: `/api/filings/${w.otherFiling}/draft`, body: { values: { note: '草稿' } } }),
  },
  {
    method: 'POST',
    route: '/api/filings/:id/submit',
    allowed: BRANCH,
    expectFor: () => 409,
    own: async (w) => ({ path: `/api/filings/${w.filing}/submit`, body: { values: { note: '完成' } } }),
    other: async (w) => ({ path: `/api/filings/${w.otherFiling}/submit`, body: { values: { note: '完成' } } }),
  },
  {
    method: 'POST',
    route: '/api/filings/:id/review',
    allowed: DRAFTERS,
    expectFor: () => 409,
    own: async (w) => ({ path: `/api/filings/${w.filing}/review`, body: { decision: 'ACCEPT' } }),
    other: async (w) => ({ path: `/api/filings/${w.otherFiling}/review`, body: { decision: 'ACCEPT' } }),
  },
  {
    method: 'POST',
    route: '/api/filings/:id/extension',
    allowed: BRANCH,
    expectFor: () => 409,
    own: async (w) => ({ path: `/api/filings/${w.filing}/extension`, body: { until: '2031-01-01T00:00:00Z', reason: '换届' } }),
    other: async (w) => ({ path: `/api/filings/${w.otherFiling}/extension`, body: { until: '2031-01-01T00:00:00Z', reason: '换届' } }),
  },
  {
    method: 'POST',
    route: '/api/filings/:id/extension/decision',
    allowed: DRAFTERS,
    expectFor: () => 409,
    own: async (w) => ({ path: `/api/filings/${w.filing}/extension/decision`, body: { grant: true } }),
    other: async (w) => ({ path: `/api/filings/${w.otherFiling}/extension/decision`, body: { grant: true } }),
  },
  {
    method: 'GET',
    route: '/api/requirements/:id/filings',
    allowed: COMMITTEE_ROLES,
    own: async (w) => ({ path: `/api/requirements/${w.requirement}/filings` }),
    other: async (w) => ({ path: `/api/requirements/${w.otherRequirement}/filings` }),
  },
  // The committee's exports of a requirement: same scope as the table.
  {
    method: 'GET',
    route: '/api/requirements/:id/filings.xlsx',
    allowed: COMMITTEE_ROLES,
    own: async (w) => ({ path: `/api/requirements/${w.requirement}/filings.xlsx` }),
    other: async (w) => ({ path: `/api/requirements/${w.otherRequirement}/filings.xlsx` }),
  },
  {
    method: 'GET',
    route: '/api/requirements/:id/filings.pdf',
    allowed: COMMITTEE_ROLES,
    own: async (w) => ({ path: `/api/requirements/${w.requirement}/filings.pdf` }),
    other: async (w) => ({ path: `/api/requirements/${w.otherRequirement}/filings.pdf` }),
  },
  { method: 'POST', route: '/api/files', allowed: EVERYONE, expectFor: () => 400, own: async () => ({ path: '/api/files', body: {} }) },
  // An attachment opens for the uploader's branch and the committee's readers (not the administrator or an evaluator).
  {
    method: 'GET',
    route: '/api/files/:id',
    allowed: ['secretary', 'staff', 'inspector', 'branchSecretary', 'branchStaff'],
    own: async (w) => ({ path: `/api/files/${w.fileInA}` }),
    other: async (w) => ({ path: `/api/files/${w.otherFile}` }),
  },
  // Spot checks: the committee manages, the assigned inspector records, a checked branch sees its own units only.
  { method: 'POST', route: '/api/spot-checks', allowed: ['staff'], own: async (w) => ({ path: '/api/spot-checks', body: w.roundBody() }) },
  { method: 'GET', route: '/api/spot-checks', allowed: EVERYONE, own: async () => ({ path: '/api/spot-checks' }) },
  {
    method: 'GET',
    route: '/api/spot-checks/:id',
    allowed: ['admin', 'secretary', 'staff', 'inspector', 'branchSecretary', 'branchStaff'],
    own: async (w) => ({ path: `/api/spot-checks/${w.round}` }),
    other: async (w) => ({ path: `/api/spot-checks/${w.otherRound}` }),
  },
  {
    method: 'POST',
    route: '/api/spot-checks/:id/draw',
    allowed: ['staff'],
    own: async (w) => ({ path: `/api/spot-checks/${await w.newRound()}/draw`, body: { seed: 'auth-test' } }),
    other: async (w) => ({ path: `/api/spot-checks/${w.otherRound}/draw`, body: {} }),
  },
  {
    method: 'GET',
    route: '/api/spot-checks/:id/sample',
    allowed: ['admin', 'secretary', 'staff', 'inspector'],
    expectFor: () => 409, // the round was made without a stored draw
    own: async (w) => ({ path: `/api/spot-checks/${w.round}/sample` }),
    other: async (w) => ({ path: `/api/spot-checks/${w.otherRound}/sample` }),
  },
  {
    method: 'POST',
    route: '/api/spot-checks/:id/close',
    allowed: ['staff'],
    expectFor: () => 409, // not drawn yet
    own: async (w) => ({ path: `/api/spot-checks/${await w.newRound()}/close` }),
    other: async (w) => ({ path: `/api/spot-checks/${w.otherRound}/close` }),
  },
  {
    method: 'POST',
    route: '/api/spot-checks/:id/findings',
    allowed: ['inspector'],
    own: async (w) => ({
      path: `/api/spot-checks/${w.round}/findings`,
      body: { clientId: randomUUID(), unitId: w.unitA, itemKey: 'i2', passed: true, recordedAt: new Date().toISOString() },
    }),
    other: async (w) => ({
      path: `/api/spot-checks/${w.otherRound}/findings`,
      body: { clientId: randomUUID(), unitId: w.unitA, itemKey: 'i2', passed: true, recordedAt: new Date().toISOString() },
    }),
  },
  {
    method: 'POST',
    route: '/api/spot-checks/findings/:findingId/rectification',
    allowed: ['staff', 'inspector'],
    expectFor: () => 409,
    own: async (w) => ({ path: `/api/spot-checks/findings/${w.findingA}/rectification`, body: {} }),
    other: async (w) => ({ path: `/api/spot-checks/findings/${w.otherFinding}/rectification`, body: {} }),
  },
  {
    method: 'GET',
    route: '/api/spot-checks/findings/:findingId/photos/:sha256',
    allowed: ['admin', 'secretary', 'staff', 'inspector', 'branchSecretary', 'branchStaff'],
    own: async (w) => ({ path: `/api/spot-checks/findings/${w.findingA}/photos/${w.photo}` }),
    other: async (w) => ({ path: `/api/spot-checks/findings/${w.otherFinding}/photos/${w.photo}` }),
  },
  {
    method: 'GET',
    route: '/api/spot-checks/:id/report',
    allowed: ['admin', 'secretary', 'staff', 'inspector'],
    own: async (w) => ({ path: `/api/spot-checks/${w.round}/report` }),
    other: async (w) => ({ path: `/api/spot-checks/${w.otherRound}/report` }),
  },
  {
    method: 'GET',
    route: '/api/spot-checks/:id/report.pdf',
    allowed: ['admin', 'secretary', 'staff', 'inspector'],
    own: async (w) => ({ path: `/api/spot-checks/${w.round}/report.pdf` }),
    other: async (w) => ({ path: `/api/spot-checks/${w.otherRound}/report.pdf` }),
  },
  // 述职评议: 党建办 sets up and starts, the party secretary publishes, both follow; only a rater on the roster scores.
  { method: 'GET', route: '/api/reviews', allowed: ['secretary', 'staff'], own: async () => ({ path: '/api/reviews' }) },
  { method: 'GET', route: '/api/reviews/defaults', allowed: ['staff'], own: async () => ({ path: '/api/reviews/defaults' }) },
  { method: 'POST', route: '/api/reviews', allowed: ['staff'], own: async (w) => ({ path: '/api/reviews', body: w.reviewBody() }) },
  {
    method: 'GET',
    route: '/api/reviews/:id',
    allowed: ['secretary', 'staff'],
    own: async (w) => ({ path: `/api/reviews/${w.review}` }),
    other: async (w) => ({ path: `/api/reviews/${w.otherReview}` }),
  },
  {
    method: 'PUT',
    route: '/api/reviews/:id',
    allowed: ['staff'],
    own: async (w) => ({ path: `/api/reviews/${await w.newReview()}`, body: w.reviewBody() }),
    other: async (w) => ({ path: `/api/reviews/${w.otherReview}`, body: w.reviewBody() }),
  },
  {
    method: 'POST',
    route: '/api/reviews/:id/start',
    allowed: ['staff'],
    own: async (w) => ({ path: `/api/reviews/${await w.newReview()}/start` }),
    other: async (w) => ({ path: `/api/reviews/${w.otherReview}/start` }),
  },
  {
    method: 'GET',
    route: '/api/reviews/:id/daily',
    allowed: ['secretary', 'staff'],
    own: async (w) => ({ path: `/api/reviews/${w.review}/daily` }),
    other: async (w) => ({ path: `/api/reviews/${w.otherReview}/daily` }),
  },
  // Before scoring closes nobody sees results: 409 even to those who may read them.
  ...['results', 'results.xlsx', 'ballots.json'].map((what): Row => ({
    method: 'GET',
    route: `/api/reviews/:id/${what}`,
    allowed: ['secretary', 'staff'],
    expectFor: () => 409,
    own: async (w) => ({ path: `/api/reviews/${w.review}/${what}` }),
    other: async (w) => ({ path: `/api/reviews/${w.otherReview}/${what}` }),
  })),
  {
    method: 'POST',
    route: '/api/reviews/:id/publish',
    allowed: ['secretary'],
    expectFor: () => 409,
    own: async (w) => ({ path: `/api/reviews/${w.review}/publish` }),
    other: async (w) => ({ path: `/api/reviews/${w.otherReview}/publish` }),
  },
  {
    method: 'GET',
    route: '/api/reviews/:id/ballot',
    allowed: ['evaluator'],
    own: async (w) => ({ path: `/api/reviews/${w.review}/ballot` }),
    other: async (w) => ({ path: `/api/reviews/${w.otherReview}/ballot` }),
  },
  // Scoring has not opened on the draft round: the rater is told so.
  ...(['PUT /draft', 'POST '] as const).map((m): Row => ({
    method: m.split(' ')[0],
    route: `/api/reviews/:id/ballot${m.split(' ')[1]}`,
    allowed: ['evaluator'],
    expectFor: () => 409,
    own: async (w) => ({ path: `/api/reviews/${w.review}/ballot${m.split(' ')[1]}`, body: { entries: [] } }),
    other: async (w) => ({ path: `/api/reviews/${w.otherReview}/ballot${m.split(' ')[1]}`, body: { entries: [] } }),
  })),
  {
    method: 'GET',
    route: '/api/reviews/:id/ballot/files/:sha256',
    allowed: ['evaluator'],
    expectFor: () => 404,
    own: async (w) => ({ path: `/api/reviews/${w.review}/ballot/files/${w.photo}` }),
    other: async (w) => ({ path: `/api/reviews/${w.otherReview}/ballot/files/${w.photo}` }),
  },
  // 问责: 党建办 opens and prepares a case, the investigation team records findings, the party secretary decides and answers
  // appeals; the person concerned (not a colleague of the branch) states their case, signs for the decision and appeals;
  // the branch files what the measure asks of it. Another township's cases are invisible.
  { method: 'GET', route: '/api/accountability/proposals', allowed: ['secretary', 'staff'], own: async () => ({ path: '/api/accountability/proposals' }) },
  { method: 'GET', route: '/api/accountability/cases', allowed: ['secretary', 'staff'], own: async () => ({ path: '/api/accountability/cases' }) },
  {
    method: 'POST',
    route: '/api/accountability/cases',
    allowed: ['staff'],
    own: async (w) => ({
      path: '/api/accountability/cases',
      body: { orgId: w.branchA, personId: w.branchSecretaryId, title: '权限测试：违反十不准', evidence: [{ title: '群众来信' }] },
    }),
  },
  {
    method: 'POST',
    route: '/api/accountability/cases/from-proposals',
    allowed: ['staff'],
    own: async (w) => ({ path: '/api/accountability/cases/from-proposals', body: { proposalIds: [await w.accProposal()] } }),
    other: async (w) => ({ path: '/api/accountability/cases/from-proposals', body: { proposalIds: [await w.accProposal(true)] } }),
  },
  // The committee's readers, the investigation team (the inspector is on it), and the branch concerned.
  {
    method: 'GET',
    route: '/api/accountability/cases/:id',
    allowed: ['secretary', 'staff', 'inspector', 'branchSecretary', 'branchStaff'],
    own: async (w) => ({ path: `/api/accountability/cases/${w.accCase}` }),
    other: async (w) => ({ path: `/api/accountability/cases/${w.accOtherCase}` }),
  },
  {
    method: 'POST',
    route: '/api/accountability/cases/:id/talks',
    allowed: ['staff'],
    own: async (w) => ({
      path: `/api/accountability/cases/${w.accCase}/talks`,
      body: { kind: '约谈', heldAt: new Date().toISOString(), talkerIds: [w.staffId], minutes: '约谈该同志，指出逾期问题。' },
    }),
    other: async (w) => ({
      path: `/api/accountability/cases/${w.accOtherCase}/talks`,
      body: { kind: '约谈', heldAt: new Date().toISOString(), talkerIds: [w.staffId], minutes: '约谈该同志，指出逾期问题。' },
    }),
  },
  {
    method: 'POST',
    route: '/api/accountability/cases/:id/conclude',
    allowed: ['staff'],
    own: async (w) => ({ path: `/api/accountability/cases/${await w.newAccCase('OPEN', { talk: true })}/conclude`, body: { reason: '经约谈已整改' } }),
    other: async (w) => ({ path: `/api/accountability/cases/${w.accOtherCase}/conclude`, body: { reason: '经约谈已整改' } }),
  },
  {
    method: 'POST',
    route: '/api/accountability/cases/:id/investigation',
    allowed: ['staff'],
    own: async (w) => ({
      path: `/api/accountability/cases/${await w.newAccCase('OPEN')}/investigation`,
      body: { investigatorIds: [w.staffId, w.inspectorId] },
    }),
    other: async (w) => ({ path: `/api/accountability/cases/${w.accOtherCase}/investigation`, body: { investigatorIds: [w.staffId, w.inspectorId] } }),
  },
  // Only the team: the party secretary may investigate, but is not on this case's team (403).
  {
    method: 'POST',
    route: '/api/accountability/cases/:id/findings',
    allowed: ['staff', 'inspector'],
    own: async (w) => ({ path: `/api/accountability/cases/${w.accCase}/findings`, body: { text: '经查，该支部逾期 12 天未报送年度工作计划。' } }),
    other: async (w) => ({ path: `/api/accountability/cases/${w.accOtherCase}/findings`, body: { text: '经查属实。' } }),
  },
  {
    method: 'POST',
    route: '/api/accountability/cases/:id/defence/ask',
    allowed: ['staff'],
    own: async (w) => ({ path: `/api/accountability/cases/${await w.newAccCase('INVESTIGATING', { finding: true })}/defence/ask`, body: { workdays: 5 } }),
    other: async (w) => ({ path: `/api/accountability/cases/${w.accOtherCase}/defence/ask`, body: { workdays: 5 } }),
  },
  // The person concerned only: the branch's other member is refused (403).
  {
    method: 'POST',
    route: '/api/accountability/cases/:id/defence',
    allowed: ['branchSecretary'],
    own: async (w) => ({ path: `/api/accountability/cases/${await w.newAccCase('DEFENCE')}/defence`, body: { statement: '因换届延误，本人负有责任。' } }),
    other: async (w) => ({ path: `/api/accountability/cases/${w.accOtherCase}/defence`, body: { statement: '因换届延误。' } }),
  },
  {
    method: 'POST',
    route: '/api/accountability/cases/:id/decision',
    allowed: ['secretary'],
    own: async (w) => ({
      path: `/api/accountability/cases/${await w.newAccCase('DELIBERATING')}/decision`,
      body: { meeting: { name: '乡党委第1次委员会会议', heldOn: '2026-01-05' }, outcome: 'NONE', grounds: '逾期系村委换届所致，已及时补报' },
    }),
    other: async (w) => ({
      path: `/api/accountability/cases/${w.accOtherCase}/decision`,
      body: { meeting: { name: '乡党委第1次委员会会议', heldOn: '2026-01-05' }, outcome: 'NONE', grounds: '不予问责' },
    }),
  },
  {
    method: 'POST',
    route: '/api/accountability/cases/:id/dismiss',
    allowed: ['staff'],
    own: async (w) => ({ path: `/api/accountability/cases/${await w.newAccCase('OPEN')}/dismiss`, body: { reason: '反映问题不属实' } }),
    other: async (w) => ({ path: `/api/accountability/cases/${w.accOtherCase}/dismiss`, body: { reason: '反映问题不属实' } }),
  },
  {
    method: 'POST',
    route: '/api/accountability/cases/:id/appeal',
    allowed: ['branchSecretary'],
    own: async (w) => ({ path: `/api/accountability/cases/${await w.newAccCase('EXECUTING', { document: true })}/appeal`, body: { reason: '处理过重' } }),
    other: async (w) => ({ path: `/api/accountability/cases/${w.accOtherCase}/appeal`, body: { reason: '处理过重' } }),
  },
  {
    method: 'POST',
    route: '/api/accountability/cases/:id/appeal/answer',
    allowed: ['secretary'],
    own: async (w) => ({
      path: `/api/accountability/cases/${await w.newAccCase('EXECUTING', { document: true, appeal: true })}/appeal/answer`,
      body: { outcome: '维持', answer: '申诉理由不成立。' },
    }),
    other: async (w) => ({ path: `/api/accountability/cases/${w.accOtherCase}/appeal/answer`, body: { outcome: '维持', answer: '申诉理由不成立。' } }),
  },
  {
    method: 'GET',
    route: '/api/accountability/cases/:id/documents/:documentId/pdf',
    allowed: ['secretary', 'staff', 'inspector', 'branchSecretary', 'branchStaff'],
    own: async (w) => ({ path: `/api/accountability/cases/${w.accDecided}/documents/${w.accDoc}/pdf` }),
    other: async (w) => ({ path: `/api/accountability/cases/${w.accOtherCase}/documents/${w.accOtherDoc}/pdf` }),
  },
  {
    method: 'POST',
    route: '/api/accountability/tasks/:taskId/carry-out',
    allowed: ['staff'],
    own: async (w) => ({ path: `/api/accountability/tasks/${await w.accTask('carry-out')}/carry-out`, body: { note: '已免去其职务并报备' } }),
    other: async (w) => ({ path: `/api/accountability/tasks/${await w.accTask('carry-out', true)}/carry-out`, body: { note: '已报备' } }),
  },
  // The person's own receipt: the branch's other member is refused (403).
  {
    method: 'POST',
    route: '/api/accountability/tasks/:taskId/acknowledge',
    allowed: ['branchSecretary'],
    own: async (w) => ({ path: `/api/accountability/tasks/${await w.accTask('acknowledge')}/acknowledge` }),
    other: async (w) => ({ path: `/api/accountability/tasks/${await w.accTask('acknowledge', true)}/acknowledge` }),
  },
  // The branch's 整改报告 when the branch itself is concerned: anyone acting for it.
  {
    method: 'POST',
    route: '/api/accountability/tasks/:taskId/complete',
    allowed: BRANCH,
    own: async (w) => ({ path: `/api/accountability/tasks/${await w.accTask('complete')}/complete`, body: { note: '整改报告已报送' } }),
    other: async (w) => ({ path: `/api/accountability/tasks/${await w.accTask('complete', true)}/complete`, body: { note: '整改报告已报送' } }),
  },
  {
    method: 'GET',
    route: '/api/accountability/people/:personId/influence',
    allowed: ['secretary', 'staff'],
    own: async (w) => ({ path: `/api/accountability/people/${w.branchSecretaryId}/influence` }),
    other: async (w) => ({ path: `/api/accountability/people/${w.personInOther}/influence` }),
  },
  // 党纪处分: the case officer registers one the 纪委 decided; the committee reads them. Another township's person: 404.
  { method: 'GET', route: '/api/accountability/sanctions', allowed: ['secretary', 'staff'], own: async () => ({ path: '/api/accountability/sanctions' }) },
  {
    method: 'POST',
    route: '/api/accountability/sanctions',
    allowed: ['staff'],
    own: async (w, prisma) => ({
      path: '/api/accountability/sanctions',
      body: { personId: await freshPerson(prisma, w.branchA), orgId: w.branchA, kind: '警告', effectiveOn: '2026-01-05', reference: '权限测试纪发〔2026〕1号' },
    }),
    other: async (w) => ({
      path: '/api/accountability/sanctions',
      body: { personId: w.personInOther, orgId: w.otherBranch, kind: '警告', effectiveOn: '2026-01-05', reference: '权限测试纪发〔2026〕2号' },
    }),
  },
  {
    method: 'POST',
    route: '/api/system/ping',
    allowed: ['admin'],
    own: async () => ({ path: '/api/system/ping', body: { message: '权限测试', ackTimeoutMs: 0 } }),
  },
  { method: 'GET', route: '/api/system/health', allowed: ['admin'], own: async () => ({ path: '/api/system/health' }) },
  // 签名证书与印章: the administrator, for organs in scope; an upload without a file is refused (400) before anything changes.
  { method: 'GET', route: '/api/admin/signing-identities', allowed: ['admin'], own: async () => ({ path: '/api/admin/signing-identities' }) },
  {
    method: 'GET',
    route: '/api/admin/signing-identities/:orgId',
    allowed: ['admin'],
    own: async (w) => ({ path: `/api/admin/signing-identities/${w.committee}` }),
    other: async (w) => ({ path: `/api/admin/signing-identities/${w.otherCommittee}` }),
  },
  {
    method: 'PUT',
    route: '/api/admin/signing-identities/:orgId',
    allowed: ['admin'],
    own: async (w) => ({ path: `/api/admin/signing-identities/${w.committee}`, body: { password: 'x' } }),
    other: async (w) => ({ path: `/api/admin/signing-identities/${w.otherCommittee}`, body: { password: 'x' } }),
    expectFor: () => 400,
  },
  {
    method: 'POST',
    route: '/api/admin/signing-identities/:orgId/self-signed',
    allowed: ['admin'],
    own: async (w) => ({ path: `/api/admin/signing-identities/${w.committee}/self-signed` }),
    other: async (w) => ({ path: `/api/admin/signing-identities/${w.otherCommittee}/self-signed` }),
  },
  // 年度综合情况: the committee's staff and secretary over their township (another's is a 404); a branch its own
  // organisation and people (another branch's a 403).
  { method: 'GET', route: '/api/overview', allowed: ['secretary', 'staff', 'branchSecretary', 'branchStaff'], own: async () => ({ path: '/api/overview' }) },
  {
    method: 'GET',
    route: '/api/overview/orgs/:orgId',
    allowed: ['secretary', 'staff', 'branchSecretary', 'branchStaff'],
    own: async (w) => ({ path: `/api/overview/orgs/${w.branchA}` }),
    other: async (w) => ({ path: `/api/overview/orgs/${w.otherBranch}` }),
  },
  {
    method: 'GET',
    route: '/api/overview/people/:personId',
    allowed: ['secretary', 'staff', 'branchSecretary', 'branchStaff'],
    own: async (w) => ({ path: `/api/overview/people/${w.personInA}` }),
    other: async (w) => ({ path: `/api/overview/people/${w.personInOther}` }),
  },
  ...commendationRows(),
];

// Page routes: the same guard protects them; they are checked for anonymous access and admin-only pages.
const PAGE_ROUTES = new Set([
  'GET /',
  'GET /login',
  'POST /login',
  'GET /capacity',
  'POST /capacity',
  'POST /logout',
  'GET /inbox',
  'GET /admin/orgs',
  'GET /admin/orgs/new',
  'POST /admin/orgs',
  'GET /admin/orgs/:id/edit',
  'POST /admin/orgs/:id',
  'POST /admin/orgs/:id/deactivate',
  'POST /admin/orgs/:id/activate',
  'POST /admin/orgs/import',
  'GET /admin/calendar',
  'POST /admin/calendar',
  'POST /admin/calendar/:day/delete',
  'GET /admin/people',
  'GET /admin/people/new',
  'POST /admin/people',
  'GET /admin/people/:id/edit',
  'POST /admin/people/:id',
  'POST /admin/people/:id/memberships',
  'POST /admin/people/:id/memberships/:membershipId/remove',
  'POST /admin/people/:id/deactivate',
  'POST /admin/people/:id/activate',
  'POST /admin/people/import',
  'GET /admin/signing',
  'GET /admin/signing/:orgId',
  'POST /admin/signing/:orgId',
  'POST /admin/signing/:orgId/self-signed',
  'POST /inbox/:taskId/acknowledge',
  'GET /received',
  'GET /me/notifications',
  'POST /me/notifications',
  'GET /admin/orgs/:id/notifications',
  'POST /admin/orgs/:id/notifications',
  'GET /directives/:id/urges',
  'POST /directives/:id/urges',
  'GET /requirements/:id/urges',
  'POST /requirements/:id/urges',
  'GET /directives',
  'GET /directives/new',
  'POST /directives/new',
  'POST /directives/preview',
  'GET /directives/:id',
  'GET /directives/:id/status',
  'GET /directives/:id/edit',
  'POST /directives/:id',
  'POST /directives/:id/submit',
  'POST /directives/:id/decide',
  'POST /directives/:id/withdraw',
  'POST /directives/:id/revoke',
  'GET /filings/echarts.min.js',
  'GET /filings/:id',
  'GET /filings/:id/status',
  'POST /filings/:id/review',
  'POST /filings/:id/extension',
  'POST /filings/:id/extension/decision',
  'GET /requirements/:id/filings',
  'GET /spot-checks/sw.js',
  'GET /spot-checks',
  'GET /spot-checks/new',
  'POST /spot-checks/new',
  'GET /spot-checks/:id',
  'GET /spot-checks/:id/status',
  'POST /spot-checks/:id/draw',
  'POST /spot-checks/:id/close',
  'GET /spot-checks/:id/rule.json',
  'GET /spot-checks/:id/orgs.json',
  'GET /spot-checks/:id/inspect',
  'GET /overview',
  'GET /overview.xlsx',
  'GET /overview/orgs/:orgId',
  'GET /overview/orgs/:orgId/overview.xlsx',
  'GET /overview/people/:personId',
  'GET /overview/people/:personId/overview.xlsx',
  'GET /commendations/notices',
  'POST /commendations/notices/objection',
  'GET /commendations',
  'GET /commendations/new',
  'POST /commendations/new',
  'GET /commendations/:id',
  'GET /commendations/:id/status',
  'POST /commendations/:id/start',
  'POST /commendations/:id/nominations',
  'POST /commendations/:id/ranking',
  'POST /commendations/:id/approval',
  'POST /commendations/:id/notice',
  'POST /commendations/:id/objections',
  'POST /commendations/:id/objections/:objectionId/resolve',
  'POST /commendations/:id/objections/:objectionId/told',
  'POST /commendations/:id/decision',
  'GET /reviews',
  'GET /reviews/new',
  'POST /reviews/new',
  'GET /reviews/:id',
  'GET /reviews/:id/status',
  'GET /reviews/:id/edit',
  'POST /reviews/:id',
  'POST /reviews/:id/start',
  'POST /reviews/:id/publish',
  'GET /reviews/:id/ballot',
  'POST /reviews/:id/ballot/draft',
  'POST /reviews/:id/ballot',
  'GET /accountability',
  'POST /accountability/cases/from-proposals',
  'POST /accountability/cases',
  'GET /accountability/cases/:id',
  'POST /accountability/cases/:id/talks',
  'POST /accountability/cases/:id/conclude',
  'POST /accountability/cases/:id/investigation',
  'POST /accountability/cases/:id/findings',
  'POST /accountability/cases/:id/defence/ask',
  'POST /accountability/cases/:id/defence',
  'POST /accountability/cases/:id/decision',
  'POST /accountability/cases/:id/dismiss',
  'POST /accountability/cases/:id/appeal',
  'POST /accountability/cases/:id/appeal/answer',
  'POST /accountability/tasks/:taskId/carry-out',
  'POST /accountability/tasks/:taskId/acknowledge',
  'POST /accountability/tasks/:taskId/complete',
  'GET /accountability/sanctions',
  'POST /accountability/sanctions',
]);

/**
 * Every page a person opens (GET), × every role × own / other township: the roles that get the page, and for a page
 * naming a record, the other township's record refused. A GET page route missing here fails the test.
 */
interface PageRow {
  route: string;
  allowed: Who[];
  own: (w: World, prisma: PrismaService) => Promise<string>;
  other?: (w: World, prisma: PrismaService) => Promise<string>;
  /** Where an allowed caller passes the check and meets a business refusal instead of the page (e.g. 409). */
  reached?: number;
}
const commendationPage = commendationRows().find((r) => r.method === 'GET' && r.route === '/api/commendations/:id') as Row;
const page = (p: Promise<{ path: string }>) => p.then((r) => r.path.replace(/^\/api/, ''));
const PAGE_ROWS: PageRow[] = [
  { route: '/capacity', allowed: EVERYONE, own: async () => '/capacity' },
  { route: '/inbox', allowed: EVERYONE, own: async () => '/inbox' },
  { route: '/received', allowed: BRANCH, own: async () => '/received' },
  { route: '/admin/orgs', allowed: ['admin'], own: async () => '/admin/orgs' },
  { route: '/admin/orgs/new', allowed: ['admin'], own: async () => '/admin/orgs/new' },
  {
    route: '/admin/orgs/:id/edit',
    allowed: ['admin'],
    own: async (w) => `/admin/orgs/${w.branchA}/edit`,
    other: async (w) => `/admin/orgs/${w.otherBranch}/edit`,
  },
  { route: '/admin/calendar', allowed: ['admin'], own: async () => '/admin/calendar' },
  { route: '/admin/people', allowed: ['admin'], own: async () => '/admin/people' },
  { route: '/admin/people/new', allowed: ['admin'], own: async () => '/admin/people/new' },
  {
    route: '/admin/people/:id/edit',
    allowed: ['admin'],
    own: async (w) => `/admin/people/${w.personInA}/edit`,
    other: async (w) => `/admin/people/${w.personInOther}/edit`,
  },
  { route: '/admin/signing', allowed: ['admin'], own: async () => '/admin/signing' },
  {
    route: '/admin/signing/:orgId',
    allowed: ['admin'],
    own: async (w) => `/admin/signing/${w.committee}`,
    other: async (w) => `/admin/signing/${w.otherCommittee}`,
  },
  { route: '/me/notifications', allowed: EVERYONE, own: async () => '/me/notifications' },
  {
    route: '/admin/orgs/:id/notifications',
    allowed: ['admin'],
    own: async (w) => `/admin/orgs/${w.branchA}/notifications`,
    other: async (w) => `/admin/orgs/${w.otherBranch}/notifications`,
  },
  {
    route: '/directives/:id/urges',
    allowed: COMMITTEE_ROLES,
    own: async (w) => `/directives/${w.directive}/urges`,
    other: async (w) => `/directives/${w.otherDirective}/urges`,
  },
  {
    route: '/requirements/:id/urges',
    allowed: COMMITTEE_ROLES,
    own: async (w) => `/requirements/${w.requirement}/urges`,
    other: async (w) => `/requirements/${w.otherRequirement}/urges`,
  },
  { route: '/directives', allowed: COMMITTEE_ROLES, own: async () => '/directives' },
  { route: '/directives/new', allowed: DRAFTERS, own: async () => '/directives/new' },
  { route: '/directives/:id', allowed: COMMITTEE_ROLES, own: async (w) => `/directives/${w.directive}`, other: async (w) => `/directives/${w.otherDirective}` },
  {
    route: '/directives/:id/status',
    allowed: COMMITTEE_ROLES,
    own: async (w) => `/directives/${w.directive}/status`,
    other: async (w) => `/directives/${w.otherDirective}/status`,
  },
  {
    route: '/directives/:id/edit',
    allowed: DRAFTERS,
    own: async (w) => `/directives/${w.directive}/edit`,
    other: async (w) => `/directives/${w.otherDirective}/edit`,
  },
  { route: '/filings/:id', allowed: EVERYONE, own: async (w) => `/filings/${w.filing}`, other: async (w) => `/filings/${w.otherFiling}` },
  {
    route: '/filings/:id/status',
    allowed: EVERYONE,
    own: async (w) => `/filings/${w.filing}/status`,
    other: async (w) => `/filings/${w.otherFiling}/status`,
  },
  {
    route: '/requirements/:id/filings',
    allowed: COMMITTEE_ROLES,
    own: async (w) => `/requirements/${w.requirement}/filings`,
    other: async (w) => `/requirements/${w.otherRequirement}/filings`,
  },
  { route: '/spot-checks', allowed: ['admin', 'secretary', 'staff', 'inspector', ...BRANCH], own: async () => '/spot-checks' },
  { route: '/spot-checks/new', allowed: ['staff'], own: async () => '/spot-checks/new' },
  {
    route: '/spot-checks/:id',
    allowed: ['admin', 'secretary', 'staff', 'inspector', ...BRANCH],
    own: async (w) => `/spot-checks/${w.round}`,
    other: async (w) => `/spot-checks/${w.otherRound}`,
  },
  {
    route: '/spot-checks/:id/status',
    allowed: ['admin', 'secretary', 'staff', 'inspector', ...BRANCH],
    own: async (w) => `/spot-checks/${w.round}/status`,
    other: async (w) => `/spot-checks/${w.otherRound}/status`,
  },
  {
    route: '/spot-checks/:id/rule.json',
    allowed: ['admin', 'secretary', 'staff', 'inspector'],
    reached: 409, // the round was made without a stored draw
    own: async (w) => `/spot-checks/${w.round}/rule.json`,
    other: async (w) => `/spot-checks/${w.otherRound}/rule.json`,
  },
  {
    route: '/spot-checks/:id/orgs.json',
    allowed: ['admin', 'secretary', 'staff', 'inspector'],
    reached: 409,
    own: async (w) => `/spot-checks/${w.round}/orgs.json`,
    other: async (w) => `/spot-checks/${w.otherRound}/orgs.json`,
  },
  {
    route: '/spot-checks/:id/inspect',
    allowed: ['inspector'],
    own: async (w) => `/spot-checks/${w.round}/inspect`,
    other: async (w) => `/spot-checks/${w.otherRound}/inspect`,
  },
  { route: '/overview', allowed: [...DRAFTERS, ...BRANCH], own: async () => '/overview' },
  { route: '/overview.xlsx', allowed: [...DRAFTERS, ...BRANCH], own: async () => '/overview.xlsx' },
  {
    route: '/overview/orgs/:orgId',
    allowed: [...DRAFTERS, ...BRANCH],
    own: async (w) => `/overview/orgs/${w.branchA}`,
    other: async (w) => `/overview/orgs/${w.otherBranch}`,
  },
  {
    route: '/overview/orgs/:orgId/overview.xlsx',
    allowed: [...DRAFTERS, ...BRANCH],
    own: async (w) => `/overview/orgs/${w.branchA}/overview.xlsx`,
    other: async (w) => `/overview/orgs/${w.otherBranch}/overview.xlsx`,
  },
  {
    route: '/overview/people/:personId',
    allowed: [...DRAFTERS, ...BRANCH],
    own: async (w) => `/overview/people/${w.personInA}`,
    other: async (w) => `/overview/people/${w.personInOther}`,
  },
  {
    route: '/overview/people/:personId/overview.xlsx',
    allowed: [...DRAFTERS, ...BRANCH],
    own: async (w) => `/overview/people/${w.personInA}/overview.xlsx`,
    other: async (w) => `/overview/people/${w.personInOther}/overview.xlsx`,
  },
  { route: '/commendations/notices', allowed: EVERYONE, own: async () => '/commendations/notices' },
  { route: '/commendations', allowed: [...DRAFTERS, ...BRANCH], own: async () => '/commendations' },
  { route: '/commendations/new', allowed: ['staff'], own: async () => '/commendations/new' },
  {
    route: '/commendations/:id',
    allowed: [...DRAFTERS, ...BRANCH],
    own: (w, prisma) => page(commendationPage.own(w, prisma)),
    other: (w, prisma) => page((commendationPage.other as NonNullable<Row['other']>)(w, prisma)),
  },
  { route: '/reviews', allowed: DRAFTERS, own: async () => '/reviews' },
  { route: '/reviews/:id/status', allowed: DRAFTERS, own: async (w) => `/reviews/${w.review}/status`, other: async (w) => `/reviews/${w.otherReview}/status` },
  {
    route: '/commendations/:id/status',
    allowed: [...DRAFTERS, ...BRANCH],
    own: async (w, prisma) => `${await page(commendationPage.own(w, prisma))}/status`,
    other: async (w, prisma) => `${await page((commendationPage.other as NonNullable<Row['other']>)(w, prisma))}/status`,
  },
  { route: '/reviews/new', allowed: ['staff'], own: async () => '/reviews/new' },
  {
    route: '/reviews/:id',
    allowed: DRAFTERS,
    own: async (w) => `/reviews/${w.review}`,
    other: async (w) => `/reviews/${w.otherReview}`,
  },
  { route: '/reviews/:id/edit', allowed: ['staff'], own: async (w) => `/reviews/${w.review}/edit`, other: async (w) => `/reviews/${w.otherReview}/edit` },
  {
    route: '/reviews/:id/ballot',
    allowed: ['evaluator'],
    own: async (w) => `/reviews/${w.review}/ballot`,
    other: async (w) => `/reviews/${w.otherReview}/ballot`,
  },
  { route: '/accountability', allowed: DRAFTERS, own: async () => '/accountability' },
  {
    route: '/accountability/cases/:id',
    allowed: [...DRAFTERS, 'inspector', ...BRANCH],
    own: async (w) => `/accountability/cases/${w.accCase}`,
    other: async (w) => `/accountability/cases/${w.accOtherCase}`,
  },
  { route: '/accountability/sanctions', allowed: DRAFTERS, own: async () => '/accountability/sanctions' },
];
/** Open to anyone: the login page and the two scripts a browser fetches without saying who is logged in. */
const PUBLIC_PAGES = ['/', '/login', '/filings/echarts.min.js', '/spot-checks/sw.js'];

function appRoutes(app: NestExpressApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: unknown[] }; _router?: { stack: unknown[] } };
  const stack = (express.router ?? express._router)?.stack ?? [];
  const out: string[] = [];
  for (const layer of stack as { route?: { path: string; methods: Record<string, boolean> } }[]) {
    if (!layer.route) continue;
    for (const m of Object.keys(layer.route.methods)) if (m !== '_all') out.push(`${m.toUpperCase()} ${layer.route.path}`);
  }
  // Middleware applied to every path shows up as `/{*path}` layers: not endpoints.
  return out.filter((r) => !r.includes('/api/docs') && !r.endsWith('/{*path}'));
}

describe('authorisation on every endpoint', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let world: World;
  const sessions = new Map<Who, { username: string; id: string }>();
  let otherAdmin: { username: string };
  let worker: INestApplicationContext;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    const committee = await makeCommittee(prisma);
    const branchA = await makeBranch(prisma, committee.id);
    const branchB = await makeBranch(prisma, committee.id, OrgKind.SCHOOL);
    const otherCommittee = await makeCommittee(prisma, { name: '中共邻乡委员会', organCode: '邻委发' });
    const otherBranch = await makeBranch(prisma, otherCommittee.id);
    for (const who of EVERYONE) {
      const orgId = who.startsWith('branch') ? branchA.id : committee.id;
      sessions.set(who, await makePerson(prisma, [{ orgId, role: ROLE_OF[who] }], who));
    }
    otherAdmin = await makePerson(prisma, [{ orgId: otherCommittee.id, role: Role.ADMIN }]);
    const inA = await makePerson(prisma, [{ orgId: branchA.id, role: Role.BRANCH_STAFF }]);
    const inOther = await makePerson(prisma, [{ orgId: otherBranch.id, role: Role.BRANCH_STAFF }]);
    const documents = app.get(DocumentsService);
    const draftModel = { ...importText(SEED_000).model, title: '关于开展七大行动的实施方案' } as unknown as Record<string, unknown>;
    const as = (orgId: string, role: Role) => ({ personId: inA.id, name: '测试', membershipId: 'x', role, orgId, orgName: '' });
    const issue = async (orgId: string) => {
      // Each issued document carries one attachment file (GET /api/documents/:id/attachments/:seq).
      const file = await app.get(FilesService).store(as(orgId, Role.COMMITTEE_STAFF), receivedFile(minimalPdf(`名单 ${orgId}`), '名单.pdf', 'application/pdf'));
      const d = await documents.create(as(orgId, Role.COMMITTEE_STAFF), { ...draftModel, attachments: [{ title: '名单', file }] });
      await documents.sign(as(orgId, Role.COMMITTEE_SECRETARY), d.id);
      await documents.issuePdf(null, d.id);
      return d.id;
    };
    const directives = app.get(DirectivesService);
    const staffPerson = sessions.get('staff') as unknown as { id: string };
    const secretaryPerson = sessions.get('secretary') as unknown as { id: string };
    const chainOf = { reviewers: [staffPerson.id], signerId: secretaryPerson.id };
    const newDirective = async (orgId = committee.id) =>
      (
        await directives.create({ ...as(orgId, Role.COMMITTEE_STAFF), personId: staffPerson.id }, {
          model: draftModel,
          chain: chainOf,
          distribution: { mode: 'ALL' },
        } as never)
      ).id;
    const otherSecretary = await makePerson(prisma, [{ orgId: otherCommittee.id, role: Role.COMMITTEE_SECRETARY }]);
    const otherDirective = (
      await directives.create(as(otherCommittee.id, Role.COMMITTEE_STAFF), {
        model: draftModel,
        chain: { reviewers: [otherSecretary.id], signerId: otherSecretary.id },
        distribution: { mode: 'ALL' },
      } as never)
    ).id;
    // Tasks whose workflows have ended (as after a revocation): acting on them is refused with 409, never a fresh start.
    const temporal = await app.get(TemporalClientService).client();
    const ended = async (workflowId: string) => {
      const handle = await temporal.workflow.start('pingWorkflow', {
        taskQueue: `ended-${randomUUID()}`,
        workflowId,
        args: [{ message: 'x' }],
      });
      await handle.terminate('测试：流程已结束');
    };
    const receipt = async (orgId: string, directiveId: string) => {
      await ended(`ended-receipt-${orgId}`);
      return (
        await prisma.task.create({
          data: {
            key: `receipt:test:${orgId}`,
            kind: 'RECEIPT',
            orgId,
            ...ofDirective(directiveId),
            title: '签收：测试',
            workflowId: `ended-receipt-${orgId}`,
          },
        })
      ).id;
    };
    const directive = await newDirective();
    // A requirement with a one-field form, and a filing per branch whose workflow has ended (writes via Updates get 409).
    const form = { title: '情况报告', fields: [{ key: 'note', label: '情况', type: 'longText', required: true, maxLength: 500 }] };
    // The requirement belongs to the directive's committee (its scope decides who sees the filings).
    const filingFor = async (directiveId: string, orgId: string, committeeId: string) => {
      const req = await prisma.requirement.create({
        data: { directiveId, orgId: committeeId, title: '情况报告', form, deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 },
      });
      const task = await prisma.task.create({
        data: {
          key: `filing:test:${orgId}`,
          kind: 'FILING',
          orgId,
          ...ofDirective(directiveId),
          title: '填报：情况报告',
          workflowId: `missing-filing-${orgId}`,
        },
      });
      const filing = await prisma.filing.create({ data: { requirementId: req.id, orgId, taskId: task.id, deadlineAt: new Date(Date.now() + 86400_000) } });
      await ended(filingWorkflowId(filingKey(req.id, orgId)));
      return { requirement: req.id, filing: filing.id };
    };
    const files = app.get(FilesService);
    const upload = async (personId: string, orgId: string, text: string) =>
      (
        await files.store(
          { personId, name: '测试', membershipId: 'x', role: Role.BRANCH_STAFF, orgId, orgName: '' },
          receivedFile(Buffer.from(text), '情况说明.txt', 'text/plain'),
        )
      ).sha256;
    const own = await filingFor(directive, branchA.id, committee.id);
    const foreign = await filingFor(otherDirective, otherBranch.id, otherCommittee.id);
    // Spot checks, made directly in the database (the draw itself is exercised by the draw row).
    const inspectorPerson = sessions.get('inspector') as unknown as { id: string };
    const roundData = (orgId: string) => ({
      orgId,
      scopeOrgId: orgId,
      title: '权限测试抽查',
      mode: 'ANNOUNCED' as const,
      target: 'BRANCH' as const,
      checklist: [
        { key: 'i1', text: '三会一课', kind: 'PASS_FAIL', evidence: 'PHOTO' },
        { key: 'i2', text: '活动室', kind: 'PASS_FAIL', evidence: 'NONE' },
      ],
      rule: { levels: [{ level: 0, min: 1 }] },
      inspectorIds: [inspectorPerson.id],
      windowStart: new Date(Date.now() - 3600_000),
      windowEnd: new Date(Date.now() + 86400_000),
      createdById: staffPerson.id,
    });
    const photo = await upload(inspectorPerson.id, committee.id, `现场照片 ${fresh()}`);
    const drawnRound = async (orgId: string, branchId: string) => {
      const r = await prisma.spotCheckRound.create({ data: { ...roundData(orgId), status: 'DRAWN', drawnAt: new Date() } });
      const unit = await prisma.spotCheckUnit.create({
        data: { roundId: r.id, unitId: branchId, orgId: branchId, label: '被查支部', inspectorId: inspectorPerson.id },
      });
      const finding = await prisma.spotCheckFinding.create({
        data: {
          roundId: r.id,
          unitRowId: unit.id,
          itemKey: 'i1',
          passed: false,
          clientId: randomUUID(),
          recordedAt: new Date(),
          inspectorId: inspectorPerson.id,
          photos: [{ sha256: photo, name: '现场.txt', mimeType: 'text/plain', size: 10, takenAt: null }],
        },
      });
      await prisma.rectification.create({
        data: { findingId: finding.id, roundId: r.id, orgId: branchId, requirementId: randomUUID(), filingId: randomUUID(), createdById: staffPerson.id },
      });
      return { round: r.id, unit: unit.id, finding: finding.id };
    };
    const mine = await drawnRound(committee.id, branchA.id);
    const theirs = await drawnRound(otherCommittee.id, otherBranch.id);
    await prisma.spotCheckUnit.create({
      data: { roundId: mine.round, unitId: branchB.id, orgId: branchB.id, label: '另一支部', inspectorId: inspectorPerson.id },
    });
    const reviewGroups = [{ key: 'g', name: '评议组', weight: 100, ballotKind: 'GRADE' }];
    const reviewBody = () => ({
      year: 2026,
      title: `权限测试述职评议 ${fresh()}`,
      reportWorkdays: 5,
      scoringWorkdays: 5,
      subjects: [{ orgId: branchA.id }],
      raters: [{ groupKey: 'g', personId: (sessions.get('evaluator') as { id: string }).id }],
      groups: reviewGroups,
    });
    const reviewRound = async (orgId: string, subjectOrg: string, subjectPerson: string, raterId: string | null) => {
      const r = await prisma.reviewRound.create({
        data: {
          orgId,
          year: 2026,
          title: `权限测试述职评议 ${fresh()}`,
          reportWorkdays: 5,
          scoringWorkdays: 5,
          items: [],
          groups: reviewGroups,
          settings: {
            trimAtLeast: 5,
            minBallotsToShow: 3,
            gradePoints: { GOOD: 100, FAIRLY_GOOD: 80, AVERAGE: 60, POOR: 40 },
            thresholds: [{ grade: 'GOOD', min: 90 }],
            dailyWeight: 30,
            topGradeCapPercent: 20,
          },
          dailyWeights: { filingsOnTime: 40, spotCheckPassRate: 30, rectificationsClosed: 30 },
          formulaVersion: 1,
          createdById: staffPerson.id,
          subjects: { create: [{ orgId: subjectOrg, personId: subjectPerson, post: '党支部书记' }] },
          raters: raterId ? { create: [{ groupKey: 'g', personId: raterId }] } : undefined,
        },
      });
      return r.id;
    };
    const evaluatorId = (sessions.get('evaluator') as { id: string }).id;
    const branchSecretaryId = (sessions.get('branchSecretary') as { id: string }).id;
    const newDraft = async () => (await documents.create(as(committee.id, Role.COMMITTEE_STAFF), draftModel)).id;
    // 问责 cases made directly in the database (the workflow is exercised by the accountability suite); a step that
    // tells a case's workflow finds none and goes on.
    const inspectorId = inspectorPerson.id;
    const year = new Date().getFullYear();
    const accCaseIn = async (
      orgId: string,
      target: { orgId: string; personId: string | null },
      status: 'OPEN' | 'INVESTIGATING' | 'DEFENCE' | 'DELIBERATING' | 'EXECUTING',
      extra: Record<string, unknown> = {},
    ) => {
      const id = randomUUID();
      const last = await prisma.accountabilityCase.aggregate({ where: { orgId, year }, _max: { serial: true } });
      await prisma.accountabilityCase.create({
        data: {
          id,
          orgId,
          year,
          serial: (last._max.serial ?? 0) + 1,
          title: '权限测试：逾期未报送年度计划',
          status,
          targetOrgId: target.orgId,
          targetPersonId: target.personId,
          targetPost: target.personId ? '党支部书记' : null,
          source: 'MANUAL',
          evidence: [{ title: '逾期记录' }],
          investigatorIds: orgId === committee.id ? [staffPerson.id, inspectorId] : [],
          workflowId: `accountability-case-${id}`,
          createdById: orgId === committee.id ? staffPerson.id : otherSecretary.id,
          ...(status === 'DEFENCE' ? { defenceAskedAt: new Date(), defenceDueAt: new Date(Date.now() + 7 * 86400_000) } : {}),
          ...extra,
        },
      });
      return id;
    };
    const served = () => ({ decidedAt: new Date(), servedAt: new Date(), appealUntil: new Date(Date.now() + 30 * 86400_000), effectiveOn: '2026-01-05' });
    const personA = { orgId: branchA.id, personId: branchSecretaryId };
    const [accDoc, accOtherDoc] = [await issue(committee.id), await issue(otherCommittee.id)];
    const accDecided = await accCaseIn(committee.id, personA, 'EXECUTING', { ...served(), documentId: accDoc });
    const accOrgCase = await accCaseIn(committee.id, { orgId: branchA.id, personId: null }, 'EXECUTING', served());
    const accOtherCase = await accCaseIn(otherCommittee.id, { orgId: otherBranch.id, personId: null }, 'EXECUTING', {
      ...served(),
      documentId: accOtherDoc,
    });
    const accTask = async (step: 'carry-out' | 'acknowledge' | 'complete', other = false) => {
      const caseId = other ? accOtherCase : step === 'complete' ? accOrgCase : accDecided;
      const data =
        step === 'carry-out'
          ? { caseId, step: 'EXECUTION', measureId: randomUUID(), by: 'COMMITTEE', what: '落实组织调整（免职）并报备', personId: null }
          : step === 'acknowledge'
            ? { caseId, step: 'SERVICE', recipient: 'PERSON', personId: other ? null : branchSecretaryId, docNumber: '测委发〔2026〕1号' }
            : { caseId, step: 'EXECUTION', measureId: randomUUID(), by: 'TARGET', what: '报送整改报告', personId: null };
      const orgId = step === 'carry-out' ? (other ? otherCommittee.id : committee.id) : other ? otherBranch.id : branchA.id;
      const task = await prisma.task.create({
        data: {
          key: `acc:test:${randomUUID()}`,
          kind: 'ACCOUNTABILITY',
          subjectType: 'accountability_case',
          subjectId: caseId,
          originType: 'accountability_case',
          originId: caseId,
          orgId,
          assigneeId: step === 'carry-out' ? (other ? otherSecretary.id : staffPerson.id) : null,
          title: `问责待办：${data.step}`,
          dueAt: new Date(Date.now() + 7 * 86400_000),
          data,
        },
      });
      return task.id;
    };
    world = {
      accCase: await accCaseIn(committee.id, personA, 'INVESTIGATING', { investigationAt: new Date() }),
      accDecided,
      accOrgCase,
      accOtherCase,
      accDoc,
      accOtherDoc,
      newAccCase: async (status, o = {}) => {
        const id = await accCaseIn(committee.id, personA, status, {
          ...(o.document ? { ...served(), documentId: await newDraft() } : {}),
          ...(status === 'DELIBERATING' ? { defenceAskedAt: new Date(), defenceAt: new Date(), defence: '无异议' } : {}),
        });
        if (o.talk)
          await prisma.accountabilityTalk.create({
            data: { caseId: id, kind: '提醒谈话', heldAt: new Date(), talkerIds: [staffPerson.id], minutes: '提醒谈话记录', createdById: staffPerson.id },
          });
        if (o.finding) await prisma.accountabilityFinding.create({ data: { caseId: id, authorId: inspectorId, text: '经查属实' } });
        if (o.appeal)
          await prisma.accountabilityAppeal.create({
            data: { caseId: id, reason: '处理过重', filedById: branchSecretaryId, answerDueAt: new Date(Date.now() + 30 * 86400_000) },
          });
        return id;
      },
      accTask,
      accProposal: async (other = false) =>
        (
          await prisma.accountabilityProposal.create({
            data: {
              key: `acc:test:${randomUUID()}`,
              orgId: other ? otherBranch.id : branchA.id,
              personId: other ? inOther.id : branchSecretaryId,
              trigger: 'OVERDUE_FILING',
              sourceType: 'filing',
              sourceId: randomUUID(),
              evidence: { title: '2026年度工作计划', deadline: '2026-01-17 17:30' },
            },
          })
        ).id,
      staffId: staffPerson.id,
      inspectorId,
      branchSecretaryId,
      review: await reviewRound(committee.id, branchA.id, branchSecretaryId, evaluatorId),
      otherReview: await reviewRound(otherCommittee.id, otherBranch.id, inOther.id, null),
      newReview: () => reviewRound(committee.id, branchA.id, branchSecretaryId, evaluatorId),
      reviewBody,
      round: mine.round,
      otherRound: theirs.round,
      unitA: mine.unit,
      findingA: mine.finding,
      otherFinding: theirs.finding,
      photo,
      newRound: async () => (await prisma.spotCheckRound.create({ data: roundData(committee.id) })).id,
      roundBody: () => {
        const { title, scopeOrgId, mode, target, checklist, rule, inspectorIds } = roundData(committee.id);
        return {
          title,
          scopeOrgId,
          mode,
          target,
          checklist,
          rule,
          inspectorIds,
          windowStart: new Date().toISOString(),
          windowEnd: new Date(Date.now() + 86400_000).toISOString(),
        };
      },
      filing: own.filing,
      otherFiling: foreign.filing,
      requirement: own.requirement,
      otherRequirement: foreign.requirement,
      draftModel,
      chain: chainOf,
      directive,
      otherDirective,
      newDirective: () => newDirective(),
      receiptTask: await receipt(branchA.id, directive),
      otherReceiptTask: await receipt(otherBranch.id, otherDirective),
      issuedDoc: await issue(committee.id),
      otherIssuedDoc: await issue(otherCommittee.id),
      newDraft,
      fileInA: await upload(inA.id, branchA.id, `本村情况说明 ${fresh()}`),
      otherFile: await upload(inOther.id, otherBranch.id, `邻乡情况说明 ${fresh()}`),
      committee: committee.id,
      branchA: branchA.id,
      branchB: branchB.id,
      otherCommittee: otherCommittee.id,
      otherBranch: otherBranch.id,
      personInA: inA.id,
      personInOther: inOther.id,
      membershipInA: inA.memberships[0].id,
      membershipInOther: inOther.memberships[0].id,
    };
  });

  afterAll(async () => {
    await worker.close();
    await app.close();
  });

  it('has a row for every route the app serves', () => {
    const covered = new Set([...ROWS.map((r) => `${r.method} ${r.route}`), ...PAGE_ROUTES]);
    const missing = appRoutes(app).filter((r) => !covered.has(r));
    expect(missing).toEqual([]);
  });

  it('refuses every non-public endpoint to an anonymous caller with 401', async () => {
    const anon = await new ApiSession(app).start();
    for (const row of ROWS.filter((r) => r.allowed !== 'public')) {
      const { path, body } = await row.own(world, prisma);
      const res = await anon.send(row.method, path, body);
      expect(`${row.method} ${row.route} → ${res.status}`).toBe(`${row.method} ${row.route} → 401`);
    }
  });

  for (const who of EVERYONE) {
    it(`${who}: allowed calls succeed in scope, others are refused, other townships are invisible`, async () => {
      const account = sessions.get(who) as { username: string };
      let s = new ApiSession(app);
      expect((await s.login(account.username, PASSWORD)).status).toBe(200);
      for (const row of ROWS.filter((r) => r.allowed !== 'public')) {
        if (row.route === '/api/auth/logout') continue;
        const allowed = (row.allowed as Who[]).includes(who);
        const own = await row.own(world, prisma);
        const res = await s.send(row.method, own.path, own.body);
        const label = `${who} ${row.method} ${own.path}`;
        if (!allowed) expect(`${label} → ${res.status}`).toMatch(/→ 40[34]$/);
        else if (row.expectFor) expect(`${label} → ${res.status}`).toBe(`${label} → ${row.expectFor(who)}`);
        else if (row.route === '/api/auth/capacity')
          expect(`${label} → ${res.status}`).toBe(`${label} → 403`); // not their membership
        else if (row.route === '/api/people/import')
          expect(`${label} → ${res.status}`).toBe(`${label} → 400`); // empty CSV
        else if (row.route === '/api/orgs/:id' && who.startsWith('branch')) expect(res.status).toBe(200);
        else expect(`${label} → ${res.status}`).toMatch(new RegExp(`${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} → 20[01]`));
        if (row.other) {
          const other = await row.other(world, prisma);
          const r2 = await s.send(row.method, other.path, other.body);
          expect(`${who} ${row.method} ${other.path} → ${r2.status}`).toMatch(/→ 40[34]$/);
          expect(JSON.stringify(r2.body)).not.toContain('邻乡');
        }
      }
      expect((await s.post('/api/auth/logout')).status).toBe(200);
      expect((await s.get('/api/auth/me')).status).toBe(401);
      s = new ApiSession(app);
    });
  }

  it('has a page row for every page a person opens', () => {
    const covered = new Set([...PAGE_ROWS.map((r) => `GET ${r.route}`), ...PUBLIC_PAGES.map((p) => `GET ${p}`)]);
    const missing = [...PAGE_ROUTES].filter((r) => r.startsWith('GET ') && !covered.has(r));
    expect(missing).toEqual([]);
  });

  it('pages: each role opens what it may, is refused the rest, and never sees another township’s record', async () => {
    const verdict = (status: number, location?: string) =>
      status === 200 || (status === 303 && !String(location).startsWith('/login')) ? '打开' : status === 403 || status === 404 ? '拒绝' : `意外 ${status}`;
    const wrong: string[] = [];
    const matrix: Record<string, Record<string, string>> = {};
    let calls = 0;
    for (const who of EVERYONE) {
      const s = new ApiSession(app);
      expect((await s.login((sessions.get(who) as { username: string }).username, PASSWORD)).status).toBe(200);
      for (const row of PAGE_ROWS) {
        const own = await row.own(world, prisma);
        const res = await s.get(own).set('accept', 'text/html');
        const got = res.status === row.reached ? '打开' : verdict(res.status, res.headers.location);
        const expected = row.allowed.includes(who) ? '打开' : '拒绝';
        (matrix[row.route] ??= {})[who] = got;
        if (got !== expected) wrong.push(`${who} GET ${own}: 应${expected}，实际${got}`);
        calls++;
        if (row.other) {
          const other = await row.other(world, prisma);
          const r2 = await s.get(other).set('accept', 'text/html');
          matrix[row.route][`${who}（邻乡）`] = verdict(r2.status, r2.headers.location);
          if (r2.status !== 403 && r2.status !== 404) wrong.push(`${who} GET ${other}（邻乡）: 应拒绝，实际 ${r2.status}`);
          if ((r2.text ?? '').includes('邻乡')) wrong.push(`${who} GET ${other}（邻乡）: 页面含邻乡内容`);
          calls++;
        }
      }
    }
    // The matrix as observed, for the record (artifacts/authorization-pages.json): routes × roles × own / other township.
    fs.mkdirSync(path.resolve(__dirname, '../../artifacts'), { recursive: true });
    fs.writeFileSync(path.resolve(__dirname, '../../artifacts/authorization-pages.json'), JSON.stringify({ calls, matrix }, null, 1));
    expect(wrong).toEqual([]);
  });

  it('a branch account sees only its own branch and cannot reach a sibling branch', async () => {
    const s = new ApiSession(app);
    await s.login((sessions.get('branchSecretary') as { username: string }).username, PASSWORD);
    const orgs = await s.get('/api/orgs').expect(200);
    expect(orgs.body.map((o: { id: string }) => o.id)).toEqual([world.branchA]);
    const sibling = await s.get(`/api/orgs/${world.branchB}`);
    expect(sibling.status).toBe(404);
    expect(sibling.body.message).toBe('组织不存在或无权查看');
    const people = await s.get('/api/people').expect(200);
    expect(people.body.every((p: { memberships: { org: { id: string } }[] }) => p.memberships.every((m) => m.org.id === world.branchA))).toBe(true);
  });

  it('an administrator of another township sees none of this one', async () => {
    const s = new ApiSession(app);
    await s.login(otherAdmin.username, PASSWORD);
    const orgs = await s.get('/api/orgs').expect(200);
    expect(orgs.body.map((o: { id: string }) => o.id)).not.toContain(world.committee);
    expect((await s.get(`/api/orgs/${world.branchA}`)).status).toBe(404);
    expect((await s.get(`/api/people/${world.personInA}`)).status).toBe(404);
  });

  it('spot-check pages: the committee runs them, the inspector records, a branch sees only its own units, another township nothing', async () => {
    const as = async (who: Who) => {
      const s = new ApiSession(app);
      await s.login((sessions.get(who) as { username: string }).username, PASSWORD);
      return (path: string) => s.get(path).set('accept', 'text/html');
    };
    const staff = await as('staff');
    expect((await staff('/spot-checks')).status).toBe(200);
    expect((await staff('/spot-checks/new')).status).toBe(200);
    const detail = await staff(`/spot-checks/${world.round}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('另一支部');
    expect((await staff(`/spot-checks/${world.otherRound}`)).status).toBe(404);
    expect((await staff(`/spot-checks/${world.round}/inspect`)).status).toBe(403);
    const inspector = await as('inspector');
    expect((await inspector(`/spot-checks/${world.round}/inspect`)).status).toBe(200);
    expect((await inspector(`/spot-checks/${world.otherRound}/inspect`)).status).toBe(404);
    expect((await inspector('/spot-checks/new')).status).toBe(403);
    const branch = await as('branchSecretary');
    const own = await branch(`/spot-checks/${world.round}`);
    expect(own.status).toBe(200);
    expect(own.text).toContain('被查支部');
    expect(own.text).not.toContain('另一支部');
    for (const path of ['/spot-checks/new', `/spot-checks/${world.round}/inspect`, `/spot-checks/${world.round}/orgs.json`])
      expect(`${path} → ${(await branch(path)).status}`).toBe(`${path} → 403`);
    expect((await (await as('evaluator'))('/spot-checks')).status).toBe(403);
    // The service worker holds no data: it is served to anyone (a browser fetches it without asking who is logged in).
    const sw = await new ApiSession(app).get('/spot-checks/sw.js');
    expect(sw.status).toBe(200);
    expect(sw.headers['content-type']).toContain('javascript');
  });

  it('admin pages are refused to a branch secretary and served to an administrator', async () => {
    const branch = new ApiSession(app);
    await branch.login((sessions.get('branchSecretary') as { username: string }).username, PASSWORD);
    expect((await branch.get('/admin/orgs').set('accept', 'text/html')).status).toBe(403);
    expect((await branch.get('/admin/calendar').set('accept', 'text/html')).status).toBe(403);
    expect((await branch.post('/admin/calendar', { day: '2028-06-06', kind: 'HOLIDAY' })).status).toBe(403);
    expect((await branch.get('/inbox').set('accept', 'text/html')).status).toBe(200);
    expect((await branch.get('/directives').set('accept', 'text/html')).status).toBe(403);
    // A branch reads only the directives issued to it (live-status.spec.ts): this one is not issued, the other township's never sent.
    expect((await branch.get(`/directives/${world.directive}`).set('accept', 'text/html')).status).toBe(404);
    expect((await branch.get(`/directives/${world.otherDirective}`).set('accept', 'text/html')).status).toBe(404);
    const admin = new ApiSession(app);
    await admin.login((sessions.get('admin') as { username: string }).username, PASSWORD);
    const page = await admin.get('/admin/orgs').set('accept', 'text/html').expect(200);
    expect(page.text).toContain('组织管理');
    const anon = new ApiSession(app);
    const redirect = await anon.get('/admin/orgs').set('accept', 'text/html');
    expect(redirect.status).toBe(303);
    expect(redirect.headers.location).toBe('/login?next=%2Fadmin%2Forgs');
  });
});
