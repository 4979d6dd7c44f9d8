import { formatChineseDate, parseChineseDate } from './date-format';
import { validateDocumentModel } from './validate-document-model';

const valid = () => ({
  kind: '通知',
  issuers: [{ name: '中共达州市达川区大滩乡委员会', markName: '中共大滩乡委员会', organCode: '大滩委发' }],
  docNumber: { organCode: '大滩委发', year: 2017, serial: 58 },
  title: '关于开展“党建扶贫攻坚年”七大行动的通知',
  addressee: '各村（社区）党支部，机关、学校党支部',
  body: [
    { type: 'paragraph', text: '正文。' },
    { type: 'heading', level: 1, text: '开展班子引领行动' },
    { type: 'heading', level: 3, number: '1', text: '优化班子结构。', runIn: '紧扣中心任务。' },
    { type: 'list', items: ['甲', '乙'], ordered: true },
    { type: 'table', header: ['村', '人数'], rows: [['大滩村', '12']] },
  ],
  attachments: [{ title: '名单', body: [{ type: 'paragraph', text: '略' }] }],
  signingOrgans: ['中共达州市达川区大滩乡委员会'],
  date: '2017-04-21',
  cc: ['区委组织部'],
  printing: { organ: '中共大滩乡委员会党建办', date: '2017-04-21' },
});

describe('validateDocumentModel', () => {
  it('accepts a complete 通知 and returns a typed model', () => {
    const r = validateDocumentModel(valid());
    expect(r).toMatchObject({ ok: true });
    if (r.ok) expect(r.model.body[2].runIn).toBe('紧扣中心任务。');
  });

  it('lists every bad field, nested paths included, each message in Chinese naming the field', () => {
    const input = valid() as Record<string, unknown>;
    input.title = '';
    input.kind = '公告';
    input.copyNumber = '12';
    input.date = '2017-02-30';
    input.urgency = '急';
    (input.body as Record<string, unknown>[])[3] = { type: 'paragraph', text: '' };
    (input.body as Record<string, unknown>[])[1] = { type: 'heading', level: 7, text: '标题' };
    (input.attachments as Record<string, unknown>[])[0] = { title: '', body: [{ type: 'table', rows: 'x' }] };
    (input.docNumber as Record<string, unknown>).serial = 0;
    input.issuers = [];
    input.seal = 'http://example.com/seal.png';
    const r = validateDocumentModel(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byField = Object.fromEntries(r.errors.map((e) => [e.field, e.message]));
    expect(byField['title']).toBe('title（标题）不能为空');
    expect(byField['kind']).toContain('kind（文种）必须是以下之一');
    expect(byField['copyNumber']).toContain('copyNumber（份号）');
    expect(byField['date']).toContain('date（成文日期）');
    expect(byField['urgency']).toContain('特急、加急');
    expect(byField['body[3].text']).toBe('text（文字）不能为空');
    expect(byField['body[1].level']).toContain('level（层次）必须是1至4之间的整数');
    expect(byField['attachments[0].title']).toBe('title（标题）不能为空');
    expect(byField['attachments[0].body[0].rows']).toContain('rows（表格行）');
    expect(byField['docNumber.serial']).toContain('serial（序号）');
    expect(byField['issuers']).toBe('issuers（发文机关）至少要有1项');
    expect(byField['seal']).toContain('seal（印章）');
    expect(r.errors.length).toBeGreaterThanOrEqual(12);
    for (const e of r.errors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('reports missing required fields and unknown fields', () => {
    const r = validateDocumentModel({ kind: '通知', hacker: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const fields = r.errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['issuers', 'title', 'body', 'signingOrgans', 'date', 'hacker']));
  });

  it('requires 出席 for a 纪要 and a 密级 when a 保密期限 is given', () => {
    const r = validateDocumentModel({ ...valid(), kind: '纪要', secretTerm: '1年' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['minutes', 'secretLevel']));
  });

  it('rejects non-objects', () => {
    expect(validateDocumentModel(null)).toEqual({ ok: false, errors: [{ field: '', message: '公文数据必须是对象' }] });
  });
});

describe('Chinese dates', () => {
  it('formats without zero padding and parses back', () => {
    expect(formatChineseDate('2017-04-21')).toBe('2017年4月21日');
    expect(parseChineseDate('2017年4月21日')).toBe('2017-04-21');
    expect(parseChineseDate('２０１７年４月２１日')).toBe('2017-04-21');
    expect(parseChineseDate('2017年2月30日')).toBeNull();
  });
});
