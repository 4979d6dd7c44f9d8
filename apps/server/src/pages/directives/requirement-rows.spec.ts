import { ANNUAL_WORK_PLAN } from '../../filings/forms';
import { parseFormDefinition } from '../../filings/forms';
import { formFromLines, rowFromRequirement, rowsToRequirements, type RequirementRow } from './requirement-rows';

const row = (over: Partial<RequirementRow>): RequirementRow => ({ title: '', template: '', fields: '', workdays: '', orig: '', ...over });

describe('填报要求 rows of the directive editor', () => {
  it('builds a custom form from lines: the kind and 选填 in brackets, a valid form definition', () => {
    const { form, errors } = formFromLines('落实情况', '主要做法\n完成时间（日期）\n经费（数字，选填）\n佐证材料（附件）');
    expect(errors).toEqual([]);
    expect(form?.fields.map((f) => [f.key, f.label, f.type, f.required])).toEqual([
      ['f1', '主要做法', 'longText', true],
      ['f2', '完成时间', 'date', true],
      ['f3', '经费', 'number', false],
      ['f4', '佐证材料', 'files', true],
    ]);
    expect(parseFormDefinition(form).ok).toBe(true);
  });

  it('names the line it cannot read, and an empty form', () => {
    expect(formFromLines('x', '主要做法（表格）').errors).toEqual(['第 1 行“主要做法（表格）”括号中的“表格”无法识别，可写：数字、日期、附件、单行、选填']);
    expect(formFromLines('x', '  \n').errors).toEqual(['自定义表单至少要有一个填写项']);
  });

  it('turns rows into requirements, skipping blank rows and naming each missing part by its row', () => {
    const { requirements, errors } = rowsToRequirements([
      row({ title: '年度计划', template: 'ANNUAL_WORK_PLAN', workdays: '10' }),
      row({}),
      row({ title: '落实情况', template: 'CUSTOM', fields: '主要做法' }),
      row({ template: '', title: '无表单', workdays: '3' }),
    ]);
    expect(requirements[0]).toEqual({ title: '年度计划', template: 'ANNUAL_WORK_PLAN', deadlineKind: 'WORKDAYS', deadlineWorkdays: 10 });
    expect(errors.map((e) => e.message)).toEqual(['第 3 项填报要求：请填写期限（印发后几个工作日内）', '第 4 项填报要求：请选择表单（模板或自定义）']);
  });

  it('gives a saved requirement back as a row that saves to the same requirement', () => {
    const saved = {
      title: '年度计划',
      form: ANNUAL_WORK_PLAN,
      deadlineKind: 'FIXED',
      deadlineAt: new Date('2030-01-17T09:30:00Z'),
      deadlineWorkdays: null,
      deadlineTime: '17:30',
      reminderDays: [3, 1, 0],
      reviewerRole: 'COMMITTEE_SECRETARY',
    };
    const r = rowFromRequirement(saved);
    expect(r.template).toBe('ANNUAL_WORK_PLAN');
    expect(rowsToRequirements([r])).toEqual({
      requirements: [
        {
          title: '年度计划',
          template: 'ANNUAL_WORK_PLAN',
          deadlineKind: 'FIXED',
          deadlineAt: '2030-01-17T09:30:00.000Z',
          deadlineTime: '17:30',
          reminderDays: [3, 1, 0],
          reviewerRole: 'COMMITTEE_SECRETARY',
        },
      ],
      errors: [],
    });
    const custom = rowFromRequirement({ ...saved, form: formFromLines('落实', '做法\n日期（日期，选填）').form });
    expect(custom).toMatchObject({ template: 'CUSTOM', fields: '做法\n日期（日期，选填）' });
    const odd = rowFromRequirement({
      ...saved,
      form: { title: 't', fields: [{ key: 'a', label: '选', type: 'singleChoice', required: true, options: [{ value: 'x', label: 'X' }] }] },
    });
    expect(odd.template).toBe('KEEP');
    expect(rowsToRequirements([odd]).requirements[0].form).toEqual({
      title: 't',
      fields: [{ key: 'a', label: '选', type: 'singleChoice', required: true, options: [{ value: 'x', label: 'X' }] }],
    });
  });
});
