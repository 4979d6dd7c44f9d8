import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from './cli-error';
import { aggregateCommand } from './aggregate.command';
import { runCli } from './main';

const ROUND = {
  formulaVersion: 1,
  round: { year: 2026, name: '大滩乡村（社区）党组织书记抓党建述职评议' },
  items: [
    { key: 'duty', name: '履行党建责任', weight: 40, max: 10 },
    { key: 'org', name: '基层组织建设', weight: 30, max: 10 },
    { key: 'style', name: '作风建设', weight: 30, max: 10 },
  ],
  groups: [
    { key: 'leaders', name: '上级党委班子成员', weight: 40, ballotKind: 'GRADE' },
    { key: 'members', name: '党员代表', weight: 30, ballotKind: 'GRADE' },
    { key: 'public', name: '群众代表', weight: 30, ballotKind: 'ITEMS' },
  ],
  subjects: [
    { subjectId: 'v01', name: '张三', orgName: '大滩村党支部', daily: 90 },
    { subjectId: 'v02', name: '李四', orgName: '石河村党支部', daily: null, topGradeBar: '2026年受到诫勉' },
    { subjectId: 'v03', name: '王五', orgName: '新华社区党支部', daily: 80 },
    { subjectId: 'v04', name: '赵六', orgName: '东岳村党支部', daily: 80 },
    { subjectId: 'v05', name: '孙七', orgName: '中学党支部', daily: 80 },
  ],
  ballots: [
    // 张三: 班子 (100 + 100 + 80) ÷ 3 = 93.33, 党员 100 (one ballot, hidden), 群众 81 (one ballot, hidden)
    // 0.4 × 93.33… + 0.3 × 100 + 0.3 × 81 = 91.633…; × 0.7 + 90 × 0.3 = 91.14
    { groupKey: 'leaders', subjectId: 'v01', grade: 'GOOD' },
    { groupKey: 'leaders', subjectId: 'v01', grade: 'GOOD' },
    { groupKey: 'leaders', subjectId: 'v01', grade: 'FAIRLY_GOOD' },
    { groupKey: 'members', subjectId: 'v01', grade: 'GOOD' },
    { groupKey: 'members', subjectId: 'v01', abstain: true },
    { groupKey: 'public', subjectId: 'v01', items: { duty: 9, org: 8, style: 7 } },
    // 李四: 100 from 班子成员 only, no 日常考核 → 100, capped to 较好
    { groupKey: 'leaders', subjectId: 'v02', grade: 'GOOD' },
    { groupKey: 'leaders', subjectId: 'v02', grade: 'GOOD' },
    { groupKey: 'leaders', subjectId: 'v02', grade: 'GOOD' },
    // 赵六 and 孙七: 60 × 0.7 + 80 × 0.3 = 66
    { groupKey: 'leaders', subjectId: 'v04', grade: 'AVERAGE' },
    { groupKey: 'leaders', subjectId: 'v05', grade: 'AVERAGE' },
  ],
};

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aggregate-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

function run(file: string): string[] {
  let out = '';
  aggregateCommand(file, (text) => (out += text));
  return out.replace(/\n$/, '').split('\n');
}

/** Runs the registered subcommand as `npm run cli -- aggregate <file>` would, capturing what it prints. */
async function runMain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((text) => ((stdout += String(text)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((text) => ((stderr += String(text)), true));
  try {
    const code = await runCli(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('npm run cli -- aggregate <文件>', () => {
  it('prints rank, name, unit, each group, 日常考核, total, grade and notes per secretary', () => {
    const lines = run(writeFile('round.json', ROUND));
    expect(lines.slice(0, 4)).toEqual([
      '述职评议计分公式 第 1 版：2026 年 大滩乡村（社区）党组织书记抓党建述职评议',
      '评分组：上级党委班子成员 40%（评定等次）、党员代表 30%（评定等次）、群众代表 30%（逐项打分）；日常考核占总分 30%',
      '某组有效票 5 张及以上时去掉一个最高分和一个最低分；有效票少于 3 张的组不显示平均分，但计入总分',
      '共 5 人，选票 11 张（其中弃权 1 张）；总分四舍五入保留两位小数',
    ]);
    expect(lines.slice(5).map((l) => l.split('\t'))).toEqual([
      ['名次', '姓名', '单位', '上级党委班子成员', '党员代表', '群众代表', '日常考核', '总分', '等次', '说明'],
      [
        '1',
        '李四',
        '石河村党支部',
        '100.00',
        '无票',
        '无票',
        '无记录',
        '100.00',
        '较好',
        '2026年受到诫勉，等次由“好”调为“较好”；党员代表、群众代表无有效票，其权重由其余评分组按比例分担；无日常考核记录，总分全部来自评议票',
      ],
      ['2', '张三', '大滩村党支部', '93.33', '票数不足', '票数不足', '90.00', '91.14', '好', ''],
      ['3', '孙七', '中学党支部', '票数不足', '无票', '无票', '80.00', '66.00', '一般', '与赵六并列；党员代表、群众代表无有效票，其权重由其余评分组按比例分担'],
      [
        '3',
        '赵六',
        '东岳村党支部',
        '票数不足',
        '无票',
        '无票',
        '80.00',
        '66.00',
        '一般',
        '与孙七并列；党员代表、群众代表无有效票，其权重由其余评分组按比例分担',
      ],
      ['—', '王五', '新华社区党支部', '无票', '无票', '无票', '80.00', '—', '无有效票', ''],
    ]);
  });

  it('is registered in the command line and exits 0', async () => {
    const file = writeFile('round.json', ROUND);
    const r = await runMain(['aggregate', file]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toContain('2\t张三\t大滩村党支部\t93.33\t票数不足\t票数不足\t90.00\t91.14\t好\t');
  });

  it('names a wrong ballot in plain words and exits 2', async () => {
    const ballots = [...ROUND.ballots];
    ballots[2] = { groupKey: 'party', subjectId: 'v01', grade: 'GOOD' };
    const r = await runMain(['aggregate', writeFile('wrong.json', { ...ROUND, ballots })]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('第 3 张选票的“评分组”（party）未在评分组中定义');
    expect(r.stderr).not.toContain('ballots[');
  });

  it('refuses a file of another formula version, a missing file and a file that is not JSON', () => {
    expect(() => run(writeFile('v2.json', { ...ROUND, formulaVersion: 2 }))).toThrow(
      new UsageError(
        `选票文件“${path.join(dir, 'v2.json')}”有误：该文件按第 2 版计分公式导出，本程序只能按述职评议计分公式 第 1 版计算；请用相应版本的程序计算，不能混用`,
      ),
    );
    expect(() => run(path.join(dir, 'none.json'))).toThrow(`无法读取选票文件“${path.join(dir, 'none.json')}”：文件不存在`);
    expect(() => run(writeFile('bad.json', '{"formulaVersion": 1,'))).toThrow(/不是合法的 JSON/);
  });
});
