import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor';
import { actsForSubtree } from '../../auth/roles';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';
import { DomainError } from '../../common/errors/domain-error';
import { download, XLSX_TYPE } from '../../common/http/download';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { uuidParam } from '../../common/validation/uuid-param';
import { committeeYearChart, orgHistoryChart, personHistoryChart } from '../../overview/overview-chart';
import { parseSort, parseYear, SORT_KEYS, thisYear, type Sort, type SortKey } from '../../overview/overview-query';
import { committeeWorkbook, orgWorkbook, personWorkbook } from '../../overview/overview-workbook';
import { OverviewService } from '../../overview/overview.service';
import { nameMatches, searchProblem } from '../list-search';
import { viewContext } from '../view-context';

const orgId = uuidParam('组织');
const personId = uuidParam('人员');

/** `?q=` (支部 name contains), trimmed; too long or with a line break a 400 naming 搜索词. */
function searchText(raw: unknown): string {
  const q = (typeof raw === 'string' ? raw : Array.isArray(raw) && typeof raw[0] === 'string' ? raw[0] : '').trim();
  const problem = searchProblem(q);
  if (problem) throw DomainError.validation([problem], '筛选条件有误');
  return q;
}

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
    @Query('q') rawQ: unknown,
  ) {
    const actor = req.actor as Actor;
    const year = parseYear(rawYear);
    const sort = parseSort(rawSort, rawDir);
    const q = searchText(rawQ);
    if (!actsForSubtree(actor.role)) return res.redirect(303, `/overview/orgs/${actor.orgId}?year=${year}`);
    const all = await this.overview.table(actor, year, sort);
    // The search narrows the table (and its workbook); 全乡概况 stays the whole township's.
    const rows = q ? all.filter((r) => nameMatches(r.name, q)) : all;
    const search = q ? `&q=${encodeURIComponent(q)}` : '';
    const link = (key: SortKey) => {
      const dir = sort.key === key && sort.dir === 'asc' ? 'desc' : 'asc';
      return `/overview?year=${year}${search}&sort=${key}&dir=${dir}`;
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
      q,
      headers,
      filingsLabel: '按时 / 逾期 / 未报送',
      rows: rows.map((r) => ({ ...r, commendationText: r.commendations.map((c) => `${c.title}（${c.who}）`).join('；') })),
      chart: all.length ? committeeYearChart(all) : null,
      xlsx: `/overview.xlsx?year=${year}${search}&sort=${sort.key}&dir=${sort.dir}`,
      clearHref: `/overview?year=${year}&sort=${sort.key}&dir=${sort.dir}`,
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
  async xlsx(
    @Req() req: AuthedRequest,
    @Res() res: Response,
    @Query('year') rawYear: unknown,
    @Query('sort') rawSort: unknown,
    @Query('dir') rawDir: unknown,
    @Query('q') rawQ: unknown,
  ) {
    const year = parseYear(rawYear);
    const sort: Sort = parseSort(rawSort, rawDir);
    const q = searchText(rawQ);
    const all = await this.overview.table(req.actor as Actor, year, sort);
    const rows = q ? all.filter((r) => nameMatches(r.name, q)) : all;
    download(res, await committeeWorkbook(rows), XLSX_TYPE, `${year}年度综合情况.xlsx`, `overview-${year}.xlsx`);
  }
}
