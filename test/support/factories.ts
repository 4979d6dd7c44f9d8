import { randomBytes, randomUUID } from 'node:crypto';
import { AuthService } from '../../apps/server/src/auth/auth.service';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';

export const PASSWORD = 'Test-password-1';
let passwordHash: Promise<string> | undefined;
const uid = () => randomBytes(4).toString('hex');

export async function makeCommittee(prisma: PrismaService, over: Partial<{ name: string; organCode: string }> = {}) {
  return prisma.organization.create({
    data: { code: `T-${uid()}`, name: over.name ?? '中共测试乡委员会', kind: OrgKind.COMMITTEE, organCode: over.organCode ?? '测委发' },
  });
}

export async function makeBranch(prisma: PrismaService, parentId: string, kind: OrgKind = OrgKind.VILLAGE, name = `测试村${uid()}支部`) {
  return prisma.organization.create({ data: { code: `B-${uid()}`, name, kind, parentId } });
}

export async function makePerson(prisma: PrismaService, memberships: { orgId: string; role: Role; post?: string }[], name = '测试人员') {
  passwordHash ??= AuthService.hashPassword(PASSWORD);
  const person = await prisma.person.create({ data: { username: `u.${uid()}`, name, passwordHash: await passwordHash } });
  const rows = [];
  for (const m of memberships) rows.push(await prisma.membership.create({ data: { personId: person.id, ...m } }));
  return { ...person, memberships: rows };
}

/** The subject and origin columns of a task that belongs to a directive (tests that make task rows directly). */
export const ofDirective = (directiveId: string) => ({ subjectType: 'directive', subjectId: directiveId, originType: 'directive', originId: directiveId });

/** A subject of its own for a task row made directly by a test (inbox order and paging need no real subject). */
export const unlinked = () => ({ subjectType: 'directive', subjectId: randomUUID() });
