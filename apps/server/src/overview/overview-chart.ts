import * as echarts from 'echarts';
import { GRADE_LABELS, GRADE_ORDER } from '../reviews/formula/formula';
import type { OrgYear, PersonYear } from './overview.service';

/**
 * Charts rendered on the server by ECharts into SVG markup (its server-side rendering): the page carries the picture
 * itself, with no script to run, so it shows under the strict CSP, in print and with JavaScript off.
 */
function svg(option: echarts.EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'sans-serif' }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const COLORS = { onTime: '#3a8f5c', late: '#e0a100', missing: '#c23531', pass: '#2f5f9e', commend: '#8e44ad', cases: '#555' };

/** A year on a history chart: the filings (stacked), commendations and cases as bars, the spot-check pass rate as a line. */
interface HistoryPoint {
  label: string;
  filings: { onTime: number; late: number; missing: number };
  commendations: number;
  cases: number;
  passRate: number | null;
}

function historyChart(points: HistoryPoint[], text: { title: string; onTime: string }, height: number): string {
  const twoLines = points.some((p) => p.label.includes('\n'));
  return svg(
    {
      title: { text: text.title, left: 'center', top: 4, textStyle: { fontSize: 14 } },
      legend: { top: 30, itemWidth: 14, textStyle: { fontSize: 11 } },
      grid: { left: 44, right: 52, top: 72, bottom: twoLines ? 40 : 28 },
      xAxis: { type: 'category', data: points.map((p) => p.label), axisLabel: { lineHeight: 14 } },
      yAxis: [
        { type: 'value', name: '件（次）', minInterval: 1 },
        { type: 'value', name: '合格率%', min: 0, max: 100, splitLine: { show: false } },
      ],
      series: [
        { type: 'bar', name: text.onTime, stack: 'filings', color: COLORS.onTime, data: points.map((p) => p.filings.onTime) },
        { type: 'bar', name: '逾期报送', stack: 'filings', color: COLORS.late, data: points.map((p) => p.filings.late) },
        { type: 'bar', name: '未报送', stack: 'filings', color: COLORS.missing, data: points.map((p) => p.filings.missing) },
        { type: 'bar', name: '表扬', color: COLORS.commend, data: points.map((p) => p.commendations) },
        { type: 'bar', name: '问责案件', color: COLORS.cases, data: points.map((p) => p.cases) },
        {
          type: 'line',
          name: '抽查合格率',
          yAxisIndex: 1,
          color: COLORS.pass,
          connectNulls: true,
          label: { show: true, formatter: '{c}%', fontSize: 10 },
          data: points.map((p) => p.passRate),
        },
      ],
    },
    720,
    height,
  );
}

/** One branch over the years: filings on time / late / missing (stacked), commendations and cases, the pass rate. */
export function orgHistoryChart(history: OrgYear[]): string {
  return historyChart(
    history.map((h) => ({
      label: `${h.year}年`,
      filings: h.filings,
      commendations: h.commendations.length,
      cases: h.cases.length,
      passRate: h.spotChecks.rate,
    })),
    { title: '历年情况', onTime: '按时报送' },
    320,
  );
}

/**
 * One person over the years: the filings of the branches they serve in (stacked), their commendations and cases, the
 * branches' spot-check pass rate, and their 述职评议 grade under each year.
 */
export function personHistoryChart(history: PersonYear[]): string {
  return historyChart(
    history.map((h) => ({
      label: `${h.year}年\n${h.grade ? h.grade.gradeLabel : '无等次'}`,
      filings: h.filings,
      commendations: h.commendations,
      cases: h.cases,
      passRate: h.spotChecks.rate,
    })),
    { title: '历年情况（年度下为述职评议等次）', onTime: '所在支部按时报送' },
    330,
  );
}

/** The committee's year: filings of all branches by outcome, and how many branches got each review grade. */
export function committeeYearChart(rows: OrgYear[]): string {
  const sum = (f: (r: OrgYear) => number) => rows.reduce((a, r) => a + f(r), 0);
  const grades = [...GRADE_ORDER.map((g) => ({ name: GRADE_LABELS[g], value: rows.filter((r) => r.review?.grade === g).length }))];
  const none = rows.filter((r) => !r.review).length;
  return svg(
    {
      title: [
        { text: '填报情况（件）', left: '22%', textAlign: 'center', textStyle: { fontSize: 14 } },
        { text: '述职评议等次（个支部）', left: '72%', textAlign: 'center', textStyle: { fontSize: 14 } },
      ],
      grid: [{ left: 44, width: '38%', top: 40, bottom: 28 }],
      xAxis: [{ type: 'category', data: ['按时报送', '逾期报送', '未报送'], gridIndex: 0 }],
      yAxis: [{ type: 'value', minInterval: 1, gridIndex: 0 }],
      series: [
        {
          type: 'bar',
          name: '填报',
          label: { show: true, position: 'top' },
          data: [
            { value: sum((r) => r.filings.onTime), itemStyle: { color: COLORS.onTime } },
            { value: sum((r) => r.filings.late), itemStyle: { color: COLORS.late } },
            { value: sum((r) => r.filings.missing), itemStyle: { color: COLORS.missing } },
          ],
        },
        {
          type: 'pie',
          name: '等次',
          center: ['72%', '58%'],
          radius: ['28%', '52%'],
          label: { formatter: '{b}：{c}', fontSize: 11 },
          data: [...grades, { name: '无等次', value: none }].filter((d) => d.value > 0),
        },
      ],
    },
    720,
    300,
  );
}
