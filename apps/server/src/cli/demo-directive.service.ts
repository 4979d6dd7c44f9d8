import { Injectable, Module } from '@nestjs/common';
import fs from 'node:fs';
import path from 'node:path';
import type { Actor } from '../audit/actor';
import { PlatformModule } from '../platform.module';
import { PROJECT_ROOT } from '../common/paths';
import { ConfigModule } from '../config/config.module';
import { DirectivesModule } from '../directives/directives.module';
import { DirectivesService } from '../directives/directives.service';
import type { CreateDirectiveDto } from '../directives/dto/directive.dto';
import { OrgsModule } from '../orgs/orgs.module';
import { Role } from '../prisma/client';
import { PrismaModule } from '../prisma/prisma.module';
import { PrismaService } from '../prisma/prisma.service';
import { TemporalModule } from '../temporal/temporal.module';
import { DEMO_COMMITTEE } from './demo-township';

/** The township's 2017 plan (大滩委发〔2017〕58号), as the committee received it: the demo's first directive. */
export const DEMO_DIRECTIVE_TEXT = path.join(PROJECT_ROOT, 'prisma/seed/dt-2017-58.txt');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the demo's first directive through the real lifecycle, so that a newcomer finds work in every inbox: 张党建
 * drafts it from the text with an annual-plan filing (10 working days), submits it; 王书记 reviews and signs it; the
 * workflows number it, render the red-header PDF and send it to all 21 branches, each with a 签收 and a 填报 task.
 * Needs the worker running. Does nothing when the committee already has a directive.
 */
@Injectable()
export class DemoDirectiveService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly directives: DirectivesService,
  ) {}

  async issue(progress: (line: string) => void, timeoutMs = 180_000): Promise<{ created: boolean; title?: string; docNumber?: string | null }> {
    const committee = await this.prisma.organization.findUnique({ where: { code: DEMO_COMMITTEE.code } });
    if (!committee) throw new Error('演示乡镇不存在，请先运行 seed-demo');
    if (await this.prisma.directive.count({ where: { orgId: committee.id } })) return { created: false };
    const actor = async (username: string, role: Role): Promise<Actor> => {
      const m = await this.prisma.membership.findFirstOrThrow({ where: { orgId: committee.id, role, person: { username } }, include: { person: true } });
      return { personId: m.personId, name: m.person.name, membershipId: m.id, role: m.role, orgId: committee.id, orgName: committee.name };
    };
    const drafter = await actor('dt.djb', Role.COMMITTEE_STAFF);
    const secretary = await actor('dt.shuji', Role.COMMITTEE_SECRETARY);
    const until = Date.now() + timeoutMs;
    const waitFor = async <T>(what: string, check: () => Promise<T | null | undefined>): Promise<T> => {
      for (;;) {
        const v = await check();
        if (v) return v;
        if (Date.now() > until) throw new Error(`等待${what}超时`);
        await sleep(300);
      }
    };

    const dto = {
      text: fs.readFileSync(DEMO_DIRECTIVE_TEXT, 'utf8'),
      chain: { reviewers: [secretary.personId], signerId: secretary.personId },
      distribution: { mode: 'ALL' },
      requirements: [{ title: '年度党建扶贫工作计划', template: 'ANNUAL_WORK_PLAN', deadlineKind: 'WORKDAYS', deadlineWorkdays: 10 }],
    } as unknown as CreateDirectiveDto;
    const d = await this.directives.create(drafter, dto);
    await this.directives.submit(drafter, d.id);
    progress('张党建起草并提交审批');
    const decided = new Set<string>();
    for (const step of ['核稿', '签发']) {
      const stepId = await waitFor(`${step}待办`, async () => {
        const tasks = await this.prisma.task.findMany({
          where: { originType: 'directive', originId: d.id, kind: 'APPROVAL', assigneeId: secretary.personId, status: 'OPEN' },
        });
        return tasks.map((t) => (t.data as { stepId?: string } | null)?.stepId).find((id) => id && !decided.has(id));
      });
      decided.add(stepId);
      await this.directives.decide(secretary, d.id, { stepId, decision: 'APPROVE', comment: '同意', version: 1 });
      progress(`王书记${step}`);
    }
    const issued = await waitFor('印发', async () => {
      const row = await this.prisma.directive.findUniqueOrThrow({ where: { id: d.id }, include: { document: true } });
      return row.status === 'ISSUED' ? row : null;
    });
    return { created: true, title: issued.document.title, docNumber: issued.document.docNumber };
  }
}

/** What the demo directive needs: the directives and the services they call (Temporal client; no HTTP). */
@Module({
  imports: [ConfigModule, PrismaModule, PlatformModule, TemporalModule, OrgsModule, DirectivesModule],
  providers: [DemoDirectiveService],
})
export class DemoDirectiveModule {}
