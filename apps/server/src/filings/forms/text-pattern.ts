import { RE2JS, RE2JSSyntaxException } from 're2js';

/**
 * A committee writes a short-text field's format rule as a regular expression, and every branch
 * autosave and submission runs it. V8's backtracking engine can take exponential time on a rule
 * such as `(a+)+b` (31 characters held a process for over a minute), so rules run on RE2
 * (the pure-JS port `re2js`), whose running time is linear in the input. RE2 has no backreferences
 * or look-arounds; rules using them are refused when the form is defined, with the reason in Chinese.
 *
 * Rules are written in JavaScript syntax (as before): `\u4e00`, `\u{20000}` and `\p{Script=Han}`
 * are translated to RE2's `\x{4e00}`, `\x{20000}` and `\p{Han}`; everything else is passed as is.
 */
export type CompiledPattern = { ok: true; matches: (value: string) => boolean } | { ok: false; reason: string };

/** Longest rule accepted, in UTF-16 units: a phone or ID-card rule is a few dozen. */
export const MAX_PATTERN_LENGTH = 500;
/** Largest compiled program accepted (about one instruction per matched character): bounds the work per value. */
const MAX_PROGRAM_SIZE = 2000;

const REASONS = {
  invalid: '正则表达式无效',
  tooLong: `正则表达式最长 ${MAX_PATTERN_LENGTH} 个字符`,
  backreference: '不支持反向引用（如 \\1、\\k<名称>）',
  lookaround: '不支持前瞻或后顾断言（如 (?=…)、(?!…)、(?<=…)、(?<!…)）',
  repeat: '重复次数不能超过 1000，且嵌套重复的总次数也不能超过 1000',
  tooComplex: '规则过于复杂，请简化',
  unsupported: '含有本系统不支持的写法',
} as const;

const cache = new Map<string, CompiledPattern>();
const CACHE_SIZE = 256;

/** Compiles (once, then from a small cache) a rule that must match the whole value. */
export function compileTextPattern(regex: string): CompiledPattern {
  let compiled = cache.get(regex);
  if (!compiled) {
    compiled = compile(regex);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(regex, compiled);
  }
  return compiled;
}

function compile(regex: string): CompiledPattern {
  if (regex.length > MAX_PATTERN_LENGTH) return { ok: false, reason: REASONS.tooLong };
  try {
    new RegExp(regex, 'u'); // syntax only (never run): the rule must be a valid JavaScript regex
  } catch {
    return { ok: false, reason: REASONS.invalid };
  }
  const translated = toRe2Syntax(regex);
  if (!translated.ok) return translated;
  let re: RE2JS;
  try {
    re = RE2JS.compile(translated.source);
  } catch (e) {
    const error = e instanceof RE2JSSyntaxException ? e.error : '';
    if (error === 'invalid repeat count' || error === 'invalid nested repetition operator') return { ok: false, reason: REASONS.repeat };
    if (error === 'expression too large' || error === 'expression nests too deeply') return { ok: false, reason: REASONS.tooComplex };
    return { ok: false, reason: REASONS.unsupported };
  }
  if (re.programSize() > MAX_PROGRAM_SIZE) return { ok: false, reason: REASONS.tooComplex };
  return { ok: true, matches: (value) => re.matches(value) };
}

const isAssertion = (c: string | undefined): boolean => c === '=' || c === '!';
const UNICODE_ESCAPE = /u\{([0-9A-Fa-f]+)\}|u([0-9A-Fa-f]{4})/y;
const SCRIPT_PROPERTY = /([pP])\{(?:Script|sc)=([A-Za-z_]+)\}/y;

/** One left-to-right pass over a rule that already compiled as a JavaScript regex (`u` flag). */
function toRe2Syntax(s: string): { ok: true; source: string } | { ok: false; reason: string } {
  let out = '';
  let inClass = false;
  for (let i = 0; i < s.length;) {
    const c = s[i];
    if (c === '\\') {
      const next = s[i + 1];
      if ((next >= '1' && next <= '9') || (next === 'k' && s[i + 2] === '<')) return { ok: false, reason: REASONS.backreference };
      UNICODE_ESCAPE.lastIndex = SCRIPT_PROPERTY.lastIndex = i + 1;
      const unicode = UNICODE_ESCAPE.exec(s);
      const script = unicode ? null : SCRIPT_PROPERTY.exec(s);
      if (unicode) {
        out += `\\x{${unicode[1] ?? unicode[2]}}`;
        i += 1 + unicode[0].length;
      } else if (script) {
        out += `\\${script[1]}{${script[2]}}`;
        i += 1 + script[0].length;
      } else {
        out += c + next;
        i += 2;
      }
      continue;
    }
    if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && s[i + 1] === '?' && (isAssertion(s[i + 2]) || (s[i + 2] === '<' && isAssertion(s[i + 3])))) {
      return { ok: false, reason: REASONS.lookaround };
    }
    out += c;
    i += 1;
  }
  return { ok: true, source: out };
}
