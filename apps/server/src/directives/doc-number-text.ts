/** 文号 as typed ([2026]、【2026】、(2026)、空格) in the form the documents carry: 大滩委发〔2026〕58号. */
export function docNumberText(no: string): string {
  return no
    .replace(/\s+/g, '')
    .replace(/[[【(（［]/g, '〔')
    .replace(/[\]】)）］]/g, '〕');
}
