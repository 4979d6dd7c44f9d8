/**
 * Plain-text directives (as pasted from web pages or Word) mix ASCII and full-width
 * punctuation: "各村(社区)党支部,机关、学校党支部:". An official document uses full-width
 * marks in Chinese text, so convert them, but leave numbers (1.5, 10:07, 1,000) alone.
 */
export function normalizePunctuation(line: string): string {
  return line
    .replace(/(?<!\d),|,(?!\d)/g, '，')
    .replace(/(?<!\d):|:(?!\d)/g, '：')
    .replace(/;/g, '；')
    .replace(/\?(?=$|[\p{Script=Han}“”])/gu, '？')
    .replace(/!/g, '！')
    .replace(/\(([^()]*\p{Script=Han}[^()]*)\)/gu, '（$1）')
    .replace(/[ \t\u00a0]+$/g, '')
    .replace(/^[ \t\u00a0\u3000]+/g, '');
}
