import { validateFormDefinition } from './form-definition';
import { validateSubmission } from './form-values';
import { ANNUAL_WORK_PLAN, RECTIFICATION_REPORT } from './templates';

const sha = (c: string) => c.repeat(64);

describe('templates', () => {
  it.each([
    ['ANNUAL_WORK_PLAN', ANNUAL_WORK_PLAN],
    ['RECTIFICATION_REPORT', RECTIFICATION_REPORT],
  ])('%s is a sound definition and cannot be mutated', (_name, def) => {
    expect(validateFormDefinition(def)).toEqual([]);
    expect(Object.isFrozen(def.fields[0])).toBe(true);
    expect(() => (def.fields as unknown[]).push({})).toThrow(TypeError);
  });

  it('the annual plan (seed 003, “于1月17日前”) accepts a village plan built on the seven actions (seed 000)', () => {
    const plan = {
      year: 2020,
      goals: '全村 12 户 40 人脱贫，村集体经济收入达到 5 万元。',
      actions: ['industry', 'leadership'],
      tasks: [{ task: '发展花椒产业 200 亩', owner: '张三', dueDate: '2020-10-31', outcome: '带动 30 户增收' }],
      households: 12,
      budget: 3.5,
      contactName: '李四',
      contactPhone: '0931-1234567',
      attachments: [
        { name: '2020年脱贫计划.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', size: 20480, sha256: sha('a') },
      ],
    };
    expect(validateSubmission(ANNUAL_WORK_PLAN, plan)).toEqual({ ok: true, values: { ...plan, actions: ['leadership', 'industry'] } });
    expect(validateSubmission(ANNUAL_WORK_PLAN, { year: 2020 }, { partial: true })).toEqual({ ok: true, values: { year: 2020 } });
  });

  it('the annual plan reports each missing required field and a bad phone number', () => {
    const r = validateSubmission(ANNUAL_WORK_PLAN, { contactPhone: '123' });
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['year', 'goals', 'actions', 'tasks', 'contactName', 'contactPhone']);
    expect(r.ok ? '' : r.errors[5].message).toBe('字段“联系电话”（contactPhone）格式不正确，应为：11 位手机号或带区号的固定电话（如 0931-1234567）');
  });

  it('the rectification report takes a status from 已完成/部分完成/未完成 and photo or PDF evidence only', () => {
    const report = {
      problem: '党员活动室制度未上墙',
      measures: '制作并张贴制度牌',
      status: 'done',
      completedOn: '2020-03-05',
      evidence: [{ name: '整改后.jpg', mimeType: 'image/jpeg', size: 300000, sha256: sha('b') }],
    };
    expect(validateSubmission(RECTIFICATION_REPORT, report)).toMatchObject({ ok: true });
    const bad = validateSubmission(RECTIFICATION_REPORT, {
      ...report,
      status: '已完成',
      evidence: [{ name: '说明.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', size: 1, sha256: sha('c') }],
    });
    expect(bad).toEqual({
      ok: false,
      errors: [
        { field: 'status', message: '字段“完成情况”（status）的选项“已完成”不在可选范围内，可选：已完成（done）、部分完成（partial）、未完成（notDone）' },
        { field: 'evidence[0]', message: '字段“佐证材料”（evidence）的文件“说明.docx”类型不允许，只接受 PDF、图片' },
      ],
    });
  });
});
