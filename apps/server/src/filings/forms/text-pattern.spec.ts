import { compileTextPattern } from './text-pattern';

const matcher = (regex: string) => {
  const compiled = compileTextPattern(regex);
  if (!compiled.ok) throw new Error(`expected ${regex} to compile, got ${compiled.reason}`);
  return compiled.matches;
};
const reasonOf = (regex: string) => {
  const compiled = compileTextPattern(regex);
  return compiled.ok ? undefined : compiled.reason;
};

describe('compileTextPattern', () => {
  it('matches the whole value, like ^(?:…)$ did', () => {
    const phone = matcher('1\\d{10}|0\\d{2,3}-?\\d{7,8}');
    expect(phone('13912345678')).toBe(true);
    expect(phone('0931-1234567')).toBe(true);
    expect(phone('x13912345678')).toBe(false);
    expect(phone('13912345678\n')).toBe(false);
    expect(phone('1391234567')).toBe(false);
  });

  it('reads JavaScript escapes and script properties', () => {
    expect(matcher('[\\u4e00-\\u9fa5]{2,4}')('张三')).toBe(true);
    expect(matcher('\\p{Script=Han}+')('党支部')).toBe(true);
    expect(matcher('\\p{sc=Han}+')('abc')).toBe(false);
    expect(matcher('\\u{20000}.')('𠀀字')).toBe(true);
    expect(matcher('\\\\u0041')('\\u0041')).toBe(true); // an escaped backslash, then a literal "u0041"
    expect(matcher('[(?=]+')('(?=')).toBe(true); // inside a class these are plain characters
  });

  // A backtracking engine takes exponential time here (31 characters held a process for 68 s).
  it('runs a catastrophic rule on a long value promptly', () => {
    const evil = matcher('(a+)+b');
    const started = performance.now();
    expect(evil('a'.repeat(31))).toBe(false);
    expect(evil('a'.repeat(500))).toBe(false);
    expect(evil('a'.repeat(30) + 'b')).toBe(true);
    expect(matcher('(x+x+)+y')('x'.repeat(500))).toBe(false);
    expect(matcher('(.*a){20}')('a'.repeat(19) + 'b'.repeat(400))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses what RE2 cannot run, with the reason in Chinese', () => {
    expect(reasonOf('(\\d)\\1')).toBe('不支持反向引用（如 \\1、\\k<名称>）');
    expect(reasonOf('(?<a>x)\\k<a>')).toBe('不支持反向引用（如 \\1、\\k<名称>）');
    for (const look of ['(?=1)\\d+', '(?!0)\\d+', '\\d+(?<=5)', 'a(?<!b)c']) {
      expect(reasonOf(look)).toBe('不支持前瞻或后顾断言（如 (?=…)、(?!…)、(?<=…)、(?<!…)）');
    }
    expect(reasonOf('(')).toBe('正则表达式无效');
    expect(reasonOf('a{1001}')).toBe('重复次数不能超过 1000，且嵌套重复的总次数也不能超过 1000');
    expect(reasonOf('(?:a{100}){100}')).toBe('重复次数不能超过 1000，且嵌套重复的总次数也不能超过 1000');
    expect(reasonOf('\\p{L}{999}\\p{L}{999}\\p{L}{999}')).toBe('规则过于复杂，请简化');
    expect(reasonOf('x'.repeat(501))).toBe('正则表达式最长 500 个字符');
    expect(reasonOf('\\p{Letter}+')).toBe('含有本系统不支持的写法');
  });
});
