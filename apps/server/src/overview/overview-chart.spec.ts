import { committeeYearChart, orgHistoryChart, personHistoryChart } from './overview-chart';
import type { OrgYear } from './overview.service';

const year = (y: number, onTime: number, late: number, missing: number, rate: number | null, grade: 'GOOD' | 'AVERAGE' | null = null): OrgYear => ({
  orgId: 'o',
  name: '大滩村',
  sortOrder: 0,
  year: y,
  filings: { onTime, late, missing, pending: 0, due: onTime + late + missing, rate: null },
  spotChecks: { items: rate === null ? 0 : 4, passed: 0, failed: 0, rate, rectifications: 0, rectClosed: 0, rectOpen: 0 },
  review: grade
    ? {
        roundId: 'r',
        title: '述职评议',
        year: y,
        grade,
        gradeLabel: grade === 'GOOD' ? '好' : '一般',
        personId: 'p',
        personName: '甲',
        post: '书记',
        orgId: 'o',
        href: '',
      }
    : null,
  commendations: [],
  cases: [],
  measures: [],
});

describe('overview charts (ECharts rendered to SVG on the server)', () => {
  it('draws a branch’s years as an SVG with its legend, its years and the pass rate, and no script', () => {
    const svg = orgHistoryChart([year(2025, 3, 1, 0, 75), year(2026, 2, 0, 1, null)]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toMatch(/<script/i);
    for (const text of ['历年情况', '按时报送', '逾期报送', '未报送', '表扬', '问责案件', '抽查合格率', '2025年', '2026年', '75%']) expect(svg).toContain(text);
  });

  it('draws the committee’s year: filings by outcome and the grades given', () => {
    const svg = committeeYearChart([year(2026, 3, 1, 0, 75, 'GOOD'), year(2026, 1, 0, 2, null, 'AVERAGE'), year(2026, 0, 0, 1, null)]);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of ['填报情况（件）', '述职评议等次（个支部）', '好：1', '一般：1', '无等次：1']) expect(svg).toContain(text);
  });

  it('draws a person’s years: the branch’s filings and pass rate, and the person’s grade under each year', () => {
    const [a, b] = [year(2025, 3, 1, 0, 75, 'GOOD'), year(2026, 2, 0, 1, null)];
    const svg = personHistoryChart(
      [a, b].map((r) => ({ year: r.year, filings: r.filings, spotChecks: r.spotChecks, grade: r.review, commendations: 1, cases: 0, measures: 0 })),
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toMatch(/<script/i);
    for (const text of ['所在支部按时报送', '抽查合格率', '2025年', '好', '2026年', '无等次', '75%']) expect(svg).toContain(text);
  });
});
