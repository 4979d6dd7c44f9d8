import { normalizePunctuation } from './normalize-punctuation';

describe('normalizePunctuation', () => {
  it('converts ASCII marks in Chinese text and leaves numbers, Latin brackets and inner parentheses alone', () => {
    expect(normalizePunctuation('各村(社区)党支部,机关、学校党支部:')).toBe('各村（社区）党支部，机关、学校党支部：');
    expect(normalizePunctuation('共1,000人;时间10:07!')).toBe('共1,000人；时间10:07！');
    expect(normalizePunctuation('是否参加?“是”')).toBe('是否参加？“是”');
    expect(normalizePunctuation('见f(x)与(甲(乙)丙)')).toBe('见f(x)与(甲（乙）丙)');
    expect(normalizePunctuation('(𠀀)')).toBe('（𠀀）'); // Han outside the BMP
    expect(normalizePunctuation('\u3000\u00a0 正文 \t\u00a0')).toBe('正文');
    expect(normalizePunctuation('正文\u3000 ')).toBe('正文\u3000'); // the end keeps 全角空格, as before
  });

  // A correctness property, not a benchmark: a regex with overlapping quantifiers takes
  // seconds (quadratic) on these lines; a linear pass takes milliseconds. The bound is generous.
  it.each([
    ['an unclosed parenthesis before Chinese text', '(' + '汉'.repeat(199_999)],
    ['Chinese text between parentheses that never close', '(汉'.repeat(100_000)],
    ['a closing parenthesis far away', '(' + '汉'.repeat(199_996) + '(x)'],
    ['blanks that do not end the line', ' \t\u00a0'.repeat(66_666) + '汉x'],
  ])('normalises a 200,000-character line of %s in well under a second', (_name, line) => {
    expect(line.length).toBeGreaterThanOrEqual(200_000);
    const started = performance.now();
    const out = normalizePunctuation(line);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(out.length).toBeGreaterThan(0);
  });
});
