import { formatDocNumber, parseDocNumber } from './doc-number.util';

describe('发文字号 format / parse', () => {
  it('formats with 〔〕 (U+3014/U+3015), the full year and no leading zeros', () => {
    const s = formatDocNumber('大滩委发', 2017, 58);
    expect(s).toBe('大滩委发〔2017〕58号');
    expect(s.codePointAt(4)).toBe(0x3014);
    expect(s.codePointAt(9)).toBe(0x3015);
    expect(formatDocNumber('大滩委发', 2017, 1)).toBe('大滩委发〔2017〕1号');
  });

  it('rejects an empty 代字, a two-digit year and a zero serial', () => {
    expect(() => formatDocNumber(' ', 2017, 1)).toThrow('organCode（机关代字）不能为空');
    expect(() => formatDocNumber('大滩委发', 17, 1)).toThrow('year（年份）');
    expect(() => formatDocNumber('大滩委发', 2017, 0)).toThrow('serial（序号）');
  });

  it('parses the canonical form and round-trips', () => {
    expect(parseDocNumber('大滩委发〔2017〕58号')).toEqual({ organCode: '大滩委发', year: 2017, serial: 58 });
    const p = parseDocNumber(formatDocNumber('达川委办发', 2024, 103))!;
    expect(formatDocNumber(p.organCode, p.year, p.serial)).toBe('达川委办发〔2024〕103号');
  });

  it('normalises look-alike brackets, 第 and leading zeros that people type', () => {
    for (const s of ['大滩委发[2017]58号', '大滩委发【2017】第058号', '大滩委发（2017）58号', ' 大滩委发〔2017〕 58 号 ']) {
      expect(parseDocNumber(s)).toEqual({ organCode: '大滩委发', year: 2017, serial: 58 });
    }
  });

  it('returns null for text that is not a 发文字号', () => {
    for (const s of ['', '大滩委发', '〔2017〕58号', '大滩委发〔17〕58号', '大滩委发〔2017〕0号', '关于开展工作的通知']) {
      expect(parseDocNumber(s)).toBeNull();
    }
  });
});
