/**
 * A directive drafted and submitted through the API, for the benches' setup (not what they measure).
 *
 * Guards against a race in 提交审批 seen in this bench's first runs (and fixed in 01f228c): the directive workflow
 * was started inside the transaction that sets round = 1, so its first activity (startReview) could read the row
 * before that commit and create the approval steps on round 0; signDirective, which looks for the signer's approval
 * on the directive's round, then failed on every retry and the directive never left IN_REVIEW (about one submission
 * in three on this machine once the audit append had moved to the end of the transaction). Should it come back, a
 * directive whose steps are not on its own round is abandoned (its workflow terminated), drafted again and counted,
 * and the bench reports it, rather than waiting two minutes and failing. The same file runs on older commits.
 */
import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../../apps/server/src/prisma/client';
import type { HttpSession } from './http-session';
import { sleep } from './processes';

export const submitRace = { abandoned: 0 };

export async function draftAndSubmit(prisma: PrismaClient, client: Client, drafter: HttpSession, body: unknown, tries = 5): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const { id } = await drafter.call<{ id: string }>('POST', '/api/directives', body);
    await drafter.call('POST', `/api/directives/${id}/submit`);
    const end = Date.now() + 30_000;
    let rounds: number[] = [];
    while (!rounds.length) {
      if (Date.now() > end) throw new Error(`发文 ${id} 提交 30 秒后仍没有审批步骤`);
      await sleep(50);
      rounds = (await prisma.approvalStep.findMany({ where: { directiveId: id }, select: { round: true } })).map((s) => s.round);
    }
    const { round } = await prisma.directive.findUniqueOrThrow({ where: { id }, select: { round: true } });
    if (rounds.every((r) => r === round)) return id;
    submitRace.abandoned++;
    console.warn(
      `WARNING: 提交审批的竞争：发文 ${id} 的审批步骤建在第 ${[...new Set(rounds)].join('、')} 轮，发文在第 ${round} 轮，永远无法签发；放弃并重新起草（第 ${attempt} 次）`,
    );
    await client.workflow
      .getHandle(`directive-${id}`)
      .terminate('bench: approval steps on the wrong round (submit race)')
      .catch(() => undefined);
    if (attempt >= tries) throw new Error(`连续 ${tries} 次提交审批都遇到竞争`);
  }
}
