import { registerFilter, registerSort } from './directives-register';

describe('the register’s query', () => {
  it('refuses a status or sort that is a name every object has (`in` looked up the prototype: a 500 from the database)', () => {
    for (const name of ['__proto__', 'toString', 'constructor']) {
      expect(() => registerFilter({ status: name })).toThrow('状态选择有误');
      expect(registerSort({ sort: name })).toEqual({ by: 'updated', desc: true, given: false });
    }
    expect(registerFilter({ status: 'ISSUED' })).toEqual({ status: 'ISSUED' });
    expect(registerSort({ sort: 'title', dir: 'desc' })).toEqual({ by: 'title', desc: true, given: true });
  });
});
