import { EVERY_TYPE, VALID, file } from './form.fixture';
import { validateSubmission } from './form-values';

const errorsOf = (files: unknown) => {
  const r = validateSubmission(EVERY_TYPE, { ...VALID, files });
  return r.ok ? {} : Object.fromEntries(r.errors.map((e) => [e.field, e.message]));
};

describe('file attachments', () => {
  it('accepts allowed files and normalises type and hash case', () => {
    const r = validateSubmission(EVERY_TYPE, { ...VALID, files: [file('计划.pdf'), file('现场.JPG', { mimeType: 'IMAGE/JPEG', sha256: 'F'.repeat(64) })] });
    expect(r.ok && r.values.files).toEqual([file('计划.pdf'), { name: '现场.JPG', mimeType: 'image/jpeg', size: 1000, sha256: 'f'.repeat(64) }]);
  });

  it('refuses a type outside the accepted list, naming the file and the accepted kinds', () => {
    expect(errorsOf([file('计划.exe', { mimeType: 'application/x-msdownload' })])).toEqual({
      'files[0]': '字段“附件”（files）的文件“计划.exe”类型不允许，只接受 PDF、Word、图片',
    });
    // The extension and the MIME type must both be accepted: a renamed executable is still refused.
    expect(Object.keys(errorsOf([file('计划.pdf', { mimeType: 'application/x-msdownload' })]))).toEqual(['files[0]']);
    expect(Object.keys(errorsOf([file('计划', { mimeType: 'application/pdf' })]))).toEqual(['files[0]']);
  });

  it('refuses oversize, empty and badly described files', () => {
    expect(errorsOf([file('大.pdf', { size: 5 * 1024 * 1024 })])).toEqual({
      'files[0]': '字段“附件”（files）的文件“大.pdf”大小为 5 MB，超过上限 1 MB',
    });
    expect(errorsOf([file('空.pdf', { size: 0 })])['files[0]']).toContain('空文件不能上传');
    expect(errorsOf([file('半.pdf', { size: 1.5 })])['files[0]']).toContain('大小无效');
    expect(errorsOf([file('a.pdf', { sha256: 'xyz' })])['files[0]']).toContain('校验值无效');
    expect(errorsOf([file('../a.pdf')])['files[0]']).toContain('文件名无效');
    expect(errorsOf([file('a\u0007.pdf')])['files[0]']).toContain('文件名无效');
    expect(errorsOf([{ name: 'a.pdf' }])['files[0]']).toContain('缺少类型、大小或校验值');
    expect(errorsOf([{ ...file('a.pdf'), path: '/tmp/a.pdf' }])['files[0]']).toBe('字段“附件”（files）的第 1 个文件含有未知属性：path');
    expect(errorsOf(['a.pdf'])['files[0]']).toContain('的第 1 个文件应为文件信息');
    expect(errorsOf([file('  ')])['files[0]']).toContain('缺少文件名');
  });

  it('enforces the count and refuses the same content twice, listing every bad file', () => {
    expect(errorsOf([file('a.pdf'), file('b.pdf'), file('c.pdf')])).toEqual({ files: '字段“附件”（files）最多上传 2 个文件，现有 3 个' });
    expect(errorsOf([file('a.pdf'), file('副本.pdf', { sha256: file('a.pdf').sha256 })])).toEqual({
      'files[1]': '字段“附件”（files）的文件“副本.pdf”与前面的文件内容相同，重复上传',
    });
    expect(Object.keys(errorsOf([file('a.exe'), file('b.pdf', { size: 0 })]))).toEqual(['files[0]', 'files[1]']);
  });

  it('a required attachment field needs at least one file', () => {
    const def = { ...EVERY_TYPE, fields: EVERY_TYPE.fields.map((f) => (f.key === 'files' ? { ...f, required: true } : f)) };
    expect(validateSubmission(def, { ...VALID, files: [] })).toEqual({ ok: false, errors: [{ field: 'files', message: '字段“附件”（files）必须填写' }] });
  });
});
