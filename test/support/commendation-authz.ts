/**
 * Rows of the endpoint × role test (test/integration/authorization.spec.ts) for the 评选表扬 API: each call made
 * against a round created directly in the database in the state the step needs, so every allowed call succeeds;
 * the round-naming routes are also called against another township's round.
 */
import { randomUUID } from 'node:crypto';
import { shanghaiDay } from '../../apps/server/src/calendar/working-calendar';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makePerson } from './factories';

/** What the rows need of the test's world. */
export interface ComWorld {
  committee: string;
  branchA: string;
  otherCommittee: string;
  otherBranch: string;
  staffId: string;
  issuedDoc: string;
}

type ComWho = 'admin' | 'secretary' | 'staff' | 'inspector' | 'evaluator' | 'branchSecretary' | 'branchStaff';
const EVERYONE: ComWho[] = ['admin', 'secretary', 'staff', 'inspector', 'evaluator', 'branchSecretary', 'branchStaff'];
const READERS: ComWho[] = ['secretary', 'staff', 'branchSecretary', 'branchStaff'];

export interface ComRow {
  method: string;
  route: string;
  allowed: ComWho[];
  own: (w: ComWorld, prisma: PrismaService) => Promise<{ path: string; body?: unknown }>;
  other?: (w: ComWorld, prisma: PrismaService) => Promise<{ path: string; body?: unknown }>;
  expectFor?: (who: ComWho) => number;
}

type Status = 'DRAFT' | 'NOMINATING' | 'SELECTING' | 'NOTICE';
const DAY = 24 * 3600 * 1000;

async function round(prisma: PrismaService, w: ComWorld, status: Status, other = false, approval?: unknown) {
  return (
    await prisma.commendationRound.create({
      data: {
        orgId: other ? w.otherCommittee : w.committee,
        year: new Date().getFullYear(),
        title: other ? '邻乡评选表扬' : '评选表扬（权限测试）',
        status,
        categories: [{ key: 'fs', name: '优秀第一书记', quota: 3, target: 'PERSON', post: null }],
        localBars: [],
        nominationWorkdays: 5,
        nominationDueAt: new Date(Date.now() + 7 * DAY),
        contact: '乡党建办',
        createdById: w.staffId,
        ...(approval ? { approval: approval as object, approvedAt: new Date(), approvedById: w.staffId } : {}),
      },
    })
  ).id;
}

/** A round in `status` with one nominee (a fresh person of branch A, or of the other township's branch). */
async function withNominee(
  prisma: PrismaService,
  w: ComWorld,
  status: Status,
  nominee: 'NOMINATED' | 'APPROVED' | 'NOTICE',
  o: { other?: boolean; approved?: boolean; noticeEnded?: boolean; objection?: boolean } = {},
) {
  const orgId = o.other ? w.otherBranch : w.branchA;
  const person = (await makePerson(prisma, [{ orgId, role: Role.BRANCH_STAFF, post: '第一书记' }], o.other ? '邻乡推荐人' : '推荐人')).id;
  const nomineeId = randomUUID();
  const roundId = await round(
    prisma,
    w,
    status,
    o.other,
    o.approved ? { meeting: '乡党委会议', heldOn: '2026-01-05', approved: [{ key: 'fs', nomineeIds: [nomineeId] }] } : undefined,
  );
  await prisma.commendationNominee.create({
    data: {
      id: nomineeId,
      roundId,
      categoryKey: 'fs',
      personId: person,
      orgId,
      post: '第一书记',
      targetKey: `person:${person}`,
      nominatedById: w.staffId,
      nominatedByOrg: o.other ? w.otherCommittee : w.committee,
      reason: '成效明显',
      status: nominee,
      rank: 1,
    },
  });
  let objectionId: string | null = null;
  if (nominee === 'NOTICE') {
    // Running for a week from today, or ended yesterday.
    const endsAt = o.noticeEnded ? new Date(Date.now() - DAY) : new Date(Date.now() + 7 * DAY);
    const startsOn = shanghaiDay(new Date(Date.now() - 7 * DAY));
    const notice = await prisma.commendationNotice.create({
      data: {
        roundId,
        seq: 1,
        documentId: randomUUID(),
        nomineeIds: [nomineeId],
        workdays: 5,
        startsOn,
        endsOn: shanghaiDay(new Date(endsAt.getTime() - 1)),
        endsAt,
      },
    });
    await prisma.commendationNominee.update({ where: { id: nomineeId }, data: { noticeId: notice.id } });
    if (o.objection)
      objectionId = (
        await prisma.commendationObjection.create({
          data: {
            roundId,
            noticeId: notice.id,
            nomineeId,
            filedById: w.staffId,
            filedByOrgId: w.committee,
            objectorName: '异议人',
            channel: 'PAGE',
            text: '反映问题',
            receivedOn: startsOn,
          },
        })
      ).id;
  }
  return { roundId, nomineeId, objectionId };
}

let noticeForPdf: Promise<string> | undefined;

export function commendationRows(): ComRow[] {
  const body = () => ({
    year: new Date().getFullYear(),
    title: '评选表扬（权限测试）',
    categories: [{ key: 'fs', name: '优秀第一书记', quota: 3, target: 'PERSON' }],
    nominationWorkdays: 5,
    contact: '乡党建办',
  });
  const approval = (nomineeId: string) => ({ meeting: '乡党委会议', heldOn: '2026-01-05', categories: [{ categoryKey: 'fs', nomineeIds: [nomineeId] }] });
  return [
    { method: 'GET', route: '/api/commendations', allowed: READERS, own: async () => ({ path: '/api/commendations' }) },
    { method: 'POST', route: '/api/commendations', allowed: ['staff'], own: async () => ({ path: '/api/commendations', body: body() }) },
    { method: 'GET', route: '/api/commendations/notices', allowed: EVERYONE, own: async () => ({ path: '/api/commendations/notices' }) },
    {
      // The 公示 is public to every logged-in user, whichever township.
      method: 'GET',
      route: '/api/commendations/notices/:noticeId/pdf',
      allowed: EVERYONE,
      own: async (w, prisma) => {
        noticeForPdf ??= (async () => {
          const roundId = await round(prisma, w, 'NOTICE');
          const n = await prisma.commendationNotice.create({
            data: { roundId, seq: 1, documentId: w.issuedDoc, nomineeIds: [], workdays: 5, startsOn: '2026-01-05', endsOn: '2026-01-09', endsAt: new Date() },
          });
          return n.id;
        })();
        return { path: `/api/commendations/notices/${await noticeForPdf}/pdf` };
      },
    },
    {
      method: 'GET',
      route: '/api/commendations/:id',
      allowed: READERS,
      own: async (w, prisma) => ({ path: `/api/commendations/${await round(prisma, w, 'DRAFT')}` }),
      other: async (w, prisma) => ({ path: `/api/commendations/${await round(prisma, w, 'DRAFT', true)}` }),
    },
    {
      method: 'POST',
      route: '/api/commendations/:id/start',
      allowed: ['staff'],
      expectFor: () => 200,
      own: async (w, prisma) => ({ path: `/api/commendations/${await round(prisma, w, 'DRAFT')}/start` }),
      other: async (w, prisma) => ({ path: `/api/commendations/${await round(prisma, w, 'DRAFT', true)}/start` }),
    },
    {
      method: 'POST',
      route: '/api/commendations/:id/cancel',
      allowed: ['staff'],
      own: async (w, prisma) => ({ path: `/api/commendations/${await round(prisma, w, 'DRAFT')}/cancel`, body: { reason: '测试' } }),
      other: async (w, prisma) => ({ path: `/api/commendations/${await round(prisma, w, 'DRAFT', true)}/cancel`, body: { reason: '测试' } }),
    },
    {
      // The party secretary reads rounds but does not nominate (the service refuses); 党建办 for anyone, a branch for its own.
      method: 'POST',
      route: '/api/commendations/:id/nominations',
      allowed: READERS,
      expectFor: (who) => (who === 'secretary' ? 403 : 201),
      own: async (w, prisma) => {
        const person = (await makePerson(prisma, [{ orgId: w.branchA, role: Role.BRANCH_STAFF, post: '第一书记' }], '被推荐人')).id;
        return {
          path: `/api/commendations/${await round(prisma, w, 'NOMINATING')}/nominations`,
          body: { categoryKey: 'fs', personId: person, orgId: w.branchA, reason: '成效明显' },
        };
      },
      other: async (w, prisma) => {
        const person = (await makePerson(prisma, [{ orgId: w.otherBranch, role: Role.BRANCH_STAFF }], '邻乡被推荐人')).id;
        return {
          path: `/api/commendations/${await round(prisma, w, 'NOMINATING', true)}/nominations`,
          body: { categoryKey: 'fs', personId: person, orgId: w.otherBranch, reason: '成效明显' },
        };
      },
    },
    {
      method: 'PUT',
      route: '/api/commendations/:id/ranking',
      allowed: ['staff'],
      own: async (w, prisma) => {
        const r = await withNominee(prisma, w, 'SELECTING', 'NOMINATED');
        return { path: `/api/commendations/${r.roundId}/ranking`, body: { categoryKey: 'fs', order: [r.nomineeId] } };
      },
      other: async (w, prisma) => {
        const r = await withNominee(prisma, w, 'SELECTING', 'NOMINATED', { other: true });
        return { path: `/api/commendations/${r.roundId}/ranking`, body: { categoryKey: 'fs', order: [r.nomineeId] } };
      },
    },
    {
      method: 'POST',
      route: '/api/commendations/:id/approval',
      allowed: ['secretary'],
      expectFor: () => 200,
      own: async (w, prisma) => {
        const r = await withNominee(prisma, w, 'SELECTING', 'NOMINATED');
        return { path: `/api/commendations/${r.roundId}/approval`, body: approval(r.nomineeId) };
      },
      other: async (w, prisma) => {
        const r = await withNominee(prisma, w, 'SELECTING', 'NOMINATED', { other: true });
        return { path: `/api/commendations/${r.roundId}/approval`, body: approval(r.nomineeId) };
      },
    },
    {
      method: 'POST',
      route: '/api/commendations/:id/notice',
      allowed: ['staff'],
      expectFor: () => 200,
      own: async (w, prisma) => ({ path: `/api/commendations/${(await withNominee(prisma, w, 'SELECTING', 'APPROVED', { approved: true })).roundId}/notice` }),
      other: async (w, prisma) => ({
        path: `/api/commendations/${(await withNominee(prisma, w, 'SELECTING', 'APPROVED', { approved: true, other: true })).roundId}/notice`,
      }),
    },
    {
      // Anyone logged in may object to a nominee in notice, whichever township publishes it.
      method: 'POST',
      route: '/api/commendations/:id/objections',
      allowed: EVERYONE,
      own: async (w, prisma) => {
        const r = await withNominee(prisma, w, 'NOTICE', 'NOTICE', { approved: true });
        return { path: `/api/commendations/${r.roundId}/objections`, body: { nomineeId: r.nomineeId, text: '反映问题' } };
      },
    },
    {
      method: 'POST',
      route: '/api/commendations/:id/objections/:objectionId/resolve',
      allowed: ['staff'],
      expectFor: () => 200,
      own: async (w, prisma) => {
        const r = await withNominee(prisma, w, 'NOTICE', 'NOTICE', { approved: true, objection: true });
        return { path: `/api/commendations/${r.roundId}/objections/${r.objectionId}/resolve`, body: { upheld: false, finding: '经核查不属实' } };
      },
      other: async (w, prisma) => {
        const r = await withNominee(prisma, w, 'NOTICE', 'NOTICE', { approved: true, objection: true, other: true });
        return { path: `/api/commendations/${r.roundId}/objections/${r.objectionId}/resolve`, body: { upheld: false, finding: '经核查不属实' } };
      },
    },
    {
      method: 'POST',
      route: '/api/commendations/:id/decision',
      allowed: ['secretary'],
      expectFor: () => 200,
      own: async (w, prisma) => ({
        path: `/api/commendations/${(await withNominee(prisma, w, 'NOTICE', 'NOTICE', { approved: true, noticeEnded: true })).roundId}/decision`,
        body: {},
      }),
      other: async (w, prisma) => ({
        path: `/api/commendations/${(await withNominee(prisma, w, 'NOTICE', 'NOTICE', { approved: true, noticeEnded: true, other: true })).roundId}/decision`,
        body: {},
      }),
    },
  ];
}
