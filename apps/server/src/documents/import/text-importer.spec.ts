import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateDocumentModel } from '../model';
import { importText } from './text-importer';
import { normalizePunctuation } from './normalize-punctuation';

const SEEDS = path.resolve(__dirname, '../../../../../test/fixtures/seeds');
const seed = (prefix: string) => {
  const file = fs.readdirSync(SEEDS).find((f) => f.startsWith(prefix))!;
  return fs.readFileSync(path.join(SEEDS, file), 'utf8');
};

/** All text the model carries, to prove nothing was dropped. */
function modelText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(modelText).join('\n');
  if (v && typeof v === 'object') return Object.values(v).map(modelText).join('\n');
  return '';
}

describe('importText — seed 000 (大滩委发〔2017〕58号)', () => {
  const { model, warnings } = importText(seed('000'));

  it('recovers the 发文字号, 主送, signing organ and date', () => {
    expect(model.docNumber).toEqual({ organCode: '大滩委发', year: 2017, serial: 58 });
    expect(model.addressee).toBe('各村（社区）党支部，机关、学校党支部');
    expect(model.signingOrgans).toEqual(['中共达州市达川区大滩乡委员会']);
    expect(model.issuers[0]).toEqual({ name: '中共达州市达川区大滩乡委员会', organCode: '大滩委发' });
    expect(model.date).toBe('2017-04-21');
  });

  it('finds all seven sections and eighteen numbered items, in order, with run-in lead sentences', () => {
    const h1 = model.body.filter((b) => b.type === 'heading' && b.level === 1);
    const items = model.body.filter((b) => b.type === 'heading' && b.level === 3);
    expect(h1.map((b) => b.number)).toEqual(['一', '二', '三', '四', '五', '六', '七']);
    expect(h1[0].text).toBe('开展班子引领行动，建强脱贫攻坚核心');
    expect(items.map((b) => b.number)).toEqual(Array.from({ length: 18 }, (_, i) => String(i + 1)));
    expect(items[0]).toMatchObject({ text: '优化班子结构。', runIn: expect.stringMatching(/^紧扣脱贫攻坚中心任务/) });
    expect(items[17].text).toBe('注重抓好激励表扬。');
    // the opening and closing paragraphs stay paragraphs
    expect(model.body[0]).toMatchObject({ type: 'paragraph', text: expect.stringMatching(/^2017年是全乡脱贫攻坚/) });
    expect(model.body[model.body.length - 1]).toMatchObject({ type: 'paragraph', text: expect.stringMatching(/逗硬考核问效。$/) });
  });

  it('has no title, so derives one from the text and warns', () => {
    expect(model.kind).toBe('方案');
    expect(model.title).toBe('“党建扶贫攻坚年”七大行动实施方案');
    expect(warnings).toEqual([expect.stringContaining('原文没有标题')]);
  });

  it('says that the 发文字号 line left the body', () => {
    expect(importText(seed('000')).notices).toEqual(['已去掉红头中的 1 行：“大滩委发〔2017〕58号”']);
  });

  it('converts ASCII punctuation in Chinese text but leaves numbers alone', () => {
    expect(modelText(model)).not.toMatch(/[\p{Script=Han}][,:(]|[,:)][\p{Script=Han}]/u);
    expect(modelText(model)).toContain('回引1-2名');
    expect(normalizePunctuation('2016年12月13日10:07, 共1,000人(含党员)')).toBe('2016年12月13日10:07， 共1,000人（含党员）');
  });

  it('produces a model that validates', () => {
    expect(validateDocumentModel(JSON.parse(JSON.stringify(model)))).toMatchObject({ ok: true });
  });
});

describe('importText — seeds 001–004 (articles, not directives)', () => {
  for (const prefix of ['001', '002', '003', '004']) {
    it(`${prefix}: keeps every line of text and warns about what it could not place`, () => {
      const text = seed(prefix);
      const { model, warnings } = importText(text);
      const all = modelText(model).replace(/\n/g, ''); // a run-in heading is split into text + runIn
      for (const line of text
        .split(/\r?\n/)
        .map((l) => normalizePunctuation(l.trim()))
        .filter(Boolean)) {
        expect(all).toContain(
          line.replace(/^\d+[.．、](?!\d)\s*|^[一二三四五六七八九十]+[、，.]\s*|^[（(][一二三四五六七八九十\d]+[）)]\s*/u, '').slice(0, 20),
        );
      }
      expect(warnings.length).toBeGreaterThan(0);
      expect(warnings.every((w) => /[\u4e00-\u9fff]/.test(w))).toBe(true);
      expect(model.body.length).toBeGreaterThan(5);
    });
  }

  it('003: recognises its 一、 sections and numbered items and its title', () => {
    const { model } = importText(seed('003'));
    expect(model.title).toMatch(/實施方案$/u);
    expect(model.kind).toBe('方案');
    expect(model.body.filter((b) => b.level === 1).length).toBeGreaterThanOrEqual(3);
  });

  it('001: the missing date and 发文字号 are warned about, not invented', () => {
    const { model, warnings } = importText(seed('001'));
    expect(model.date).toBe('');
    expect(model.docNumber).toBeUndefined();
    expect(warnings).toEqual(expect.arrayContaining([expect.stringContaining('成文日期'), expect.stringContaining('发文字号')]));
  });
});

describe('importText — structure', () => {
  it('reads all four heading levels, 附件说明, 抄送 and 印发', () => {
    const text = [
      '关于开展党员冬训工作的通知',
      '大滩委发[2018]3号',
      '各村党支部:',
      '现将有关事项通知如下。',
      '一、总体要求',
      '(一)指导思想',
      '1.学习内容。认真学习党章党规。',
      '(1)集中学习。每月不少于一次。',
      '附件:1.冬训安排表',
      '2.参训人员名单',
      '中共大滩乡委员会',
      '2018年1月5日',
      '抄送:区委组织部,区委宣传部。',
      '中共大滩乡委员会党建办 2018年1月5日印发',
    ].join('\n');
    const { model, warnings } = importText(text);
    expect(model.title).toBe('关于开展党员冬训工作的通知');
    expect(model.kind).toBe('通知');
    expect(model.docNumber).toEqual({ organCode: '大滩委发', year: 2018, serial: 3 });
    expect(model.body.map((b) => [b.type, b.level ?? null, b.number ?? null])).toEqual([
      ['paragraph', null, null],
      ['heading', 1, '一'],
      ['heading', 2, '一'],
      ['heading', 3, '1'],
      ['heading', 4, '1'],
    ]);
    expect(model.body[4]).toMatchObject({ text: '集中学习。', runIn: '每月不少于一次。' });
    expect(model.attachments).toEqual([{ title: '冬训安排表' }, { title: '参训人员名单' }]);
    expect(model.cc).toEqual(['区委组织部', '区委宣传部']);
    expect(model.printing).toEqual({ organ: '中共大滩乡委员会党建办', date: '2018-01-05' });
    expect(model.date).toBe('2018-01-05');
    expect(warnings).toEqual([]);
  });

  it('throws a clear Chinese error on empty text', () => {
    expect(() => importText('')).toThrow('公文文本为空');
    expect(() => importText(' \n\t\n')).toThrow('公文文本为空');
  });
});

describe('importText — the red header of pasted text', () => {
  const body = [
    '关于开展2026年党员冬训工作的通知',
    '各村（社区）党支部：',
    '根据区委组织部统一部署，现就做好今冬明春党员冬训工作通知如下。',
    '一、总体要求',
    '坚持学用结合，确保每名党员参训不少于32学时。',
    '中共大滩乡委员会',
    '2026年11月20日',
  ];

  it('drops 发文机关标志, an unnumbered 发文字号, 签发人 and the red rule, and says which lines went', () => {
    const text = ['中共大滩乡委员会文件', '', '大滩委发〔2026〕 号　　　签发人：张  明', '────────────★────────────', ...body].join('\n');
    const { model, warnings, notices } = importText(text);
    expect(model.title).toBe('关于开展2026年党员冬训工作的通知');
    expect(model.addressee).toBe('各村（社区）党支部');
    expect(model.body.map((b) => b.text)).toEqual([
      '根据区委组织部统一部署，现就做好今冬明春党员冬训工作通知如下。',
      '总体要求',
      '坚持学用结合，确保每名党员参训不少于32学时。',
    ]);
    expect(modelText(model)).not.toMatch(/文件|签发人|〔2026〕|─/u);
    expect(model.docNumber).toBeUndefined(); // no number yet: it is given at signing
    expect(notices).toEqual(['已去掉红头中的 3 行：“中共大滩乡委员会文件”“大滩委发〔2026〕 号　　　签发人：张  明”“────────────★────────────”']);
    expect(warnings.join('')).not.toMatch(/中共大滩乡委员会文件|签发人/u);
  });

  it('takes a numbered 发文字号 from the header into the model, on separate lines too', () => {
    const text = ['中共大滩乡委员会文件', '大滩委发〔2026〕58号', '签发人：李红', '——————————', ...body].join('\n');
    const { model, notices } = importText(text);
    expect(model.docNumber).toEqual({ organCode: '大滩委发', year: 2026, serial: 58 });
    expect(model.body[0]).toMatchObject({ type: 'paragraph', text: expect.stringMatching(/^根据区委组织部/u) });
    expect(notices).toEqual(['已去掉红头中的 4 行：“中共大滩乡委员会文件”“大滩委发〔2026〕58号”“签发人：李红”“——————————”']);
  });

  it('drops an organ name alone (信函 header) when the title follows, and 文号 lines with the number left blank', () => {
    const { model, notices } = importText(['中共大滩乡委员会', ...body].join('\n'));
    expect(model.title).toBe('关于开展2026年党员冬训工作的通知');
    expect(notices).toEqual(['已去掉红头中的 1 行：“中共大滩乡委员会”']);
    expect(importText(['大滩委发〔 〕号', ...body].join('\n')).notices).toEqual(['已去掉红头中的 1 行：“大滩委发〔 〕号”']);
    expect(importText(['大滩委发[2026]号', ...body].join('\n')).model.body[0].text).toMatch(/^根据区委组织部/u);
  });

  it('keeps what only looks like a header: an organ name inside the body, a sentence ending in 文件, the signature', () => {
    const text = [
      '认真学习中央一号文件',
      '中共大滩乡委员会',
      '各村党支部要组织党员认真学习中央一号文件精神，结合实际抓好落实。',
      '中共大滩乡委员会',
      '2026年2月1日',
    ].join('\n');
    const { model, notices } = importText(text);
    expect(notices).toEqual([]);
    expect(modelText(model)).toContain('认真学习中央一号文件');
    expect(model.signingOrgans).toEqual(['中共大滩乡委员会']);
    // text without any header has no notice
    expect(importText(body.join('\n')).notices).toEqual([]);
  });
});
