import { contentDisposition, safeContentType } from './content-disposition';

describe('contentDisposition', () => {
  it('carries a Chinese name in RFC 5987 form with an ASCII fallback that keeps the extension', () => {
    expect(contentDisposition('2018年度计划.pdf', 'application/pdf')).toBe(
      `inline; filename="2018_.pdf"; filename*=UTF-8''2018%E5%B9%B4%E5%BA%A6%E8%AE%A1%E5%88%92.pdf`,
    );
    expect(contentDisposition('党员名册.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe(
      `attachment; filename="file.xlsx"; filename*=UTF-8''%E5%85%9A%E5%91%98%E5%90%8D%E5%86%8C.xlsx`,
    );
  });

  it('percent-encodes the characters encodeURIComponent leaves alone, and quotes nothing it should not', () => {
    const header = contentDisposition(`张三's "报告" (终稿)*.docx`, 'application/msword');
    expect(header).toContain(`filename*=UTF-8''%E5%BC%A0%E4%B8%89%27s%20%22%E6%8A%A5%E5%91%8A%22%20%28%E7%BB%88%E7%A8%BF%29%2A.docx`);
    expect(header).toMatch(/^attachment; filename="[^"]*"; /);
    expect(contentDisposition('a\r\nSet-Cookie: x=1.txt', 'text/plain')).not.toMatch(/[\r\n]/);
  });

  it('shows only safe types in place; scripts and odd types are downloaded', () => {
    expect(contentDisposition('照片.jpg', 'image/jpeg')).toMatch(/^inline;/);
    expect(contentDisposition('page.html', 'text/html')).toMatch(/^attachment;/);
    expect(contentDisposition('x.svg', 'image/svg+xml')).toMatch(/^attachment;/);
    expect(safeContentType('text/html\r\nX-Evil: 1')).toBe('application/octet-stream');
    expect(safeContentType('Application/PDF')).toBe('application/pdf');
  });
});
