import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor';
import { actsForSubtree } from '../../auth/roles';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';
import { download, XLSX_TYPE } from '../../common/http/download';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { uuidParam } from '../../common/validation/uuid-param';
import { committeeYearChart, orgHistoryChart, personHistoryChart } from '../../overview/overview-chart';
import { parseSort, parseYear, SORT_KEYS, thisYear, type Sort, type SortKey } from '../../overview/overview-query';
import { committeeWorkbook, orgWorkbook, personWorkbook } from '../../overview/overview-workbook';
import { OverviewService } from '../../overview/overview.service';
import { viewContext } from '../view-context';

const orgId = uuidParam('组织');
const personId = uuidParam('人员');

/** The years offered in the year picker: this year and the nine before it (and the one asked for, if older). */
const yearOptions = (year: number) => {
  const top = thisYear();
  const out: { value: number; selected: boolean }[] = [];
  for (let y = top; y > top - 10; y--) out.push({ value: y, selected: y === year });
  if (!out.some((o) => o.selected)) out.push({ value: year, selected: true });
  return out;
};

/**
 * 年度综合情况 pages: the committee's table of its branches for a year (sortable by each column, each branch linked),
 * one branch (figures, the chart over the recent years, its people), one person; xlsx for the table and a branch.
 * The charts are SVG rendered on the server (no script). A branch opening /overview is taken to its own page.
 */
@ApiExcludeController()
@Controller('overview')
@RequirePermission('commendation.read')
export class OverviewPagesController {
  constructor(
    private readonly overview: OverviewService,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  @Get()
  async table(
    @Req() req: AuthedRequest,
    @Res() res: Response,
    @Query('year') rawYear: unknown,
    @Query('sort') rawSort: unknown,
    @Query('dir') rawDir: unknown,
  ) {
    const actor = req.actor as Actor;
    const year = parseYear(rawYear);
    const sort = parseSort(rawSort, rawDir);
    if (!actsForSubtree(actor.role)) return res.redirect(303, `/overview/orgs/${actor.orgId}?year=${year}`);
    const rows = await this.overview.table(actor, year, sort);
    const link = (key: SortKey) => {
      const dir = sort.key === key && sort.dir === 'asc' ? 'desc' : 'asc';
      return `/overview?year=${year}&sort=${key}&dir=${dir}`;
    };
    const headers = Object.fromEntries(
      (Object.keys(SORT_KEYS) as SortKey[]).map((k) => [
        k,
        {
          href: link(k),
          label: SORT_KEYS[k],
          mark: sort.key === k ? (sort.dir === 'asc' ? '▲' : '▼') : '',
          aria: sort.key !== k ? 'none' : sort.dir === 'asc' ? 'ascending' : 'descending',
        },
      ]),
    );
    res.render('overview/index', {
      ...(await viewContext(req, res, this.csrf, { title: `${year}年度综合情况` })),
      year,
      years: yearOptions(year),
      sort,
      headers,
      rows: rows.map((r) => ({ ...r, commendationText: r.commendations.map((c) => `${c.title}（${c.who}）`).join('；') })),
      chart: rows.length ? committeeYearChart(rows) : null,
      xlsx: `/overview.xlsx?year=${year}&sort=${sort.key}&dir=${sort.dir}`,
    });
  }

  @Get('orgs/:orgId')
  async org(@Req() req: AuthedRequest, @Res() res: Response, @Param('orgId', orgId) id: string, @Query('year') rawYear: unknown) {
    const actor = req.actor as Actor;
    const view = await this.overview.org(actor, id, parseYear(rawYear));
    res.render('overview/org', {
      ...(await viewContext(req, res, this.csrf, { title: `${view.org.name} ${view.year}年度综合情况` })),
      ...view,
      years: yearOptions(view.year),
      chart: orgHistoryChart(view.history),
      committee: actsForSubtree(actor.role),
      xlsx: `/overview/orgs/${view.org.id}/overview.xlsx?year=${view.year}`,
    });
  }

  @Get('orgs/:orgId/overview.xlsx')
  async orgXlsx(@Req() req: AuthedRequest, @Res() res: Response, @Param('orgId', orgId) id: string, @Query('year') rawYear: unknown) {
    const view = await this.overview.org(req.actor as Actor, id, parseYear(rawYear));
    download(res, await orgWorkbook(view), XLSX_TYPE, `${view.org.name}-${view.year}年度综合情况.xlsx`, `overview-${view.year}.xlsx`);
  }

  @Get('people/:personId')
  async person(@Req() req: AuthedRequest, @Res() res: Response, @Param('personId', personId) id: string, @Query('year') rawYear: unknown) {
    const view = await this.overview.person(req.actor as Actor, id, parseYear(rawYear));
    res.render('overview/person', {
      ...(await viewContext(req, res, this.csrf, { title: `${view.person.name} ${view.year}年度综合情况` })),
      ...view,
      years: yearOptions(view.year),
      chart: personHistoryChart(view.history),
      xlsx: `/overview/people/${view.person.id}/overview.xlsx?year=${view.year}`,
    });
  }

  @Get('people/:personId/overview.xlsx')
  async personXlsx(@Req() req: AuthedRequest, @Res() res: Response, @Param('personId', personId) id: string, @Query('year') rawYear: unknown) {
    const view = await this.overview.person(req.actor as Actor, id, parseYear(rawYear));
    download(res, await personWorkbook(view), XLSX_TYPE, `${view.person.name}-${view.year}年度综合情况.xlsx`, `overview-person-${view.year}.xlsx`);
  }
}

/** /overview.xlsx: the committee table as a workbook, in the order the page shows it. */
@ApiExcludeController()
@Controller()
@RequirePermission('commendation.read')
export class OverviewExportController {
  constructor(private readonly overview: OverviewService) {}

  @Get('overview.xlsx')
  async xlsx(@Req() req: AuthedRequest, @Res() res: Response, @Query('year') rawYear: unknown, @Query('sort') rawSort: unknown, @Query('dir') rawDir: unknown) {
    const year = parseYear(rawYear);
    const sort: Sort = parseSort(rawSort, rawDir);
    const rows = await this.overview.table(req.actor as Actor, year, sort);
    download(res, await committeeWorkbook(rows), XLSX_TYPE, `${year}年度综合情况.xlsx`, `overview-${year}.xlsx`);
  }
}
