/** 2017-04-21 → 2017年4月21日 (Arabic numerals, no zero padding, GB/T 9704 7.3.5). */
export function formatChineseDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** 2017年4月21日 (also with full-width digits or spaces) → 2017-04-21, or null. */
export function parseChineseDate(text: string): string | null {
  const ascii = text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\s+/g, '');
  const m = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(ascii);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
