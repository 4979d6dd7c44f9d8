import { DocumentModel } from '../../../apps/server/src/documents/model';

/** Hand-built models for the layout tests (plain data, validated by the tests before use). */
const para = (text: string) => ({ type: 'paragraph' as const, text });
const LONG = '坚持项目化路径化具体化推动党建扶贫，充分发挥党组织在脱贫攻坚中的引领带动作用，确保各项工作任务落到实处、见到实效。';

export function standardNotice(paragraphs = 30): DocumentModel {
  return {
    kind: '通知',
    copyNumber: '000123',
    secretLevel: '机密',
    secretTerm: '1年',
    urgency: '特急',
    issuers: [{ name: '中共达州市达川区大滩乡委员会', markName: '中共大滩乡委员会', organCode: '大滩委发' }],
    docNumber: { organCode: '大滩委发', year: 2017, serial: 58 },
    title: '中共大滩乡委员会关于印发《“党建扶贫攻坚年”七大行动实施方案》的通知',
    addressee: '各村（社区）党支部，机关、学校党支部',
    body: [
      { type: 'heading', level: 1, text: '开展班子引领行动，建强脱贫攻坚核心' },
      { type: 'heading', level: 2, text: '优化班子结构' },
      { type: 'heading', level: 3, text: '对标选优配强。', runIn: LONG },
      { type: 'heading', level: 4, text: '及时调整充实。', runIn: LONG },
      ...Array.from({ length: paragraphs }, (_, i) => para(`${i + 1}号段落。${LONG}`)),
    ],
    attachments: [{ title: '“党建扶贫攻坚年”七大行动任务分解表', body: [para(LONG)] }],
    signingOrgans: ['中共达州市达川区大滩乡委员会'],
    date: '2017-04-21',
    note: '此件发至村党支部',
    cc: ['区委组织部', '区扶贫移民局'],
    printing: { organ: '中共大滩乡委员会党建办公室', date: '2017-04-21' },
  } as DocumentModel;
}

export function letter(): DocumentModel {
  return {
    ...standardNotice(3),
    kind: '函',
    copyNumber: undefined,
    secretLevel: undefined,
    secretTerm: undefined,
    urgency: undefined,
    issuers: [{ name: '中共达州市达川区大滩乡委员会', organCode: '大滩委函' }],
    docNumber: { organCode: '大滩委函', year: 2017, serial: 7 },
    title: '关于商请协助开展党员教育培训的函',
    addressee: '区委党校',
    attachments: undefined,
    note: undefined,
  } as DocumentModel;
}

export function minutes(): DocumentModel {
  return {
    ...standardNotice(2),
    kind: '纪要',
    copyNumber: undefined,
    secretLevel: undefined,
    secretTerm: undefined,
    urgency: undefined,
    issuers: [{ name: '中共大滩乡委员会', markName: '中共大滩乡委员会会议' }],
    docNumber: undefined,
    title: '乡党委2017年第5次会议纪要',
    addressee: undefined,
    attachments: undefined,
    note: undefined,
    signingOrgans: [],
    minutes: { attendees: ['张三', '李四', '王五'], absentees: ['赵六（出差）'], observers: ['孙七'] },
  } as DocumentModel;
}

export function order(): DocumentModel {
  return {
    ...standardNotice(2),
    kind: '命令',
    copyNumber: undefined,
    secretLevel: undefined,
    secretTerm: undefined,
    urgency: undefined,
    issuers: [{ name: '大滩乡人民政府', organCode: '' }],
    docNumber: undefined,
    orderNumber: 3,
    addressee: undefined,
    attachments: undefined,
    note: undefined,
    signingOrgans: ['乡长　王五'],
  } as DocumentModel;
}

/** Two pages with a 版记: the benchmark's "2-page directive". */
export function twoPageDirective(): DocumentModel {
  return {
    ...standardNotice(5),
    copyNumber: undefined,
    secretLevel: undefined,
    secretTerm: undefined,
    urgency: undefined,
    attachments: undefined,
    note: undefined,
  } as DocumentModel;
}
