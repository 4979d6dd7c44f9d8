import { DocumentBlockDto } from '../model';

const CN = '一二三四五六七八九十百零〇';

/** Heading patterns of GB/T 9704 7.3.3, tolerant of the ASCII marks seen in pasted text. */
const LEVELS: { level: 1 | 2 | 3 | 4; re: RegExp }[] = [
  { level: 1, re: new RegExp(`^([${CN}]+)[、，,．.]\\s*(.+)$`, 'u') },
  { level: 2, re: new RegExp(`^[（(]([${CN}]+)[）)]\\s*(.+)$`, 'u') },
  { level: 3, re: /^(\d{1,3})[.．、](?!\d)\s*(.+)$/u },
  { level: 4, re: /^[（(](\d{1,3})[）)]\s*(.+)$/u },
];

/** A heading's lead sentence runs into the paragraph ("1.优化班子结构。紧扣…") when it is short. */
const RUN_IN_MAX = 40;

/** One body line → a heading (with its run-in text) or a paragraph. */
export function parseBodyLine(line: string): DocumentBlockDto {
  for (const { level, re } of LEVELS) {
    const m = re.exec(line);
    if (!m) continue;
    const [, number, rest] = m;
    const stop = rest.search(/[。！？]/u);
    if (stop >= 0 && stop < RUN_IN_MAX && stop < rest.length - 1) {
      return { type: 'heading', level, number, text: rest.slice(0, stop + 1), runIn: rest.slice(stop + 1) } as DocumentBlockDto;
    }
    if (stop < 0 && rest.length > 60) break; // a long numbered sentence without a stop: keep as paragraph
    return { type: 'heading', level, number, text: rest } as DocumentBlockDto;
  }
  return { type: 'paragraph', text: line } as DocumentBlockDto;
}
