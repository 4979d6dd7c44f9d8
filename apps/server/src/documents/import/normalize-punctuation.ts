/** One Han character (CJK ideographs of every extension block). */
const HAN = /\p{Script=Han}/u;
/** Horizontal blanks stripped from the end / the start of a line (the start also drops 全角空格). */
const TRAILING_BLANK = new Set([' ', '\t', '\u00a0']);
const LEADING_BLANK = new Set([' ', '\t', '\u00a0', '\u3000']);

/**
 * Plain-text directives (as pasted from web pages or Word) mix ASCII and full-width
 * punctuation: "各村(社区)党支部,机关、学校党支部:". An official document uses full-width
 * marks in Chinese text, so convert them, but leave numbers (1.5, 10:07, 1,000) alone.
 *
 * Linear in the length of the line: every regex below is a single character class or a
 * fixed-width look-around, the parenthesis scan stops at the next parenthesis, and the
 * blanks are trimmed by walking the string — a pasted line of any shape cannot make the
 * server backtrack (a "(" followed by 40 000 汉字 once held a process for seconds).
 */
export function normalizePunctuation(line: string): string {
  const marked = line
    .replace(/(?<!\d),|,(?!\d)/g, '，')
    .replace(/(?<!\d):|:(?!\d)/g, '：')
    .replace(/;/g, '；')
    .replace(/\?(?=$|[\p{Script=Han}“”])/gu, '？')
    .replace(/!/g, '！')
    // An innermost (…) holding Chinese text becomes （…）. The class excludes both
    // parentheses, so each attempt ends at the next one: no attempt rescans the line.
    .replace(/\(([^()]*)\)/g, (whole: string, inner: string) => (HAN.test(inner) ? `（${inner}）` : whole));
  return trimBlanks(marked);
}

function trimBlanks(s: string): string {
  let end = s.length;
  while (end > 0 && TRAILING_BLANK.has(s[end - 1])) end--;
  let start = 0;
  while (start < end && LEADING_BLANK.has(s[start])) start++;
  return s.slice(start, end);
}
