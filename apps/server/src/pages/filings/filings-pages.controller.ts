import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import fs from 'node:fs';
import type { Actor } from '../../audit/actor';
import { BRANCH_ROLES } from '../../auth/roles';
import { CalendarService } from '../../calendar/calendar.service';
import { ZONE, type WorkingCalendar } from '../../calendar/working-calendar';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';

import { Csrf, CSRF } from '../../common/middleware/csrf';
import { uuidParam } from '../../common/validation/uuid-param';
import { FILE_READER_ROLES } from '../../files/files.service';
import { FilingsService } from '../../filings/filings.service';
import type { FormDefinition } from '../../filings/forms/form-types';
import { errorMap, isPending, statusOf } from '../form';
import { nameMatches } from '../list-search';
import { sortSummary, summaryParams, summaryQuery, SUMMARY_FILTERS, SUMMARY_SORTS, type SummarySort } from './filings-table-query';
import { daysLeftText, EXTENSION_STATUS_LABELS, FILING_STATUS_LABELS, formView, shanghaiDateTime, shanghaiInstant, shownValues } from './filings-view';
import { afterPost, viewContext } from '../view-context';
import { sendLiveState } from '../directives/live-state';

const id = uuidParam('填报');
const ECHARTS = require.resolve('echarts/dist/echarts.min.js');

interface Extra {
  error?: string;
  errors?: Record<string, string>;
  form?: Record<string, string>;
}

/** 填报: the branch fills in and submits; the reviewer accepts or returns; the committee's table per requirement. */
@ApiExcludeController()
@Controller()
export class FilingsPagesController {
  constructor(
    private readonly filings: FilingsService,
    private readonly calendar: CalendarService,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  /** ECharts for the completion chart, served from node_modules with a long cache. */
  @Get('filings/echarts.min.js')
  echarts(@Res() res: Response) {
    res.type('application/javascript').set('Cache-Control', 'public, max-age=31536000, immutable');
    fs.createReadStream(ECHARTS).pipe(res);
  }

  @Get('filings/:id')
  async page(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) filingId: string) {
    await this.render(req, res, filingId, {});
  }

  /** The page's live status (polled by live.js): moves when the filing's status, deadline or extension requests change. */
  @Get('filings/:id/status')
  async status(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) filingId: string) {
    sendLiveState(req, res, await this.filings.liveState(req.actor as Actor, filingId));
  }

  /** 通过 / 退回修改 (退回 with a reason and a new deadline). */
  @Post('filings/:id/review')
  @RequirePermission('filing.review')
  async review(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) filingId: string, @Body() body: Record<string, string>) {
    const decision = body.decision === 'RETURN' ? 'RETURN' : 'ACCEPT';
    const comment = (body.comment ?? '').trim();
    const errors: Record<string, string> = {};
    const newDeadline = shanghaiInstant(body.newDate, body.newTime);
    if (decision === 'RETURN') {
      if (!comment) errors.comment = '退回修改须填写理由';
      if (!newDeadline) errors.newDate = '退回修改须给出新的期限';
    }
    if (Object.keys(errors).length) return this.render(req, res, filingId, { errors, form: body }, 400);
    await this.act(req, res, filingId, decision === 'ACCEPT' ? 'accepted' : 'returned', { form: body }, () =>
      this.filings.review(req.actor as Actor, filingId, { decision, comment, newDeadline: decision === 'RETURN' ? newDeadline : undefined }),
    );
  }

  @Post('filings/:id/extension')
  @RequirePermission('filing.submit')
  async extension(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) filingId: string, @Body() body: Record<string, string>) {
    const until = shanghaiInstant(body.untilDate, body.untilTime);
    const reason = (body.reason ?? '').trim();
    const errors: Record<string, string> = {};
    if (!until) errors.untilDate = '请选择延期到哪一天';
    if (!reason) errors.reason = '请填写申请延期的理由';
    if (Object.keys(errors).length || !until) return this.render(req, res, filingId, { errors, form: body }, 400);
    await this.act(req, res, filingId, 'extension', { form: body }, () => this.filings.requestExtension(req.actor as Actor, filingId, { until, reason }));
  }

  @Post('filings/:id/extension/decision')
  @RequirePermission('filing.review')
  async decideExtension(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) filingId: string, @Body() body: Record<string, string>) {
    const grant = body.grant === 'true';
    await this.act(req, res, filingId, grant ? 'granted' : 'refused', { form: body }, () =>
      this.filings.decideExtension(req.actor as Actor, filingId, { grant, comment: (body.extComment ?? '').trim() }),
    );
  }

  /**
   * The committee's table: every branch, counts, a chart of statuses and of submissions over time; the branches searched
   * by name, one status chip and sorted by a column, all in the query (links and a GET form: no script needed). A wrong
   * value is a 400 naming it, the page shown without it.
   */
  @Get('requirements/:id/filings')
  @RequirePermission('filing.table')
  async table(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', uuidParam('填报要求')) requirementId: string) {
    const query = summaryQuery(req.query as Record<string, unknown>);
    const actor = req.actor as Actor;
    const t = await this.filings.table(actor, requirementId);
    const cal = await this.calendar.calendar();
    const rows = t.rows.map((r) => ({
      ...r,
      statusLabel: FILING_STATUS_LABELS[r.status] ?? r.status,
      late: r.overdue || r.overdueWorkdays > 0,
    }));
    const chart = {
      statuses: ['OPEN', 'RETURNED', 'SUBMITTED', 'ACCEPTED'].map((s) => ({ name: FILING_STATUS_LABELS[s], value: rows.filter((r) => r.status === s).length })),
      submitted: this.cumulative(rows.map((r) => r.submittedAt)),
      total: t.totals.total,
    };
    // Which branches to list (a county has hundreds): those whose name holds the search words, then all of them, those
    // in one status or those overdue (each chip counts within the search).
    const found = query.q ? rows.filter((r) => nameMatches(r.orgName, query.q)) : rows;
    const filters = SUMMARY_FILTERS.map((f) => ({ ...f, count: found.filter(f.test).length }));
    const chosen = filters.find((f) => f.value === query.show) ?? filters[0];
    const href = (over: Parameters<typeof summaryParams>[1]) => {
      const params = summaryParams(query, over);
      return `/requirements/${requirementId}/filings${params ? `?${params}` : ''}`;
    };
    const headers = Object.fromEntries(
      (Object.keys(SUMMARY_SORTS) as SummarySort[]).map((k) => {
        const on = query.sort.by === k;
        return [
          k,
          {
            label: SUMMARY_SORTS[k],
            href: href({ sort: k, dir: on && !query.sort.desc ? 'desc' : '' }),
            mark: on ? (query.sort.desc ? '▼' : '▲') : '',
            aria: on ? (query.sort.desc ? 'descending' : 'ascending') : 'none',
          },
        ];
      }),
    );
    const canUrge = (actor.role === 'COMMITTEE_STAFF' || actor.role === 'COMMITTEE_SECRETARY') && !!(t.totals.open || t.totals.returned);
    res.status(query.problems.length ? 400 : 200).render('filings/table', {
      ...(await viewContext(req, res, this.csrf, { title: `${t.requirement.title} · 填报情况` })),
      requirement: t.requirement,
      totals: t.totals,
      rows: this.shownRows(sortSummary(found.filter(chosen.test), query.sort), cal),
      canUrge,
      filters: filters.map((f) => ({ value: f.value, label: f.label, count: f.count, active: f === chosen, href: href({ show: f.value }) })),
      headers,
      q: query.q,
      // The search form carries the chip and the sort along; 清除 drops the search words only.
      keep: Object.fromEntries(new URLSearchParams(summaryParams(query, { q: '' }))),
      clearHref: href({ q: '' }),
      problems: query.problems.filter((p) => p.field !== 'q'),
      qError: query.problems.find((p) => p.field === 'q')?.message,
      shown: chosen.value ? chosen.label : '',
      chartJson: JSON.stringify(chart),
    });
  }

  /**
   * What each listed row shows of its times, worked out once per deadline (most branches share one) rather than per
   * row: a thousand rows render in one pass of plain values.
   */
  private shownRows<T extends { status: string; deadlineAt: Date; submittedAt: Date | null }>(rows: T[], cal: WorkingCalendar) {
    const now = new Date();
    const left = new Map<number, string>();
    const leftOf = (d: Date) => {
      let text = left.get(d.getTime());
      if (text === undefined) left.set(d.getTime(), (text = daysLeftText(cal, d, now).text));
      return text;
    };
    return rows.map((r) => ({
      ...r,
      urgeable: r.status === 'OPEN' || r.status === 'RETURNED',
      deadlineText: shanghaiDateTime(r.deadlineAt),
      submittedText: r.submittedAt ? shanghaiDateTime(r.submittedAt) : '',
      left: r.status === 'ACCEPTED' || r.status === 'CLOSED' ? undefined : leftOf(r.deadlineAt),
    }));
  }

  /** Branches that had submitted by each day (Asia/Shanghai), for the completion line. */
  private cumulative(instants: (Date | null)[]) {
    const days = instants
      .filter((d): d is Date => !!d)
      .map((d) => DateTime.fromJSDate(d, { zone: ZONE }).toISODate() as string)
      .sort();
    const out: { day: string; count: number }[] = [];
    days.forEach((day, i) => {
      const last = out[out.length - 1];
      if (last?.day === day) last.count = i + 1;
      else out.push({ day, count: i + 1 });
    });
    return out;
  }

  private async act(req: AuthedRequest, res: Response, filingId: string, done: string, keep: Extra, run: () => Promise<unknown>) {
    try {
      await run();
      res.redirect(303, afterPost(req, `/filings/${filingId}?done=${done}`));
    } catch (err) {
      if (isPending(err)) return res.redirect(303, afterPost(req, `/filings/${filingId}?done=pending`));
      const map = errorMap(err);
      await this.render(req, res, filingId, { ...keep, error: map._ }, statusOf(err));
    }
  }

  private async render(req: AuthedRequest, res: Response, filingId: string, extra: Extra, status = 200) {
    const actor = req.actor as Actor;
    // Read before the page's content: a change in between makes the page reload once more, never miss a change.
    const liveVersion = await this.filings.liveState(actor, filingId);
    const f = await this.filings.get(actor, filingId);
    const def = f.requirement.form as unknown as FormDefinition;
    const cal = await this.calendar.calendar();
    const isBranch = BRANCH_ROLES.includes(actor.role);
    // A named reviewer (a rectification: the inspector who recorded the finding) is the only one; otherwise the capacity or
    // the secretary — and never someone who belongs to the filing's branch (FilingsService.mayReview).
    const isReviewer = await this.filings.mayReview(actor, f);
    const editable = isBranch && (f.status === 'OPEN' || f.status === 'RETURNED');
    const last = f.versions[f.versions.length - 1];
    const lastValues = (last?.values ?? {}) as Record<string, unknown>;
    const working = (f.draft ?? lastValues) as Record<string, unknown>;
    const lastReview = f.reviews[f.reviews.length - 1];
    const pending = f.extensions.find((e) => e.status === 'PENDING');
    const left = daysLeftText(cal, f.deadlineAt);
    const done = typeof req.query.done === 'string' ? req.query.done : '';
    const savedAt = f.draftSavedAt ? DateTime.fromJSDate(f.draftSavedAt, { zone: ZONE }) : undefined;
    const todayShanghai = DateTime.now().setZone(ZONE).toISODate();
    // The branch's own people and the committee's readers open attachments (the same rule as GET /api/files/:id).
    const linkFiles = actor.orgId === f.orgId || FILE_READER_ROLES.includes(actor.role);
    res.status(status).render('filings/filing', {
      ...(await viewContext(req, res, this.csrf, { title: f.requirement.title })),
      filing: f,
      liveVersion,
      // The directive it answers (a branch reads it once issued to it) and, for the committee, every branch's filings.
      directiveHref: f.requirement.directive ? `/directives/${f.requirement.directive.id}` : undefined,
      summaryHref: isBranch ? undefined : `/requirements/${f.requirement.id}/filings`,
      def,
      statusLabel: FILING_STATUS_LABELS[f.status] ?? f.status,
      deadlineLeft: f.status === 'ACCEPTED' || f.status === 'CLOSED' ? undefined : left,
      isBranch,
      editable,
      fields: editable ? formView(def, working) : [],
      savedText: savedAt ? `已自动保存 ${savedAt.toISODate() === todayShanghai ? savedAt.toFormat('HH:mm') : savedAt.toFormat('M月d日 HH:mm')}` : '',
      shown: !editable && last ? shownValues(def, lastValues, { linkFiles }) : undefined,
      canReview: isReviewer && f.status === 'SUBMITTED',
      canDecideExtension: isReviewer && !!pending,
      canRequestExtension: editable && !pending,
      pending,
      returned: f.status === 'RETURNED' && lastReview?.decision === 'RETURN' ? lastReview : undefined,
      versions: [...f.versions].reverse().map((v) => {
        const r = f.reviews.find((x) => x.version === v.version);
        return {
          ...v,
          shown: shownValues(def, (v.values ?? {}) as Record<string, unknown>, { linkFiles }),
          review: r ? { ...r, label: r.decision === 'ACCEPT' ? '通过' : '退回修改' } : undefined,
        };
      }),
      extensions: f.extensions.map((e) => ({ ...e, statusLabel: EXTENSION_STATUS_LABELS[e.status] ?? e.status })),
      minDate: todayShanghai,
      done,
      form: {},
      errors: {},
      ...extra,
    });
  }
}
