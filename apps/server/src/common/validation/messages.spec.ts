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
});
