const DIGITS = '〇一二三四五六七八九';

/** 1 → 一, 10 → 十, 18 → 十八, 23 → 二十三 (heading numbers 一、（一）). */
export function toChineseNumeral(n: number): string {
  if (n < 10) return DIGITS[n];
  if (n < 20) return '十' + (n % 10 ? DIGITS[n % 10] : '');
  if (n < 100) return DIGITS[Math.floor(n / 10)] + '十' + (n % 10 ? DIGITS[n % 10] : '');
  return String(n);
}
