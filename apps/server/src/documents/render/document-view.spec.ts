import { buildView } from './document-view';
import type { DocumentModel } from '../model';

const base = {
  kind: '通知',
  issuers: [{ name: '中共大滩乡委员会', kind: 'party' }],
  title: '关于报送年度工作计划的通知',
  body: [{ type: 'paragraph', text: '请按附件报送。' }],
  signingOrgans: ['中共大滩乡委员会'],
  date: '2026-01-05',
} as unknown as DocumentModel;

describe('附件 in the document view', () => {
  it('lists every attachment in the 附件说明 in order, and gives a page only to one with its own text', () => {
    const view = buildView({
      ...base,
      attachments: [
        { title: '任务分解表', file: { sha256: 'a'.repeat(64), name: '表.xlsx', size: 10, mimeType: 'application/octet-stream' } },
        { title: '联系人名单', body: [{ type: 'paragraph', text: '张三' }] },
        { title: '只有名称' },
      ],
    } as unknown as DocumentModel);
    expect(view.attachNotes).toEqual({ items: ['1. 任务分解表', '2. 联系人名单', '3. 只有名称'] });
    expect(view.attachments.map((a) => [a.label, a.title])).toEqual([['附件2', '联系人名单']]);
    expect(view.signature?.date).toBe('2026年1月5日');
  });
});
