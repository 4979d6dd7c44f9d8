import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FieldError } from '../../common/errors/domain-error';
import { plainWords } from '../../common/errors/plain-words';
import { toFieldErrors } from '../../common/validation/messages';
import type { ChainConfig, DistributionConfig } from '../../directives/chain';
import { CreateDirectiveDto } from '../../directives/dto/directive.dto';
import { parseBodyLine } from '../../documents/import/body-line.parser';
import { validateDocumentModel } from '../../documents/model';
import { column, RequirementRow, rowsFromBody, rowsToRequirements } from './requirement-rows';

/**
 * The directive editor as an HTML form: the document as a few text fields (the body one block a line,
 * headings recognised the way the text importer does), the chain and the distribution as plain fields.
 * Everything the form does not show (发文机关, 抄送, 印发…) rides along as JSON in `extra`.
 */
export interface DirectiveForm {
  kind: string;
  title: string;
  addressee: string;
  bodyText: string;
  signingOrgans: string;
  date: string;
  /** 附件, in the order of the 附件说明: the name printed, the uploaded file (its reference as JSON), a text body if any. */
  attachments: AttachmentRow[];
  extra: string;
  text: string;
  reviewers: string[];
  countersigners: string[];
  signerId: string;
  restartFrom: string;
  mode: string;
  kinds: string[];
  orgIds: string[];
  receiptWorkdays: string;
  requirements: RequirementRow[];
}

export interface AttachmentRow {
  title: string;
  file: string;
  body: string;
}

export const REVIEWER_SLOTS = 3;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v !== '' ? [v] : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
const lines = (v: string): string[] =>
  v
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** What the browser posted, as typed. */
export function formFromBody(body: Record<string, unknown>): DirectiveForm {
  return {
    kind: str(body.kind),
    title: str(body.title),
    addressee: str(body.addressee),
    bodyText: str(body.bodyText),
    signingOrgans: str(body.signingOrgans),
    date: str(body.date),
    attachments: attachmentsFromBody(body),
    extra: str(body.extra),
    text: str(body.text),
    reviewers: list(body.reviewers),
    countersigners: list(body.countersigners),
    signerId: str(body.signerId),
    restartFrom: str(body.restartFrom) || 'START',
    mode: str(body.mode) || 'ALL',
    kinds: list(body.kinds),
    orgIds: list(body.orgIds),
    receiptWorkdays: str(body.receiptWorkdays),
    requirements: rowsFromBody(body),
  };
}

function attachmentsFromBody(body: Record<string, unknown>): AttachmentRow[] {
  const [titles, files, bodies] = [column(body.attTitle), column(body.attFile), column(body.attBody)];
  return titles.map((title, i) => ({ title, file: files[i] ?? '', body: bodies[i] ?? '' }));
}

function parseJson(v: string): unknown {
  try {
    return v ? (JSON.parse(v) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

interface Block {
  type: string;
  level?: number;
  number?: string;
  text?: string;
  runIn?: string;
  items?: string[];
  rows?: string[][];
}

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'];

/** One line per block; headings get back the numbering people type ("一、" "（一）" "1." "（1）"). */
export function bodyToText(body: Block[]): string {
  const counters = [0, 0, 0, 0, 0];
  const out: string[] = [];
  for (const b of body) {
    if (b.type === 'heading' && b.level) {
      counters[b.level] += 1;
      for (let l = b.level + 1; l <= 4; l++) counters[l] = 0;
      const n = b.number ?? (b.level <= 2 ? (CN_NUM[counters[b.level] - 1] ?? String(counters[b.level])) : String(counters[b.level]));
      const mark = b.level === 1 ? `${n}、` : b.level === 2 ? `（${n}）` : b.level === 3 ? `${n}.` : `（${n}）`;
      out.push(`${mark}${b.text ?? ''}${b.runIn ?? ''}`);
    } else if (b.type === 'list') out.push(...(b.items ?? []));
    else if (b.type === 'table') out.push(...(b.rows ?? []).map((r) => r.join('　')));
    else out.push(b.text ?? '');
  }
  return out.join('\n');
}

const SHOWN = ['kind', 'title', 'addressee', 'body', 'signingOrgans', 'date', 'attachments', 'docNumber'];

/** A stored or imported model into the form's fields (the 发文字号 is given at signing, so it is dropped). */
export function modelToForm(
  model: Record<string, unknown>,
): Pick<DirectiveForm, 'kind' | 'title' | 'addressee' | 'bodyText' | 'signingOrgans' | 'date' | 'attachments' | 'extra'> {
  type Attachment = { title: string; file?: unknown; body?: unknown[] };
  const extra = Object.fromEntries(Object.entries(model).filter(([k]) => !SHOWN.includes(k)));
  return {
    kind: str(model.kind),
    title: str(model.title),
    addressee: str(model.addressee),
    bodyText: bodyToText((model.body as Block[] | undefined) ?? []),
    signingOrgans: list(model.signingOrgans).join('\n'),
    date: str(model.date),
    attachments: ((model.attachments as Attachment[] | undefined) ?? []).map((a) => ({
      title: a.title,
      file: a.file ? JSON.stringify(a.file) : '',
      body: a.body?.length ? JSON.stringify(a.body) : '',
    })),
    extra: JSON.stringify(extra),
  };
}

function parseExtra(extra: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(extra || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The form's document fields as a document model (validated later by the service). */
export function formToModel(f: DirectiveForm): Record<string, unknown> {
  // A row without a name or a file is a blank left by the page; one with a file and no name takes the file's.
  const attachments = f.attachments.flatMap((a) => {
    const file = parseJson(a.file) as { name?: string } | undefined;
    const body = parseJson(a.body);
    const title = a.title.trim() || (file?.name ?? '').replace(/\.[^.]+$/, '');
    if (!title && !file) return [];
    return [{ title, ...(file ? { file } : {}), ...(Array.isArray(body) && body.length ? { body } : {}) }];
  });
  const model: Record<string, unknown> = {
    ...parseExtra(f.extra),
    kind: f.kind,
    title: f.title.trim(),
    body: lines(f.bodyText).map((l) => ({ ...parseBodyLine(l) })),
    signingOrgans: lines(f.signingOrgans),
    date: f.date,
  };
  if (f.addressee.trim()) model.addressee = f.addressee.trim();
  if (attachments.length) model.attachments = attachments;
  return model;
}

/** The chain and distribution as the service takes them. */
export function formToSetup(f: DirectiveForm) {
  return {
    chain: {
      reviewers: f.reviewers.filter(Boolean),
      countersigners: f.countersigners.filter(Boolean),
      signerId: f.signerId,
      restartFrom: f.restartFrom as ChainConfig['restartFrom'],
    },
    distribution: {
      mode: f.mode as DistributionConfig['mode'],
      kinds: f.mode === 'KINDS' ? f.kinds : undefined,
      orgIds: f.mode === 'LIST' ? f.orgIds : undefined,
    },
    receiptWorkdays: f.receiptWorkdays === '' ? undefined : Number(f.receiptWorkdays),
    requirements: rowsToRequirements(f.requirements).requirements,
  };
}

/** A saved directive's chain and distribution as form fields. */
export function setupToForm(d: { chain: unknown; distribution: unknown; receiptWorkdays: number }) {
  const chain = d.chain as ChainConfig;
  const dist = d.distribution as DistributionConfig;
  return {
    reviewers: chain.reviewers,
    countersigners: chain.countersigners,
    signerId: chain.signerId,
    restartFrom: chain.restartFrom,
    mode: dist.mode,
    kinds: dist.kinds ?? [],
    orgIds: dist.orgIds ?? [],
    receiptWorkdays: String(d.receiptWorkdays),
  };
}

/** Every field error at once (the document's and the chain's), before anything is saved. */
export function checkForm(f: DirectiveForm): FieldError[] {
  const model = formToModel(f);
  const dto = plainToInstance(CreateDirectiveDto, { model, ...formToSetup(f) });
  const errors = toFieldErrors(validateSync(dto, { whitelist: true }));
  errors.push(...rowsToRequirements(f.requirements).errors);
  const r = validateDocumentModel(model);
  if (!r.ok) errors.push(...r.errors.map((e) => ({ field: `model.${e.field}`, message: e.message })));
  return errors;
}

/** Service field paths (model.body[3].text, chain.reviewers[0]) onto the form field that holds them. */
const FIELD_OF: [RegExp, keyof DirectiveForm][] = [
  [/^model\.title/, 'title'],
  [/^model\.addressee/, 'addressee'],
  [/^model\.body/, 'bodyText'],
  [/^model\.signingOrgans/, 'signingOrgans'],
  [/^model\.date/, 'date'],
  [/^model\.attachments/, 'attachments'],
  [/^model\.kind/, 'kind'],
  [/^text/, 'text'],
  [/^chain\.reviewers/, 'reviewers'],
  [/^chain\.countersigners/, 'countersigners'],
  [/^chain\.signerId/, 'signerId'],
  [/^chain\.restartFrom/, 'restartFrom'],
  [/^chain$/, 'signerId'],
  [/^distribution\.mode/, 'mode'],
  [/^distribution\.kinds/, 'kinds'],
  [/^distribution\.orgIds/, 'orgIds'],
  [/^distribution$/, 'mode'],
  [/^receiptWorkdays/, 'receiptWorkdays'],
  [/^requirements/, 'requirements'],
];

export function formErrors(errors: FieldError[], summary = '请修改标出的内容后再保存'): Record<string, string> {
  const map: Record<string, string> = {};
  const all = errors.map((e) => plainWords(e.message)).join('；');
  for (const e of errors) {
    const key = FIELD_OF.find(([re]) => re.test(e.field))?.[1] ?? '_';
    const message = plainWords(e.message);
    map[key] = map[key] ? `${map[key]}；${message}` : message;
  }
  // On a phone the field is far below: the summary names every problem too.
  map._ = all ? `${summary}：${all}` : summary;
  return map;
}

interface Choice {
  value: string;
  label: string;
}

/** The editor's choices, to name people, branches and kinds in a comparison. */
export interface CompareChoices {
  people: Choice[];
  signers: Choice[];
  branches: Choice[];
  kinds: Choice[];
}

const DISTRIBUTION_MODES: Record<string, string> = { ALL: '全部支部', KINDS: '按类别', LIST: '指定支部' };

/** Each field of the editor as a line of text a person compares (names, not ids). */
function formTexts(f: DirectiveForm, c: CompareChoices): [string, string][] {
  const name = (choices: Choice[], ids: string[]) =>
    ids
      .filter(Boolean)
      .map((v) => choices.find((x) => x.value === v)?.label ?? v)
      .join('、');
  const scope =
    f.mode === 'KINDS'
      ? `按类别：${name(c.kinds, f.kinds)}`
      : f.mode === 'LIST'
        ? `指定支部：${name(c.branches, f.orgIds)}`
        : (DISTRIBUTION_MODES[f.mode] ?? f.mode);
  return [
    ['文种', f.kind],
    ['标题', f.title.trim()],
    ['主送机关', f.addressee.trim()],
    ['正文', lines(f.bodyText).join('\n')],
    [
      '附件',
      f.attachments
        .map((a) => a.title.trim())
        .filter(Boolean)
        .join('\n'),
    ],
    ['署名', lines(f.signingOrgans).join('\n')],
    ['成文日期', f.date],
    ['核稿人', name(c.people, f.reviewers)],
    ['会签人', name(c.people, f.countersigners)],
    ['签发人', name(c.signers, [f.signerId])],
    ['分发范围', scope],
    ['签收期限（工作日）', f.receiptWorkdays],
  ];
}

/** Where the person's form and the version saved elsewhere differ: what the person chooses between after a conflict. */
export function compareForms(mine: DirectiveForm, theirs: DirectiveForm, c: CompareChoices): { label: string; mine: string; theirs: string }[] {
  const a = formTexts(mine, c);
  const b = formTexts(theirs, c);
  return a.map(([label, m], i) => ({ label, mine: m, theirs: b[i][1] })).filter((r) => r.mine !== r.theirs);
}
