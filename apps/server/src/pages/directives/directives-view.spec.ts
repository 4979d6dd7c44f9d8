import type { Actor } from '../../audit/actor';
import { Role } from '../../prisma/client';
import { directiveView } from './directives-view';

type Detail = Parameters<typeof directiveView>[0];

const drafter = { personId: 'p-drafter', orgId: 'o-committee', role: Role.COMMITTEE_STAFF } as Actor;
/** A directive as the page loads it, with only what the approval section reads. */
const directive = (over: Partial<Detail>) =>
  ({
    drafterId: drafter.personId,
    status: 'DRAFT',
    version: 1,
    round: 1,
    steps: [],
    versions: [],
    receipts: { expected: 0, acknowledged: 0 },
    recipient: undefined,
    receipt: undefined,
    requirements: [],
    ...over,
  }) as unknown as Detail;

describe('directiveView: the approval section', () => {
  it('just submitted, before the workflow opens the first round: says the steps are being made, not 尚未提交审批', () => {
    const view = directiveView(directive({ status: 'IN_REVIEW' }), drafter, 'submitted');
    expect(view.submitting).toBe(true);
    expect(view.settling).toBe(true);
    // The same for anyone opening the page in that moment, not only the drafter who was sent back to it.
    expect(directiveView(directive({ status: 'IN_REVIEW' }), drafter).submitting).toBe(true);
  });

  it('a draft never submitted, a round already opened, or a workflow that never started: not “being made”', () => {
    expect(directiveView(directive({ status: 'DRAFT' }), drafter).submitting).toBe(false);
    const step = { round: 1, status: 'PENDING', stage: 'REVIEW', version: 1, assigneeId: 'p-reviewer' };
    expect(directiveView(directive({ status: 'IN_REVIEW', steps: [step] } as Partial<Detail>), drafter, 'submitted').submitting).toBe(false);
    const missing = directiveView(directive({ status: 'IN_REVIEW' }), drafter, 'submitted', true);
    expect(missing.submitting).toBe(false);
    expect(missing.startMissing).toBe(true);
  });
});
