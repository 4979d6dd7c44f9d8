import { DateTime } from 'luxon';
import { ZONE } from '../../calendar/working-calendar';
import { buildView } from '../../documents/render/document-view';
import { DocumentModel, formatChineseDate, formatDocNumber } from '../../documents/model';

/**
 * The document as text that reflows (the reading view on a phone): the same words as the red-header page — organ,
 * number, title, addressee, body, 附件说明, signature and date — in the page's own readable type, not a 210 mm page
 * shrunk to the screen.
 */
export function readingView(input: Record<string, unknown>) {
  const m = input as unknown as DocumentModel;
  const view = buildView(m);
  const suffix = view.format === 'letter' ? '' : view.format === 'minutes' ? '纪要' : view.format === 'order' ? '命令' : '文件';
  return {
    organ: `${m.issuers.map((i) => i.markName ?? i.name).join('　')}${suffix}`,
    docNo: m.docNumber ? formatDocNumber(m.docNumber.organCode, m.docNumber.year, m.docNumber.serial) : undefined,
    title: m.title,
    addressee: view.addressee,
    body: view.body,
    attachNotes: view.attachNotes?.single ? [view.attachNotes.single] : (view.attachNotes?.items ?? []),
    signingOrgans: view.signature?.organs ?? [],
    date: view.signature?.date,
    note: view.note,
    attachments: view.attachments,
  };
}

/**
 * Before signing, the 成文日期 that will be printed (the one in the text), and whether it differs from today's —
 * so the drafter and the signer know the date is theirs, not the day it happens to be signed.
 */
export function documentDateNotice(doc: { status: string; model: unknown }): { date: string; differs: boolean; today: string } | undefined {
  const model = doc.model as { date?: string } | null;
  if (doc.status !== 'DRAFT' || !model?.date || !/^\d{4}-\d{2}-\d{2}$/.test(model.date)) return undefined;
  const today = DateTime.now().setZone(ZONE).toISODate() as string;
  return { date: formatChineseDate(model.date), differs: model.date !== today, today: formatChineseDate(today) };
}
