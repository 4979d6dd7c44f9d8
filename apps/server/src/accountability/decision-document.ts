import { dayText } from './case-rules';

/** Who the decision is about, in the words of the document. */
export interface Concerned {
  orgName: string;
  personName: string | null;
  post: string | null;
}

export interface DecisionText {
  committee: string;
  concerned: Concerned;
  facts: string;
  basis: string;
  /** e.g. ['诫勉'], ['组织调整（免职）'] */
  measures: string[];
  meeting: { name: string; heldOn: string };
  /** LIGHTER: the grounds (问责条例 arts. 17–18). */
  lighterGrounds?: string | null;
  /** Whether the person stated their case, and when the period ended. */
  defence: 'GIVEN' | 'NONE';
  effectiveOn: string;
  appealBody: string;
  date: string;
}

/** “张三同志（某村党支部书记）” or “某村党支部”. */
export function who(c: Concerned): string {
  return c.personName ? `${c.orgName}${c.post ?? ''}${c.personName}同志` : c.orgName;
}

/** Only 通报 measures: the document is a 通报; anything else (alone or combined): a 决定. */
export const documentKind = (measures: string[]) => (measures.every((m) => m.startsWith('通报')) ? ('通报' as const) : ('决定' as const));

/**
 * The 问责决定书 (or 通报) as a document model: facts, basis, the measure and the deciding body's meeting, the
 * effective date, and the appeal period and body (问责条例: 申诉 within one month of receipt; the decision stays in force).
 */
export function decisionDocument(t: DecisionText): unknown {
  const kind = documentKind(t.measures);
  const target = who(t.concerned);
  const measureText = t.measures.join('、');
  const body: unknown[] = [
    {
      type: 'paragraph',
      text: `根据《中国共产党问责条例》有关规定，${t.committee}对${target}有关问题进行了调查核实，${t.defence === 'GIVEN' ? '听取了本人的陈述和申辩' : '在规定期限内未收到陈述和申辩'}。现将有关情况和问责决定${kind === '通报' ? '通报' : ''}如下。`,
    },
    { type: 'heading', level: 1, text: '一、基本事实' },
    { type: 'paragraph', text: t.facts },
    { type: 'heading', level: 1, text: '二、问责依据' },
    { type: 'paragraph', text: t.basis },
    { type: 'heading', level: 1, text: '三、问责决定' },
    {
      type: 'paragraph',
      text: `经${t.meeting.name}（${dayText(t.meeting.heldOn)}）集体研究，决定对${target}予以${measureText}。${t.lighterGrounds ? `鉴于${t.lighterGrounds}，依规从轻问责。` : ''}`,
    },
    { type: 'heading', level: 1, text: '四、生效与申诉' },
    {
      type: 'paragraph',
      text: `本决定自${dayText(t.effectiveOn)}起生效。如对本决定不服，可自收到本决定之日起一个月内，向${t.appealBody}提出书面申诉。申诉期间，不停止本决定的执行。`,
    },
  ];
  return {
    kind,
    issuers: [{ name: t.committee, markName: t.committee }],
    title: kind === '通报' ? `关于对${target}予以通报问责的通报` : `关于对${target}问责的决定`,
    addressee: t.concerned.personName ? `${t.concerned.orgName}，${t.concerned.personName}同志：` : `${t.concerned.orgName}：`,
    body,
    signingOrgans: [t.committee],
    date: t.date,
  };
}

/** The document of an appeal answer that changes the measure (变更 / 撤销). */
export function appealDocument(t: {
  committee: string;
  concerned: Concerned;
  original: string;
  outcome: '变更' | '撤销';
  answer: string;
  measures: string[];
  date: string;
}): unknown {
  const target = who(t.concerned);
  const decided = t.outcome === '撤销' ? `撤销${t.original}问责决定。` : `变更${t.original}问责决定，改为对${target}予以${t.measures.join('、')}。`;
  return {
    kind: '决定',
    issuers: [{ name: t.committee, markName: t.committee }],
    title: `关于对${target}问责申诉的复查决定`,
    addressee: t.concerned.personName ? `${t.concerned.orgName}，${t.concerned.personName}同志：` : `${t.concerned.orgName}：`,
    body: [
      { type: 'paragraph', text: `${target}对${t.original}问责决定不服，提出申诉。经复查，${t.answer}` },
      { type: 'paragraph', text: `经${t.committee}研究，决定${decided}本决定自印发之日起生效。` },
    ],
    signingOrgans: [t.committee],
    date: t.date,
  };
}
