import { emWidth } from './header-layout';
import { TEXT_WIDTH_MM, PT_MM } from './layout-constants';

/** Characters of 22 pt that fit a title line (text width less one character each side). */
const TITLE_CAPACITY_EM = Math.floor(TEXT_WIDTH_MM / (22 * PT_MM)) - 2;
const OPEN = '《“‘（〔(';
const CLOSE = '》”’）〕)，、。；：,';

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Breaks a title into balanced lines (a trapezoid or diamond, never a long last line),
 * only between words (Intl.Segmenter knows Chinese words), preferring not to break
 * inside 《》 or “” and never leaving an opening mark at a line end.
 */
export function splitTitle(title: string, capacity = TITLE_CAPACITY_EM): string[] {
  const total = emWidth(title);
  if (total <= capacity) return [title];
  const words = [...segmenter.segment(title)].map((s) => s.segment);
  const widths = words.map(emWidth);
  // penalty[i]: cost of breaking after word i
  const penalty: number[] = [];
  let depth = 0;
  words.forEach((w, i) => {
    for (const c of w) depth += OPEN.includes(c) ? 1 : CLOSE.slice(0, 6).includes(c) ? -1 : 0;
    const next = words[i + 1] ?? '';
    const bad = OPEN.includes(w.slice(-1)) || CLOSE.includes(next[0] ?? '');
    // Two single hanzi in a row are often a word the dictionary does not know (印发).
    const loose = w.length === 1 && next.length === 1 && /\p{Script=Han}/u.test(w + next) ? 150 : 0;
    penalty.push(bad ? 1e6 : (depth > 0 ? 300 * depth : 0) + loose);
  });
  let best: { cost: number; breaks: number[] } = { cost: Infinity, breaks: [] };
  for (let lines = Math.ceil(total / capacity); lines <= Math.ceil(total / capacity) + 1; lines++) {
    search(lines - 1, 0, []);
  }
  function search(left: number, from: number, breaks: number[]): void {
    if (left === 0) {
      const cost = score([...breaks, words.length - 1]);
      if (cost < best.cost) best = { cost, breaks: [...breaks, words.length - 1] };
      return;
    }
    for (let i = from; i < words.length - 1; i++) search(left - 1, i + 1, [...breaks, i]);
  }
  function score(breaks: number[]): number {
    let start = 0;
    const ws = breaks.map((b) => {
      const w = widths.slice(start, b + 1).reduce((a, x) => a + x, 0);
      start = b + 1;
      return w;
    });
    const avg = total / ws.length;
    let cost = 60 * ws.length + breaks.slice(0, -1).reduce((c, b) => c + penalty[b], 0);
    ws.forEach((w, i) => {
      cost += Math.max(0, w - capacity) * 1e6 + (w - avg) ** 2;
      if (i === ws.length - 1 && i > 0 && w > ws[i - 1]) cost += 4 * (w - ws[i - 1]); // last line not the longest
    });
    return cost;
  }
  let start = 0;
  return best.breaks.map((b) => {
    const line = words.slice(start, b + 1).join('');
    start = b + 1;
    return line;
  });
}
