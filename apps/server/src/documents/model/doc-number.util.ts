/** 发文字号: 机关代字〔年份〕序号号 (GB/T 9704-2012 7.2.4): 〔〕 are U+3014/U+3015, full year, no 第, no leading zeros. */
export interface DocNumber {
  organCode: string;
  year: number;
  serial: number;
}

const DOC_NUMBER = /^(.+?)\s*[〔［[【(（]\s*(\d{4})\s*[〕］\]】)）]\s*第?\s*0*(\d+)\s*号$/u;

export function formatDocNumber(organCode: string, year: number, serial: number): string {
  if (!organCode.trim()) throw new RangeError('organCode（机关代字）不能为空');
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`year（年份）必须是四位年份：${year}`);
  if (!Number.isInteger(serial) || serial < 1) throw new RangeError(`serial（序号）必须是正整数：${serial}`);
  return `${organCode.trim()}〔${year}〕${serial}号`;
}

/**
 * Reads a 发文字号. Accepts the look-alike brackets people type ([] 【】 （）) and a stray
 * 第 or leading zeros, so imported text can be normalised by formatDocNumber.
 */
export function parseDocNumber(text: string): DocNumber | null {
  const m = DOC_NUMBER.exec(text.trim());
  if (!m) return null;
  const serial = Number(m[3]);
  if (serial < 1) return null;
  return { organCode: m[1].trim(), year: Number(m[2]), serial };
}
