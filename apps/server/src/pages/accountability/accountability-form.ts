import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  AppealAnswerDto,
  AskDefenceDto,
  DecisionDto,
  DefenceDto,
  FindingDto,
  InvestigationDto,
  NoteDto,
  OpenCaseDto,
  OpenFromProposalsDto,
  ReasonDto,
  TalkDto,
} from '../../accountability/dto/accountability.dto';
import type { FieldError } from '../../common/errors/domain-error';
import { toFieldErrors } from '../../common/validation/messages';

/** What the browser sent for one form: text fields as typed, checkbox groups as lists. */
export type FormValues = Record<string, string | string[]>;

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);
const trimmed = (v: unknown): string | undefined => str(v).trim() || undefined;

/** The body of an HTML form, less the CSRF token: a value per field, repeated fields as lists. */
export function formValues(body: Record<string, unknown>, lists: string[] = []): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries(body ?? {})) {
    if (k === '_csrf') continue;
    out[k] = lists.includes(k) ? list(v) : str(v);
  }
  for (const k of lists) out[k] ??= [];
  return out;
}

function check<T extends object>(cls: ClassConstructor<T>, plain: Record<string, unknown>, fields: Record<string, string> = {}) {
  const dto = plainToInstance(cls, plain);
  const errors = toFieldErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: false }));
  // Nested DTO paths (meeting.name, measures[0].kind, commitments[1].text) named after the form's own fields.
  const named = errors.map((e) => ({ ...e, field: Object.entries(fields).find(([p]) => e.field.startsWith(p))?.[1] ?? e.field }));
  return { dto, errors: named };
}

const int = (v: unknown): number | undefined => {
  const s = str(v).trim();
  return s === '' ? undefined : /^-?\d+$/.test(s) ? Number(s) : (s as unknown as number);
};

/** A 问责对象 choice (`org:<id>` or `person:<orgId>:<personId>`) with the case's title and one piece of evidence. */
export function openCaseForm(v: FormValues) {
  const [kind, orgId, personId] = str(v.target).split(':');
  const plain = {
    orgId: kind === 'org' || kind === 'person' ? orgId : undefined,
    personId: kind === 'person' ? personId : undefined,
    title: trimmed(v.title),
    evidence: trimmed(v.evidenceTitle) || trimmed(v.evidenceNote) ? [{ title: trimmed(v.evidenceTitle), note: trimmed(v.evidenceNote) }] : [],
  };
  const r = check(OpenCaseDto, plain, { orgId: 'target', personId: 'target', 'evidence[0].title': 'evidenceTitle', 'evidence[0].note': 'evidenceNote' });
  if (!plain.orgId) r.errors = [{ field: 'target', message: '请选择问责对象' }, ...r.errors.filter((e) => e.field !== 'target')];
  return r;
}

export const fromProposalsForm = (v: FormValues) =>
  check(OpenFromProposalsDto, { proposalIds: list(v.proposalIds), title: trimmed(v.title) }, { proposalIds: 'proposalIds' });

/** `2026-12-01T09:30` from a datetime-local field, as an instant in Shanghai. */
const shanghaiInstant = (s: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(s) ? `${s}:00+08:00` : s);

/** Up to three commitments, each a line of text and a number of working days; blank lines are left out. */
export const COMMITMENT_ROWS = 3;

export function talkForm(v: FormValues) {
  const texts = list(v.commitmentText);
  const days = list(v.commitmentWorkdays);
  const commitments = texts
    .map((text, i) => ({ text: text.trim(), workdays: int(days[i]) }))
    .filter((c) => c.text || c.workdays !== undefined)
    .map((c) => ({ text: c.text, workdays: c.workdays ?? (undefined as unknown as number) }));
  const r = check(
    TalkDto,
    {
      kind: trimmed(v.kind),
      heldAt: trimmed(v.heldAt) ? shanghaiInstant(str(v.heldAt).trim()) : undefined,
      talkerIds: list(v.talkerIds),
      minutes: trimmed(v.minutes),
      commitments,
    },
    { commitments: 'commitments', talkerIds: 'talkerIds', heldAt: 'heldAt' },
  );
  if (commitments.some((c) => c.workdays === undefined)) r.errors.push({ field: 'commitments', message: '每项承诺事项都要填写几个工作日内完成' });
  return r;
}

export const reasonForm = (v: FormValues) => check(ReasonDto, { reason: trimmed(v.reason) });
export const investigationForm = (v: FormValues) =>
  check(InvestigationDto, { investigatorIds: list(v.investigatorIds) }, { investigatorIds: 'investigatorIds' });
export const findingForm = (v: FormValues) => check(FindingDto, { text: trimmed(v.text) });
export const askDefenceForm = (v: FormValues) => check(AskDefenceDto, { workdays: int(v.workdays) });
export const defenceForm = (v: FormValues) => check(DefenceDto, { statement: trimmed(v.statement) });
export const noteForm = (v: FormValues) => check(NoteDto, { note: trimmed(v.note) });

/** The measures ticked, 组织调整 with its kind. */
const measuresOf = (v: FormValues) => list(v.measures).map((kind) => (kind === '组织调整' ? { kind, detail: trimmed(v.adjustment) } : { kind }));

/** The collective decision: the meeting, the outcome, the measures, the facts and basis for the 决定书. */
export function decisionForm(v: FormValues) {
  const attendees = str(v.attendees)
    .split(/[\n,，、;；]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const outcome = trimmed(v.outcome);
  return check(
    DecisionDto,
    {
      meeting: { name: trimmed(v.meetingName), heldOn: trimmed(v.heldOn), attendees: attendees.length ? attendees : undefined, dissent: trimmed(v.dissent) },
      outcome,
      grounds: trimmed(v.grounds),
      measures: outcome === 'NONE' && !list(v.measures).length ? undefined : measuresOf(v),
      facts: trimmed(v.facts),
      basis: trimmed(v.basis),
      effectiveOn: trimmed(v.effectiveOn),
      appealBody: trimmed(v.appealBody),
    },
    {
      'meeting.name': 'meetingName',
      'meeting.heldOn': 'heldOn',
      'meeting.attendees': 'attendees',
      'meeting.dissent': 'dissent',
      meeting: 'meetingName',
      measures: 'measures',
    },
  );
}

export function answerForm(v: FormValues) {
  const outcome = trimmed(v.outcome);
  return check(
    AppealAnswerDto,
    { outcome, answer: trimmed(v.answer), measures: outcome === '变更' ? measuresOf(v) : list(v.measures).length ? measuresOf(v) : undefined },
    { measures: 'measures' },
  );
}

/** Field errors keyed by the form's fields; the first message of a field wins, the rest are joined. */
export function fieldMap(errors: FieldError[], message?: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const f of errors) map[f.field] = map[f.field] ? `${map[f.field]}；${f.message}` : f.message;
  if (message) map._ = message;
  return map;
}
