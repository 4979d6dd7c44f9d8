import type { FileAccept, FormDefinition } from './form-types';

/** Ready-made forms, worded as the township's own directives word them (seeds 000 and 003). */

const MB = 1024 * 1024;

const DOCUMENTS_AND_IMAGES: FileAccept = {
  mimeTypes: ['application/pdf', 'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'image/jpeg', 'image/png'],
  extensions: ['.pdf', '.doc', '.docx', '.jpg', '.jpeg', '.png'],
};

/** Evidence is mostly phone photos of the rectified site plus scanned documents. */
const PHOTOS_AND_PDF: FileAccept = {
  mimeTypes: ['application/pdf', 'image/jpeg', 'image/png', 'image/heic'],
  extensions: ['.pdf', '.jpg', '.jpeg', '.png', '.heic'],
};

/** The seven actions of 大滩委发〔2017〕58号 (seed 000), so a plan says which action each goal serves. */
export const SEVEN_ACTIONS = [
  { value: 'leadership', label: '班子引领行动' },
  { value: 'bastion', label: '筑牢堡垒行动' },
  { value: 'industry', label: '产业惠民行动' },
  { value: 'talent', label: '人才集聚行动' },
  { value: 'capability', label: '素质提升行动' },
  { value: 'governance', label: '乡村治理行动' },
  { value: 'care', label: '激励关爱行动' },
] as const;

const PHONE = { regex: '1\\d{10}|0\\d{2,3}-?\\d{7,8}', description: '11 位手机号或带区号的固定电话（如 0931-1234567）' };

/** 年度工作计划: what seed 003 orders every village to file “于1月17日前”. */
export const ANNUAL_WORK_PLAN: FormDefinition = deepFreeze({
  title: '年度工作计划',
  description: '各村（社区）党支部对照乡党委年度部署，报送本支部年度工作计划（含贫困村、贫困户脱贫计划），写明目标、重点任务、责任人和完成时限。',
  fields: [
    { key: 'year', label: '计划年度', type: 'number', required: true, integer: true, min: 2000, max: 2100, unit: '年' },
    {
      key: 'goals',
      label: '年度目标',
      type: 'longText',
      required: true,
      maxLength: 2000,
      help: '写明全年要达到的目标，尽量量化，如脱贫户数、培训人次、集体经济收入。',
    },
    {
      key: 'actions',
      label: '对应行动',
      type: 'multipleChoice',
      required: true,
      options: SEVEN_ACTIONS,
      minSelections: 1,
      help: '本计划落实的“七大行动”，可多选。',
    },
    {
      key: 'tasks',
      label: '重点任务',
      type: 'table',
      required: true,
      minRows: 1,
      maxRows: 30,
      help: '每项任务一行，落实到责任人和完成时限。',
      columns: [
        { key: 'task', label: '任务', type: 'shortText', required: true, maxLength: 200 },
        { key: 'owner', label: '责任人', type: 'shortText', required: true, maxLength: 50 },
        { key: 'dueDate', label: '完成时限', type: 'date', required: true },
        { key: 'outcome', label: '预期成效', type: 'shortText', required: true, maxLength: 300 },
      ],
    },
    { key: 'households', label: '计划脱贫户数', type: 'number', required: false, integer: true, min: 0, max: 10000, unit: '户' },
    { key: 'budget', label: '经费预算', type: 'number', required: false, min: 0, max: 100000, unit: '万元', help: '可填小数，如 3.5 万元。' },
    { key: 'contactName', label: '填报人', type: 'shortText', required: true, maxLength: 20 },
    { key: 'contactPhone', label: '联系电话', type: 'shortText', required: true, maxLength: 20, pattern: PHONE },
    { key: 'attachments', label: '附件', type: 'files', required: false, accept: DOCUMENTS_AND_IMAGES, maxSizeBytes: 20 * MB, maxCount: 5 },
  ],
});

/** 整改报告: a branch's answer to a spot-check finding (lifecycle 3). */
export const RECTIFICATION_REPORT: FormDefinition = deepFreeze({
  title: '整改报告',
  description: '针对督查发现的问题，报送整改措施、完成情况和佐证材料。',
  fields: [
    { key: 'problem', label: '问题描述', type: 'longText', required: true, maxLength: 2000 },
    { key: 'measures', label: '整改措施', type: 'longText', required: true, maxLength: 4000 },
    {
      key: 'status',
      label: '完成情况',
      type: 'singleChoice',
      required: true,
      options: [
        { value: 'done', label: '已完成' },
        { value: 'partial', label: '部分完成' },
        { value: 'notDone', label: '未完成' },
      ],
    },
    // Not required: an unfinished rectification has no completion day yet (the model has no conditional rules).
    { key: 'completedOn', label: '完成时间', type: 'date', required: false, help: '已完成或部分完成的，填写完成（或阶段完成）的日期。' },
    { key: 'nextSteps', label: '未完成原因及下步措施', type: 'longText', required: false, maxLength: 2000 },
    {
      key: 'evidence',
      label: '佐证材料',
      type: 'files',
      required: true,
      accept: PHOTOS_AND_PDF,
      maxSizeBytes: 20 * MB,
      maxCount: 10,
      help: '整改前后照片或相关文件。',
    },
  ],
});

/** 述职报告 (lifecycle 4): results, problems, measures — the ⅓ / ⅓ / ⅓ shape local schemes ask for — and attachments. */
export const WORK_REPORT: FormDefinition = deepFreeze({
  title: '抓党建工作述职报告',
  description: '按“履职成效、存在问题、改进措施”三部分报告本年度抓基层党建工作情况，可附相关材料。',
  fields: [
    { key: 'results', label: '履职成效', type: 'longText', required: true, maxLength: 8000, help: '本年度抓党建工作的主要做法和成效。' },
    { key: 'problems', label: '存在问题', type: 'longText', required: true, maxLength: 6000, help: '查找问题要具体，不回避矛盾。' },
    { key: 'measures', label: '改进措施', type: 'longText', required: true, maxLength: 6000, help: '针对问题提出的下一步措施和时限。' },
    {
      key: 'attachments',
      label: '附件材料',
      type: 'files',
      required: false,
      accept: DOCUMENTS_AND_IMAGES,
      maxSizeBytes: 20 * MB,
      maxCount: 10,
    },
  ],
});

/** 整改方案 with its 整改责任清单, asked of a secretary graded 一般 or 差 (lifecycle 4). */
export const REMEDY_PLAN: FormDefinition = deepFreeze({
  title: '整改方案',
  description: '针对述职评议中指出的问题，制定整改方案和整改责任清单。',
  fields: [
    { key: 'problem', label: '存在的问题', type: 'longText', required: true, maxLength: 4000 },
    { key: 'measures', label: '整改措施', type: 'longText', required: true, maxLength: 6000 },
    { key: 'responsibility', label: '整改责任清单（责任人、完成时限）', type: 'longText', required: true, maxLength: 4000 },
    { key: 'evidence', label: '佐证材料', type: 'files', required: false, accept: PHOTOS_AND_PDF, maxSizeBytes: 20 * MB, maxCount: 10 },
  ],
});

/** Templates are shared module state: freezing stops one requirement's edits leaking into the next. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
