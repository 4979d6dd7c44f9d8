import { peopleFilter } from './people-query';

describe('peopleFilter', () => {
  it('takes a role by its name and refuses a name every object has (found by the fuzz test: ?role=__proto__ was a 500)', () => {
    expect(peopleFilter({ role: 'ADMIN' })).toMatchObject({ role: 'ADMIN' });
    for (const role of ['__proto__', 'toString', 'constructor', 'hasOwnProperty']) expect(() => peopleFilter({ role })).toThrow('角色选择有误');
  });
});
