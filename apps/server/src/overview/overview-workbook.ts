import ExcelJS from 'exceljs';
import type { CaseRecord, CommendationRecord, FilingCounts, GradeRecord, MeasureRecord, OrgYear, PersonYear, SpotCheckCounts } from './overview.service';

const header = (ws: ExcelJS.Worksheet) => {
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
};

/** Filing and spot-check figures of a year as columns (the committee sheet, a branch's and a person's 历年 sheet). */
const COUNT_COLUMNS: Partial<ExcelJS.Column>[] = [
  { header: '应报送（件）', key: 'due', width: 12 },
  { header: '按时报送', key: 'onTime', width: 10 },
  { header: '逾期报送', key: 'late', width: 10 },
  { header: '未报送', key: 'missing', width: 8 },
  { header: '未到期', key: 'pending', width: 8 },
  { header: '按时报送率（%）', key: 'rate', width: 14 },
  { header: '抽查项目', key: 'items', width: 10 },
  { header: '抽查合格', key: 'passed', width: 10 },
  { header: '抽查不合格', key: 'failed', width: 10 },
  { header: '抽查合格率（%）', key: 'passRate', width: 14 },
  { header: '整改（已完成/总数）', key: 'rect', width: 18 },
];

/** The figures of one branch's year as a row (shared by the committee sheet and the branch's 历年 sheet). */
const COLUMNS: Partial<ExcelJS.Column>[] = [
  ...COUNT_COLUMNS,
  { header: '述职评议等次', key: 'grade', width: 12 },
  { header: '表扬（次）', key: 'commendations', width: 10 },
  { header: '表扬名称', key: 'commendationTitles', width: 30 },
  { header: '问责案件', key: 'cases', width: 10 },
  { header: '问责措施', key: 'measures', width: 24 },
];

function counts(f: FilingCounts, c: SpotCheckCounts): Record<string, unknown> {
  return {
    due: f.due,
    onTime: f.onTime,
    late: f.late,
    missing: f.missing,
    pending: f.pending,
    rate: f.rate ?? '无应报送',
    items: c.items,
    passed: c.passed,
    failed: c.failed,
    passRate: c.rate ?? '未抽查',
    rect: `${c.rectClosed}/${c.rectifications}`,
  };
}

function figures(r: OrgYear): Record<string, unknown> {
  return {
    ...counts(r.filings, r.spotChecks),
    grade: r.review ? `${r.review.gradeLabel}（${r.review.personName}）` : '无',
    commendations: r.commendations.length,
    commendationTitles: r.commendations.map((c) => `${c.title}（${c.who}）`).join('；'),
    cases: r.cases.length,
    measures: r.measures.map((m) => `${m.who}：${m.kind}${m.detail ? `（${m.detail}）` : ''}`).join('；'),
  };
}

function records(wb: ExcelJS.Workbook, commendations: CommendationRecord[], cases: CaseRecord[], measures: MeasureRecord[]) {
  const c = wb.addWorksheet('表扬');
  c.columns = [
    { header: '年度', key: 'year', width: 8 },
    { header: '表扬名称', key: 'title', width: 20 },
    { header: '对象', key: 'who', width: 22 },
    { header: '文号', key: 'docNumber', width: 22 },
    { header: '表扬日期', key: 'conferredOn', width: 12 },
  ];
  for (const x of commendations) c.addRow(x);
  header(c);
  const k = wb.addWorksheet('问责案件');
  k.columns = [
    { header: '年度', key: 'year', width: 8 },
    { header: '案件', key: 'title', width: 40 },
    { header: '对象', key: 'who', width: 22 },
    { header: '立案日期', key: 'createdOn', width: 12 },
    { header: '状态', key: 'statusLabel', width: 16 },
  ];
  for (const x of cases) k.addRow(x);
  header(k);
  const m = wb.addWorksheet('问责措施');
  m.columns = [
    { header: '对象', key: 'who', width: 22 },
    { header: '措施', key: 'kind', width: 12 },
    { header: '生效日期', key: 'effectiveOn', width: 12 },
    { header: '影响期至', key: 'until', width: 12 },
    { header: '影响', key: 'bars', width: 60 },
  ];
  for (const x of measures)
    m.addRow({
      who: x.who,
      kind: `${x.kind}${x.detail ? `（${x.detail}）` : ''}`,
      effectiveOn: x.effectiveOn,
      until: x.until ?? '无',
      bars: x.bars.map((b) => b.text).join('；'),
    });
  header(m);
}

const done = async (wb: ExcelJS.Workbook) => Buffer.from(await wb.xlsx.writeBuffer());
const book = () => {
  const wb = new ExcelJS.Workbook();
  wb.creator = '党建工作流与公文审批系统';
  return wb;
};

/** The committee's year: 年度综合情况 (one row per branch, in the table's order), then each commendation, case and measure. */
export async function committeeWorkbook(rows: OrgYear[]): Promise<Buffer> {
  const wb = book();
  const ws = wb.addWorksheet('年度综合情况');
  ws.columns = [{ header: '支部', key: 'name', width: 26 }, ...COLUMNS];
  for (const r of rows) ws.addRow({ name: r.name, ...figures(r) });
  header(ws);
  records(
    wb,
    rows.flatMap((r) => r.commendations),
    rows.flatMap((r) => r.cases),
    rows.flatMap((r) => r.measures),
  );
  return done(wb);
}

/** One branch: 历年情况 (a row per year), its people, then the year's commendations, cases and measures. */
export async function orgWorkbook(view: {
  current: OrgYear;
  history: OrgYear[];
  people: { name: string; posts: string[]; grade: string | null; commendations: number; cases: number }[];
}): Promise<Buffer> {
  const wb = book();
  const ws = wb.addWorksheet('历年情况');
  ws.columns = [{ header: '年度', key: 'year', width: 8 }, ...COLUMNS];
  for (const r of view.history) ws.addRow({ year: r.year, ...figures(r) });
  header(ws);
  const p = wb.addWorksheet('人员');
  p.columns = [
    { header: '姓名', key: 'name', width: 12 },
    { header: '职务', key: 'posts', width: 20 },
    { header: `${view.current.year}年述职评议等次`, key: 'grade', width: 18 },
    { header: '表扬（次）', key: 'commendations', width: 10 },
    { header: '问责案件', key: 'cases', width: 10 },
  ];
  for (const x of view.people) p.addRow({ ...x, posts: x.posts.join('、'), grade: x.grade ?? '' });
  header(p);
  records(wb, view.current.commendations, view.current.cases, view.current.measures);
  return done(wb);
}

/** One person: 历年情况 (a row per year: the branches' filings and spot checks, the person's grade and records), then the year's commendations, cases and measures. */
export async function personWorkbook(view: {
  person: { name: string };
  branches: { name: string }[];
  history: PersonYear[];
  grades: GradeRecord[];
  commendations: CommendationRecord[];
  cases: CaseRecord[];
  measures: MeasureRecord[];
}): Promise<Buffer> {
  const wb = book();
  const ws = wb.addWorksheet('历年情况');
  const where = view.branches.map((b) => b.name).join('、') || '无';
  ws.columns = [
    { header: '年度', key: 'year', width: 8 },
    { header: '所在支部', key: 'branches', width: 26 },
    ...COUNT_COLUMNS,
    { header: '述职评议等次', key: 'grade', width: 12 },
    { header: '表扬（次）', key: 'commendations', width: 10 },
    { header: '问责案件', key: 'cases', width: 10 },
    { header: '问责措施', key: 'measures', width: 10 },
  ];
  for (const h of view.history)
    ws.addRow({
      year: h.year,
      branches: where,
      ...counts(h.filings, h.spotChecks),
      grade: h.grade?.gradeLabel ?? '无',
      commendations: h.commendations,
      cases: h.cases,
      measures: h.measures,
    });
  header(ws);
  records(wb, view.commendations, view.cases, view.measures);
  return done(wb);
}
