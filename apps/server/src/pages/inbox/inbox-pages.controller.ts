import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import type { Actor } from '../../audit/actor';
import { AuthedRequest } from '../../common/decorators/auth.decorators';
import { DomainError, STATUS_OF } from '../../common/errors/domain-error';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { uuidParam } from '../../common/validation/uuid-param';
import { CalendarService } from '../../calendar/calendar.service';
import { ZONE } from '../../calendar/working-calendar';
import { STAGE_LABELS } from '../../directives/chain';
import { DirectivesService } from '../../directives/directives.service';
import { inboxHref, noticeHref, taskHref, withFrom } from '../../tasks/task-links';
import { InboxTab, TaskKindName, TasksService } from '../../tasks/tasks.service';
import { NOTIFICATION_LABELS } from '../directives/directives-view';
import { FILING_STATUS_LABELS, filingAsked } from '../filings/filings-view';
import { errorMap, isPending } from '../form';
import { afterPost, viewContext } from '../view-context';

const TABS: { value: InboxTab; label: string }[] = [
  { value: 'todo', label: '待办' },
  { value: 'overdue', label: '逾期' },
  { value: 'done', label: '已办' },
];

const KINDS: { value: TaskKindName | ''; label: string }[] = [
  { value: '', label: '全部' },
  { value: 'APPROVAL', label: '审批' },
  { value: 'RECEIPT', label: '签收' },
  { value: 'FILING', label: '填报' },
  { value: 'INSPECTION', label: '抽查' },
  { value: 'BALLOT', label: '评议' },
  { value: 'ACCOUNTABILITY', label: '问责' },
];

/** What a 问责 task asks (its data.step), and the button that opens its case. */
const CASE_STEPS: Record<string, { asked: string; action: string }> = {
  DEFENCE: { asked: '陈述申辩', action: '去申辩' },
  SERVICE: { asked: '签收问责决定', action: '去签收' },
  EXECUTION: { asked: '问责执行', action: '去办理' },
  TALK: { asked: '谈话承诺事项', action: '去办理' },
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIRECTIVE_PAGE = /^\/directives\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How long an approval has waited: 刚刚 / N 分钟 / N 小时 / N 天. */
function waitedText(since: Date, now = new Date()): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (minutes < 1) return '刚送达';
  if (minutes < 60) return `已等待 ${minutes} 分钟`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `已等待 ${hours} 小时`;
  return `已等待 ${Math.floor(hours / 24)} 天`;
}

/** 待办 / 逾期 / 已办 with 加载更多, 签收 in one tap, and the notifications (提醒、退回、废止、逾期). */
@ApiExcludeController()
@Controller('inbox')
export class InboxPagesController {
  constructor(
    private readonly tasks: TasksService,
    private readonly directives: DirectivesService,
    private readonly calendar: CalendarService,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  @Get()
  async inbox(@Req() req: AuthedRequest, @Res() res: Response) {
    await this.render(req, res, {});
  }

  @Post(':taskId/acknowledge')
  async acknowledge(
    @Req() req: AuthedRequest,
    @Res() res: Response,
    @Param('taskId', uuidParam('签收任务')) taskId: string,
    @Body() body: Record<string, string>,
  ) {
    try {
      await this.directives.acknowledge(req.actor as Actor, taskId);
      this.afterAcknowledge(req, res, body, 'acknowledged');
    } catch (err) {
      if (isPending(err)) return this.afterAcknowledge(req, res, body, 'pending');
      await this.render(req, res, { error: errorMap(err)._ }, err instanceof DomainError ? STATUS_OF[err.code] : 500);
    }
  }

  /** After 签收 (done: 'acknowledged'), or its acceptance while it is still being completed ('pending'). */
  private afterAcknowledge(req: AuthedRequest, res: Response, body: Record<string, string>, done: 'acknowledged' | 'pending') {
    // 签收 on the directive's page: back to that page, which keeps its way back (to the inbox or to 收文).
    const page = typeof body.page === 'string' ? DIRECTIVE_PAGE.exec(body.page)?.[0] : undefined;
    if (page) return res.redirect(303, afterPost(req, `${page}?done=${done}`));
    // Back to the same tab and filters the person acknowledged from.
    const back = inboxHref({
      tab: TABS.find((t) => t.value === body.tab)?.value ?? 'todo',
      kind: KINDS.find((k) => k.value && k.value === body.kind)?.value || undefined,
      directiveId: UUID.test(body.directiveId ?? '') ? body.directiveId : undefined,
    });
    res.redirect(303, done === 'pending' ? `${back}&done=pending` : `${back}&acknowledged=1`);
  }

  private async render(req: AuthedRequest, res: Response, extra: { error?: string }, status = 200) {
    const actor = req.actor as Actor;
    const tab = TABS.find((t) => t.value === req.query.tab)?.value ?? 'todo';
    const after = typeof req.query.after === 'string' && req.query.after ? req.query.after : undefined;
    // Filters from the URL; a value that is not one of the choices is ignored (a link from an old page still opens).
    const kind = KINDS.find((k) => k.value && k.value === req.query.kind)?.value || undefined;
    const directiveId = typeof req.query.directiveId === 'string' && UUID.test(req.query.directiveId) ? req.query.directiveId.toLowerCase() : undefined;
    const filters = { kind, directiveId };
    const [page, counts, notifications, cal, directives] = await Promise.all([
      this.tasks.inbox(actor, { tab, after, ...filters }),
      this.tasks.counts(actor),
      after ? Promise.resolve([]) : this.tasks.notifications(actor),
      this.calendar.calendar(),
      // 加载更多 only takes the next items from the page: no need for the filter's choices.
      after ? Promise.resolve([]) : this.tasks.directivesWithTasks(actor),
    ]);
    const today = DateTime.now().setZone(ZONE).toISODate() as string;
    // Every link from here carries the inbox as it is (tab and filters): the page it opens links back to it.
    const from = inboxHref({ tab, ...filters });
    const noticeTasks = await this.tasks.noticeTasks(notifications.map((n) => n.taskId));
    const items = page.items.map((t) => {
      const data = (t.data ?? {}) as {
        stage?: keyof typeof STAGE_LABELS;
        roundId?: string;
        unitRowId?: string;
        caseId?: string;
        step?: string;
        review?: boolean;
      };
      // A reviewer's 审核 task: a filing task assigned to a committee person; it opens the submitted filing.
      const isReview = t.kind === 'FILING' && data.review === true;
      const caseStep = t.kind === 'ACCOUNTABILITY' ? (CASE_STEPS[data.step ?? ''] ?? { asked: '问责', action: '去办理' }) : undefined;
      const due = t.dueAt ? (DateTime.fromJSDate(t.dueAt, { zone: ZONE }).toISODate() as string) : undefined;
      const left = due && t.status === 'OPEN' ? cal.workdaysBetween(today, due) : undefined;
      // A filing task opens its filing page and says where the filing stands (填报 / 待审核 / 退回修改).
      const filing = t.filing ?? undefined;
      const approval = t.kind === 'APPROVAL' && t.approval ? t.approval : undefined;
      const href = taskHref({ ...t, filingId: filing?.id ?? null });
      return {
        ...t,
        href: href ? withFrom(href, from) : undefined,
        directiveHref: t.directiveId ? withFrom(`/directives/${t.directiveId}`, from) : undefined,
        filingId: isReview ? t.subjectId : filing?.id,
        isReview,
        // An approval item: who drafted it, when it was submitted, and how long it has waited for this person.
        drafterName: approval?.drafterName ?? undefined,
        submittedAt: approval?.submittedAt ?? undefined,
        waited: t.kind === 'APPROVAL' && t.status === 'OPEN' ? waitedText(t.createdAt) : undefined,
        isFiling: t.kind === 'FILING',
        // 述职报告 and 整改方案 of a 述职评议 round are filings too, asked by the round rather than by a directive.
        fromReview: t.originType === 'review_round',
        docTitle: t.directive?.document.title ?? t.title,
        docNumber: t.directive?.document.docNumber,
        asked:
          t.kind === 'RECEIPT'
            ? '签收'
            : isReview
              ? '审核'
              : t.kind === 'FILING'
                ? filingAsked(filing?.status)
                : t.kind === 'INSPECTION'
                  ? '抽查'
                  : t.kind === 'BALLOT'
                    ? '评议打分'
                    : caseStep
                      ? caseStep.asked
                      : `审批：${data.stage ? STAGE_LABELS[data.stage] : ''}`,
        // An inspection task opens the inspector's field page at its unit.
        isInspection: t.kind === 'INSPECTION',
        // A 评议打分 task opens the rater's sheet of its round.
        isBallot: t.kind === 'BALLOT',

        // A 问责 task (陈述申辩, 签收, 执行, 谈话承诺) opens its case at the task.
        isCase: !!caseStep,

        caseAction: caseStep?.action,

        filingReturned: filing?.status === 'RETURNED',
        filingAction: isReview ? '去审核' : filing?.status === 'RETURNED' ? '去修改' : filing?.status === 'OPEN' ? '去填报' : '查看',
        isReceipt: t.kind === 'RECEIPT',
        open: t.status === 'OPEN',
        // A submitted filing is done for the branch, and waits for its review: 待审核 in 已办.
        statusLabel:
          t.status === 'DONE' && t.kind === 'FILING' && !isReview && filing && filing.status !== 'ACCEPTED'
            ? (FILING_STATUS_LABELS[filing.status] ?? '已完成')
            : t.status === 'DONE'
              ? '已完成'
              : t.status === 'CANCELLED'
                ? '已取消'
                : t.overdue
                  ? '已逾期'
                  : '待办理',
        daysLeft: left === undefined ? undefined : left > 0 ? `还剩 ${left} 个工作日` : left === 0 ? '今天到期' : `已超期 ${-left} 个工作日`,
      };
    });
    const open = counts.todo + counts.overdue;
    res.status(status).render('inbox/inbox', {
      ...(await viewContext(req, res, this.csrf, { title: '待办' })),
      // The layout's badge and the window title start from these; app.js keeps them current.
      title: open ? `(${open}) 待办` : '待办',
      navCounts: counts,
      tabs: TABS.map((t) => ({
        ...t,
        href: inboxHref({ tab: t.value, ...filters }),
        active: t.value === tab,
        count: t.value === 'done' ? undefined : counts[t.value],
      })),
      kinds: KINDS.map((k) => ({ ...k, href: inboxHref({ tab, kind: k.value || undefined, directiveId }), active: (k.value || undefined) === kind })),
      directives: directives.map((d) => ({ ...d, selected: d.id === directiveId })),
      kind: kind ?? '',
      directiveId,
      filtered: !!(kind || directiveId),
      clearHref: inboxHref({ tab }),
      tab,
      items,
      next: page.next ? inboxHref({ tab, ...filters, after: page.next }) : undefined,
      notifications: notifications.map((n) => {
        const href = noticeHref(n, noticeTasks, actor.role);
        return { ...n, label: NOTIFICATION_LABELS[n.kind] ?? '通知', href: href ? withFrom(href, from) : undefined };
      }),
      showNotifications: !after,
      acknowledged: req.query.acknowledged === '1',
      ...extra,
    });
  }
}
