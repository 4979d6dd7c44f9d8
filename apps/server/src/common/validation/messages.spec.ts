import type { ValidationError } from 'class-validator';
import { toFieldErrors } from './messages';

describe('toFieldErrors', () => {
  it('words an unknown property in Chinese even when its name is Chinese (found by the fuzz test)', () => {
    const error: ValidationError = { property: '中文键', constraints: { whitelistValidation: 'property 中文键 should not exist' }, children: [] };
    expect(toFieldErrors([error])).toEqual([{ field: '中文键', message: '字段 中文键 是不允许的字段' }]);
  });

  it('keeps a DTO’s own Chinese message', () => {
    const error: ValidationError = { property: 'title', constraints: { isNotEmpty: '字段 title（标题）不能为空' }, children: [] };
    expect(toFieldErrors([error])).toEqual([{ field: 'title', message: '标题不能为空' }]);
  });

  it('says a required field sent without a value is empty, not what kind of value it should have been', () => {
    // The people form without a password: the DTO's rule is IsString, with its own message.
    const withOwn: ValidationError = { property: 'password', value: undefined, constraints: { isString: '字段 password（密码）必须是文本' }, children: [] };
    expect(toFieldErrors([withOwn])).toEqual([{ field: 'password', message: '密码不能为空' }]);
    const plain: ValidationError = { property: 'count', value: null, constraints: { isInt: 'count must be an integer number' }, children: [] };
    expect(toFieldErrors([plain], { count: '人数' })).toEqual([{ field: 'count', message: '人数不能为空' }]);
    // A value of the wrong kind is still named as such.
    const wrong: ValidationError = { property: 'password', value: 12345678, constraints: { isString: '字段 password（密码）必须是文本' }, children: [] };
    expect(toFieldErrors([wrong])).toEqual([{ field: 'password', message: '密码必须是文本' }]);
    // A DTO's own message that already asks for the value, and says what kind, is kept whole.
    const signer: ValidationError = {
      property: 'signerId',
      value: undefined,
      constraints: { isUuid: '字段 chain.signerId（签发人）必须填写，且须为人员编号' },
      children: [],
    };
    expect(toFieldErrors([signer], {}, 'chain')).toEqual([{ field: 'chain.signerId', message: '签发人必须填写，且须为人员编号' }]);
  });

  it("gives class-validator's UUID and ISO 8601 rules their Chinese reason (their names are isUuid and isIso8601)", () => {
    const id: ValidationError = { property: 'personId', value: 'abc', constraints: { isUuid: 'personId must be a UUID' }, children: [] };
    expect(toFieldErrors([id], { personId: '人员' })).toEqual([{ field: 'personId', message: '人员必须是有效的编号' }]);
    const at: ValidationError = { property: 'at', value: 'x', constraints: { isIso8601: 'at must be a valid ISO 8601 date string' }, children: [] };
    expect(toFieldErrors([at], { at: '时间' })).toEqual([{ field: 'at', message: '时间必须是有效的日期时间' }]);
  });
});
