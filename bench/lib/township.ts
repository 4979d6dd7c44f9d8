/* The benches' township: a committee, N branches and the committee's people, straight into the database (setup is not what is measured). */
import { randomBytes, randomUUID } from 'node:crypto';
import { AuthService } from '../../apps/server/src/auth/auth.service';
import { OrgKind, PrismaClient, Role } from '../../apps/server/src/prisma/client';

export const PASSWORD = 'Bench-password-1';

export interface BenchTownship {
  tag: string;
  committeeId: string;
  branchIds: string[];
  users: { drafter: string; reviewer: string; secretary: string };
  personIds: { drafter: string; reviewer: string; secretary: string };
  /** One more account with one membership; returns its person id. */
  person: (username: string, name: string, orgId: string, role: Role) => Promise<string>;
}

export async function seedTownship(prisma: PrismaClient, branches: number, reviewerName = '核稿人'): Promise<BenchTownship> {
  const hash = await AuthService.hashPassword(PASSWORD);
  const tag = randomBytes(3).toString('hex');
  const committeeId = randomUUID();
  await prisma.organization.create({
    data: { id: committeeId, code: `BENCH-${tag}`, name: '中共达州市达川区大滩乡委员会', kind: OrgKind.COMMITTEE, organCode: '大滩委发' },
  });
  const kinds = [OrgKind.VILLAGE, OrgKind.COMMUNITY, OrgKind.OFFICE, OrgKind.SCHOOL];
  const branchIds = Array.from({ length: branches }, () => randomUUID());
  await prisma.organization.createMany({
    data: branchIds.map((id, i) => ({
      id,
      code: `BENCH-${tag}-${String(i + 1).padStart(5, '0')}`,
      name: `中共大滩乡第${i + 1}党支部委员会`,
      kind: kinds[i % kinds.length],
      parentId: committeeId,
      sortOrder: i + 1,
    })),
  });
  const person = async (username: string, name: string, orgId: string, role: Role) => {
    const p = await prisma.person.create({ data: { username, name, passwordHash: hash } });
    await prisma.membership.create({ data: { personId: p.id, orgId, role } });
    return p.id;
  };
  const users = { drafter: `bench.drafter.${tag}`, reviewer: `bench.reviewer.${tag}`, secretary: `bench.shuji.${tag}` };
  const personIds = {
    drafter: await person(users.drafter, '起草人', committeeId, Role.COMMITTEE_STAFF),
    reviewer: await person(users.reviewer, reviewerName, committeeId, Role.COMMITTEE_STAFF),
    secretary: await person(users.secretary, '党委书记', committeeId, Role.COMMITTEE_SECRETARY),
  };
  return { tag, committeeId, branchIds, users, personIds, person };
}
