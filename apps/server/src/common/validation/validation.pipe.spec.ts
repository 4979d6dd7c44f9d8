import { DomainError } from '../errors/domain-error';
import { refuseNul } from './validation.pipe';

describe('refuseNul: text PostgreSQL cannot store is refused before any DTO rule', () => {
  const refused = (value: unknown) => {
    try {
      refuseNul(value, { data: undefined, metatype: undefined });
      return undefined;
    } catch (err) {
      return err as DomainError;
    }
  };

  it('refuses a NUL character in a value or a key', () => {
    expect(refused({ title: 'a\u0000b' })?.fields[0].field).toBe('title');
    expect(refused({ ['a\u0000']: 'x' })?.message).toContain('不能包含空字符');
  });

  // Found by the fuzz test: a lone surrogate in the login name reached Prisma's JSON and answered 500.
  it('refuses half of a surrogate pair, anywhere, and keeps whole pairs (emoji, extension-plane characters)', () => {
    expect(refused({ username: '\ud800' })?.fields[0].field).toBe('username');
    expect(refused({ rows: [{ text: 'x\udc00' }] })?.fields[0].field).toBe('rows[0].text');
    expect(refused({ ['\udbff']: 1 })?.message).toContain('残缺的字符');
    expect(refused({ title: '党建😀𰀀' })).toBeUndefined();
  });
});
