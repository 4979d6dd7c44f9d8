import { allHandlersFinished, ApplicationFailure, condition, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { UNTIL_DONE } from '../shared/retry';
import { Lock } from '../shared/lock';
import { PATCHES } from '../shared/patches';
import type { DirectiveActivities } from './activities';
import {
  ChainPlan,
  DecideInput,
  decideUpdate,
  DirectiveState,
  directiveStateQuery,
  resubmitUpdate,
  revokeUpdate,
  withdrawUpdate,
} from './directive.definitions';

const acts = proxyActivities<DirectiveActivities>({ startToCloseTimeout: '1 minute', retry: UNTIL_DONE });
const slow = proxyActivities<DirectiveActivities>({ startToCloseTimeout: '10 minutes', heartbeatTimeout: '1 minute', retry: UNTIL_DONE });
// A fan-out batch heartbeats every 50 workflow starts: a worker that dies mid-batch is noticed in seconds, not a minute.
const fanout = proxyActivities<DirectiveActivities>({ startToCloseTimeout: '10 minutes', heartbeatTimeout: '15 seconds', retry: UNTIL_DONE });

const refuse = (message: string) => ApplicationFailure.nonRetryable(message, 'Refused');
const DISTRIBUTION_BATCH = 250;
const DISTRIBUTION_WINDOW = 2;

/**
 * Directive issuance (lifecycle 1): 核稿 in sequence → optional 会签 in parallel → 签发 →
 * number, render, archive → distribute to every addressed branch, one receipt workflow each.
 * Any step may return the draft; after revision the chain restarts where the directive says.
 * After issue it waits for a revocation (废止), which closes the branches' open tasks.
 */
export async function directiveWorkflow(input: { directiveId: string }): Promise<DirectiveState> {
  const { directiveId } = input;
  // Decided before anything else, so an execution takes the patch as a whole or not at all.
  const serialised = patched(PATCHES.SERIALISED_UPDATES);
  let plan: ChainPlan = await acts.startReview(directiveId);
  const state: DirectiveState = { status: 'IN_REVIEW', round: plan.round, version: plan.version, stageIndex: 0, active: [], distributed: 0 };
  let returned = false;
  let resubmitted = false;
  let withdrawn = false;
  let revoked = false;

  setHandler(directiveStateQuery, () => state);
  // Updates that act (decide, withdraw, revoke) run one at a time and re-check the state the previous one left.
  const lock = Lock.forExecution(serialised);

  // A stage's tasks are in the inboxes a moment before the workflow has the activity's answer: a decision
  // arriving in that moment waits for the stage instead of being refused.
  let activating = false;
  const checkStep = (d: DecideInput) => {
    const step = state.active.find((s) => s.stepId === d.stepId);
    if (!step) throw refuse('该审批步骤不是当前步骤');
    if (step.assigneeId !== d.personId) throw refuse('当前步骤不由您办理');
    if (step.decided) throw refuse('该步骤已经办理过');
    return step;
  };

  const stillInReview = (version: number) => {
    if (state.status !== 'IN_REVIEW') throw refuse('该发文当前不在审批中');
    if (version !== state.version) throw refuse(`文稿已更新为第 ${state.version} 版，请刷新后再办理`);
  };

  // Steps whose decision is being recorded (its activity may be retrying through an outage, the person already told
  // it was accepted): a second decision on the same step is refused at once, not accepted and refused later. Plain
  // state, no commands: validators do not run on replay.
  const deciding = new Set<string>();
  setHandler(
    decideUpdate,
    (d) => {
      deciding.add(d.stepId);
      return lock.run(async () => {
        try {
          await condition(() => !activating);
          // The step first: of two decisions on one step, the second is told the step is decided, whichever won.
          const step = checkStep(d);
          if (serialised) {
            stillInReview(d.version);
            if (returned || withdrawn) throw refuse('该发文已被退回或撤回');
          }
          const outcome = await acts.recordDecision({
            directiveId,
            stepId: d.stepId,
            personId: d.personId,
            decision: d.decision,
            comment: d.comment,
            version: d.version,
          });
          // Histories recorded before the activity answered with an outcome replay with none: recorded.
          if (outcome && !outcome.recorded) throw refuse(outcome.reason ?? '该决定未被接受');
          step.decided = true;
          if (d.decision === 'RETURN') returned = true;
          return { accepted: true as const, stage: step.stage, decision: d.decision };
        } finally {
          deciding.delete(d.stepId);
        }
      });
    },
    {
      validator: (d) => {
        stillInReview(d.version);
        if (d.decision === 'RETURN' && !d.comment?.trim()) throw refuse('退回修改须填写理由');
        if (!activating) checkStep(d);
        if (deciding.has(d.stepId)) throw refuse('该步骤正在办理中，请稍后刷新页面查看结果');
      },
    },
  );

  setHandler(
    resubmitUpdate,
    (r) => {
      state.version = r.version;
      resubmitted = true;
      return { round: state.round + 1 };
    },
    {
      validator: (r) => {
        if (state.status !== 'RETURNED') throw refuse('只有被退回的发文才能重新提交');
        if (r.personId !== plan.drafterId) throw refuse('只有起草人可以重新提交');
        if (r.version <= state.version) throw refuse('请先修改文稿（保存新版本）再重新提交');
      },
    },
  );

  const mayWithdraw = (w: { personId: string }) => {
    if (withdrawn) throw refuse('该发文已撤回');
    if (state.status !== 'IN_REVIEW' && state.status !== 'RETURNED') throw refuse('已签发的发文不能撤回，只能由书记废止');
    if (w.personId !== plan.drafterId) throw refuse('只有起草人可以撤回');
  };
  setHandler(
    withdrawUpdate,
    (w) =>
      lock.run(async () => {
        if (serialised) mayWithdraw(w);
        await acts.withdraw({ directiveId, personId: w.personId, reason: w.reason });
        withdrawn = true;
        state.status = 'WITHDRAWN';
        return { withdrawn: true as const };
      }),
    { validator: mayWithdraw },
  );

  setHandler(
    revokeUpdate,
    (r) =>
      lock.run(async () => {
        if (serialised && revoked) throw refuse('该发文已废止');
        // Accepted in the moment between the database saying 已印发 and this workflow hearing it: wait for it. Awaited
        // only then, so a 废止 of an issued directive runs exactly the commands it always ran.
        if (state.status !== 'ISSUED') await condition(() => state.status === 'ISSUED');
        revoked = true;
        const { closedTasks } = await slow.revoke({ directiveId, personId: r.personId, reason: r.reason });
        state.status = 'REVOKED';
        return { revoked: true as const, closedTasks };
      }),
    {
      validator: (r) => {
        // 印发中 (DISTRIBUTING): the document is issued and the database may already say so (markIssued has committed; this
        // workflow has not yet heard): the handler waits for it rather than refuse what the page offered.
        if (state.status !== 'ISSUED' && state.status !== 'DISTRIBUTING') throw refuse('只有已印发的发文才能废止');
        if (revoked) throw refuse('该发文已废止');
        if (!r.reason?.trim()) throw refuse('废止须填写理由');
      },
    },
  );

  // The approval chain.
  for (let i = 0; i < plan.stages.length; i++) {
    state.stageIndex = i;
    activating = true;
    state.active = await acts.activateStage({ directiveId, round: state.round, stageIndex: i });
    activating = false;
    let since = Date.now();
    while (!withdrawn && !returned && !state.active.every((s) => s.decided)) {
      const remindAt = await acts.reminderDue({ directiveId, since: new Date(since).toISOString() });
      const woke = await condition(() => withdrawn || returned || state.active.every((s) => s.decided), Math.max(1, remindAt - Date.now()));
      if (!woke) {
        await acts.remindPending({ directiveId, stepIds: state.active.filter((s) => !s.decided).map((s) => s.stepId) });
        since = Date.now();
      }
    }
    if (withdrawn) break;
    if (returned) {
      state.status = 'RETURNED';
      state.active = [];
      await condition(() => resubmitted || withdrawn);
      if (withdrawn) break;
      plan = await acts.startRound({ directiveId, version: state.version });
      state.round = plan.round;
      state.status = 'IN_REVIEW';
      returned = false;
      resubmitted = false;
      i = (plan.restartFrom === 'START' ? 0 : i) - 1;
    }
  }

  if (!withdrawn) {
    state.status = 'SIGNING';
    state.active = [];
    await acts.signDirective({ directiveId, signerId: plan.stages[plan.stages.length - 1].assignees[0] });
    await slow.issueDocument({ directiveId });
    state.status = 'DISTRIBUTING';
    const { total } = await acts.planDistribution({ directiveId });
    const batch = async (offset: number) => {
      const { done } = await fanout.distributeBatch({ directiveId, offset, limit: DISTRIBUTION_BATCH, parentWorkflowId: workflowInfo().workflowId });
      state.distributed += done;
    };
    // A sliding window of DISTRIBUTION_WINDOW batches: the next batch starts while one finishes, so the
    // workflow starts never pause between batches; at most that many activities are pending at once.
    let next = 0;
    const lane = async () => {
      while (next < total) {
        const offset = next;
        next += DISTRIBUTION_BATCH;
        await batch(offset);
      }
    };
    await Promise.all(Array.from({ length: Math.min(DISTRIBUTION_WINDOW, Math.ceil(total / DISTRIBUTION_BATCH)) }, lane));
    await acts.markIssued({ directiveId });
    state.status = 'ISSUED';
    // Stay available for 废止 for a year; after that the directive is history.
    await condition(() => revoked, '365 days');
  }
  await condition(allHandlersFinished);
  return state;
}
