import { Context } from '@temporalio/activity';
import type { DirectiveFlowService } from '../../../server/src/directives/directive-flow.service';
import type { DirectiveActivities, ReceiptActivities } from '../../../../workflows/directive/activities';

/** Activities of the directive and receipt workflows: thin calls into the same services the API uses. */
export function createDirectiveActivities(flow: DirectiveFlowService): DirectiveActivities & ReceiptActivities {
  return {
    startReview: (directiveId: string) => flow.startReview(directiveId),
    startRound: (a: { directiveId: string; version: number }) => flow.startRound(a.directiveId, a.version),
    activateStage: (a: { directiveId: string; round: number; stageIndex: number }) => flow.activateStage(a.directiveId, a.round, a.stageIndex),
    recordDecision: (a) => flow.recordDecision(a),
    reminderDue: (a: { directiveId: string; since: string }) => flow.reminderDue(a.directiveId, new Date(a.since)),
    remindPending: (a: { directiveId: string; stepIds: string[] }) => flow.remindPending(a.directiveId, a.stepIds),
    withdraw: (a: { directiveId: string; personId: string; reason: string }) => flow.withdraw(a.directiveId, a.personId, a.reason),
    signDirective: (a: { directiveId: string; signerId: string }) => flow.signDirective(a.directiveId, a.signerId),
    issueDocument: (a: { directiveId: string }) => flow.issueDocument(a.directiveId),
    planDistribution: (a: { directiveId: string }) => flow.planDistribution(a.directiveId),
    distributeBatch: (a: { directiveId: string; offset: number; limit: number; parentWorkflowId: string }) =>
      flow.distributeBatch(a.directiveId, a.offset, a.limit, (done) => Context.current().heartbeat(done)),
    markIssued: (a: { directiveId: string }) => flow.markIssued(a.directiveId),
    revoke: (a: { directiveId: string; personId: string; reason: string }) =>
      flow.revoke(a.directiveId, a.personId, a.reason, (n) => Context.current().heartbeat(n)),
    acknowledgeReceipt: (a: { taskId: string; personId: string }) => flow.acknowledgeReceipt(a.taskId, a.personId),
    remindTask: (a: { taskId: string; at: string }) => flow.remindTask(a.taskId, a.at),
    markOverdue: (a: { taskId: string }) => flow.markOverdue(a.taskId),
  };
}
