import type { FormDefinition } from './form-types';

/** One field of every type, with every rule, shared by the unit tests. */
export const EVERY_TYPE: FormDefinition = {
  title: '测试表单',
  fields: [
    { key: 'name', label: '支部名称', type: 'shortText', required: true, maxLength: 10 },
    { key: 'phone', label: '联系电话', type: 'shortText', required: false, maxLength: 20, pattern: { regex: '1\\d{10}', description: '11 位手机号' } },
    { key: 'summary', label: '工作总结', type: 'longText', required: false, maxLength: 20 },
    { key: 'trainees', label: '培训人数', type: 'number', required: true, integer: true, min: 0, max: 500, unit: '人' },
    { key: 'budget', label: '经费预算', type: 'number', required: false, min: 0.5, unit: '万元' },
    { key: 'deadline', label: '计划完成时间', type: 'date', required: true, min: '2020-01-01', max: '2020-12-31' },
    {
      key: 'status',
      label: '完成情况',
      type: 'singleChoice',
      required: false,
      options: [
        { value: 'done', label: '已完成' },
        { value: 'notDone', label: '未完成' },
      ],
    },
    {
      key: 'actions',
      label: '对应行动',
      type: 'multipleChoice',
      required: false,
      minSelections: 2,
      maxSelections: 3,
      options: [
        { value: 'a', label: '甲' },
        { value: 'b', label: '乙' },
        { value: 'c', label: '丙' },
        { value: 'd', label: '丁' },
      ],
    },
    {
      key: 'rows',
      label: '经费明细',
      type: 'table',
      required: false,
      minRows: 2,
      maxRows: 3,
      columns: [
        { key: 'item', label: '项目', type: 'shortText', required: true, maxLength: 20 },
        { key: 'amount', label: '金额', type: 'number', required: true, min: 0, max: 100, unit: '万元' },
        { key: 'note', label: '备注', type: 'shortText', required: false, maxLength: 5 },
      ],
    },
    {
      key: 'files',
      label: '附件',
      type: 'files',
      required: false,
      accept: {
        mimeTypes: ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'image/*'],
        extensions: ['.pdf', '.docx', '.jpg', '.png'],
      },
      maxSizeBytes: 1024 * 1024,
      maxCount: 2,
    },
  ],
};

/** A submission that passes every rule of EVERY_TYPE. */
export const VALID = {
  name: '一村党支部',
  trainees: 120,
  deadline: '2020-06-30',
};

export const file = (name: string, over: Record<string, unknown> = {}) => ({
  name,
  mimeType: name.endsWith('.pdf') ? 'application/pdf' : 'image/jpeg',
  size: 1000,
  sha256: name
    .padEnd(64, '0')
    .replace(/[^0-9a-f]/g, 'a')
    .slice(0, 64),
  ...over,
});
