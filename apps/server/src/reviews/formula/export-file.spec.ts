import { DomainError } from '../../common/errors/domain-error';
import { buildExportFile, parseExportFile } from './export-file';
import { DEFAULT_SETTINGS, FormulaInput } from './formula';

const INPUT: FormulaInput = {
  settings: { ...DEFAULT_SETTINGS, dailyWeight: 20 },
  items: [{ key: 'all', name: '综合', weight: 100, max: 10 }],
  groups: [
    { key: 'leaders', name: '上级党委班子成员', weight: 60, ballotKind: 'GRADE' },
    { key: 'public', name: '群众代表', weight: 40, ballotKind: 'ITEMS' },
  ],
  subjects: [
    { subjectId: 'v01', name: '张三', orgName: '大滩村党支部', daily: 90, topGradeBar: null },
    { subjectId: 'v02', name: '李四', daily: null },
  ],
  ballots: [
    { groupKey: 'leaders', subjectId: 'v01', grade: 'GOOD' },
    { groupKey: 'public', subjectId: 'v02', items: { all: 8.5 } },
    { groupKey: 'public', subjectId: 'v02', abstain: true },
  ],
};
const ROUND = { year: 2026, name: '2026 年度述职评议' };
const file = () => JSON.parse(JSON.stringify(buildExportFile(ROUND, INPUT))) as Record<string, unknown>;

function messages(json: unknown): string[] {
  try {
    parseExportFile(json);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('VALIDATION');
    return (err as DomainError).fields.map((f) => f.message);
  }
  throw new Error('expected a validation error');
}

describe('parseExportFile', () => {
  it('reads back what the export writes', () => {
    expect(parseExportFile(file())).toEqual({ formulaVersion: 1, round: ROUND, ...INPUT });
  });

  it('fills the default settings, wholly or key by key', () => {
    const { settings: _settings, ...rest } = file();
    expect(parseExportFile(rest).settings).toEqual(DEFAULT_SETTINGS);
    expect(parseExportFile({ ...rest, settings: { trimAtLeast: 3 } }).settings).toEqual({ ...DEFAULT_SETTINGS, trimAtLeast: 3 });
  });

  it('refuses a file of another formula version, or of none, before anything else', () => {
    expect(messages({ ...file(), formulaVersion: 2, ballots: 'x' })).toEqual([
      '该文件按第 2 版计分公式导出，本程序只能按述职评议计分公式 第 1 版计算；请用相应版本的程序计算，不能混用',
    ]);
    const { formulaVersion: _v, ...none } = file();
    expect(messages(none)).toEqual(['文件没有注明计分公式版本（formulaVersion），无法确定按哪一版计算；本程序按述职评议计分公式 第 1 版计算']);
    expect(messages([])).toEqual(['选票文件应为一个 JSON 对象，含公式版本、评议轮次、评分细则、评分组、评议对象和选票']);
  });

  it('names wrong fields in plain words, not as paths', () => {
    const f = file();
    const subjects = f.subjects as Record<string, unknown>[];
    const ballots = f.ballots as Record<string, unknown>[];
    subjects[1] = { subjectId: 'v02', name: '李四', unit: '石河村' };
    ballots[0] = { groupKey: 7, subjectId: 'v01', grade: 'GOOD', abstain: 'no' };
    ballots[1] = { groupKey: 'public', subjectId: 'v02', items: { all: '8' } };
    const got = messages({ ...f, settings: { dailyweight: 20, thresholds: [{ grade: 'GOOD' }] }, subjects, ballots });
    expect(got).toEqual([
      '计分设置中有不认识的项“dailyweight”（可用：trimAtLeast、minBallotsToShow、gradePoints、thresholds、dailyWeight、topGradeCapPercent）',
      '计分设置中的“分数线”应为从高到低的分数线列表，如 [{"grade": "GOOD", "min": 90}, {"grade": "FAIRLY_GOOD", "min": 80}]',
      '第 2 位评议对象（李四）中有不认识的项“unit”（可用：subjectId、name、orgName、daily、topGradeBar）',
      '第 2 位评议对象（李四）缺少“日常考核”（没有记录时写 null）',
      '第 1 张选票的“评分组”应为文字，不能为空',
      '第 1 张选票的“弃权”应为 true 或 false',
      '第 2 张选票的“各项得分”中“all”一项的得分应为数字',
    ]);
    for (const m of got) expect(m).not.toMatch(/ballots\[|subjects\[|\.groupKey/);
  });

  it('then reports what the formula would refuse, with the same words', () => {
    const f = file();
    const ballots = f.ballots as Record<string, unknown>[];
    ballots[2] = { groupKey: 'party', subjectId: 'v02', abstain: true };
    expect(messages({ ...f, ballots })).toEqual(['第 3 张选票的“评分组”（party）未在评分组中定义']);
  });

  it('refuses a round without a four-digit year', () => {
    expect(messages({ ...file(), round: { year: 26, name: '述职评议' } })).toEqual(['评议轮次的“年度”应为四位数年份，如 2026，现为 26']);
    expect(messages({ ...file(), round: undefined })).toEqual(['文件缺少评议轮次']);
  });
});
