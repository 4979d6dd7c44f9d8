import { DomainError } from './errors/domain-error';
import { parseCsv } from './csv';

describe('parseCsv', () => {
  const messageOf = (text: string) => {
    try {
      parseCsv(text, ['code', 'name']);
    } catch (e) {
      return (e as DomainError).message;
    }
    return '';
  };

  it('says in Chinese where and why a CSV cannot be read (found by the fuzz test: csv-parse answers in English)', () => {
    expect(messageOf('code,name\nB1,"大滩村')).toBe('提交的数据有误：CSV 无法解析：第 2 行引号没有闭合，请检查后重新提交');
    expect(messageOf('code,name\nB1,大滩村,多余')).toMatch(/^提交的数据有误：CSV 无法解析：第 2 行列数与第一行（列名）不一致/);
    expect(messageOf('code,name\nB1,"大滩"村')).toMatch(/CSV 无法解析：第 2 行引号后面多了字符/);
  });
});
