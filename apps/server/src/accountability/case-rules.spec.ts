import { WorkingCalendar } from '../calendar/working-calendar';
import { CaseClock, endedReason, executionStep, groupProposals, measureProblem } from './case-rules';
import { decisionDocument, documentKind, who } from './decision-document';

describe('case rules', () => {
  it('counts working days over 春节 2026 and calendar months to the end of the day', () => {
    const clock = new CaseClock(new WorkingCalendar());
    // Fri 13 Feb 2026, 10:00 Shanghai + 2 working days: Sat 14 Feb is a 调休 working day, 15–23 Feb the holiday, Tue 24 Feb 17:30.
    expect(clock.after(new Date('2026-02-13T02:00:00Z'), { workdays: 2 }).toISOString()).toBe('2026-02-24T09:30:00.000Z');
    expect(clock.after(new Date('2026-12-01T02:00:00Z'), { months: 1 }).toISOString()).toBe('2027-01-01T15:59:59.000Z');
    expect(clock.reminderBefore(new Date('2026-02-24T09:30:00Z')).toISOString()).toBe('2026-02-24T01:00:00.000Z');
  });

  it('runs a drill in seconds: a working day a step, a month three', () => {
    const clock = new CaseClock(new WorkingCalendar(), 2);
    const from = new Date('2026-12-01T00:00:00Z');
    expect(clock.after(from, { workdays: 5 }).getTime() - from.getTime()).toBe(10_000);
    expect(clock.after(from, { months: 1 }).getTime() - from.getTime()).toBe(6_000);
  });

  it('fits measures to the target and names the kind of 组织调整', () => {
    expect(measureProblem('诫勉', undefined, true)).toBeNull();
    expect(measureProblem('改组', undefined, true)).toContain('对个人的问责方式只能是');
    expect(measureProblem('诫勉', undefined, false)).toContain('对党组织的问责方式只能是检查、通报、改组');
    expect(measureProblem('组织调整', undefined, true)).toContain('组织调整须选明方式');
    expect(measureProblem('组织调整', '免职', true)).toBeNull();
  });

  it('asks the committee to carry out an adjustment within a month, the person for a written self-criticism', () => {
    expect(executionStep('组织调整', '免职', true)).toEqual({ what: '落实组织调整（免职）并报备', by: 'COMMITTEE', due: { months: 1 } });
    expect(executionStep('通报', null, true)).toMatchObject({ what: '提交书面检查', by: 'TARGET' });
    expect(executionStep('通报', null, false)).toMatchObject({ what: '报送整改报告', by: 'TARGET' });
  });

  it('groups proposals by the person, else the organisation, oldest first', () => {
    const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
    const groups = groupProposals([
      { id: 'c', orgId: 'o1', personId: 'p1', createdAt: at(3) },
      { id: 'a', orgId: 'o1', personId: null, createdAt: at(1) },
      { id: 'b', orgId: 'o1', personId: 'p1', createdAt: at(2) },
    ]);
    expect(groups.map((g) => [g.key, g.proposals.map((p) => p.id)])).toEqual([
      ['org:o1', ['a']],
      ['person:p1', ['b', 'c']],
    ]);
  });

  it('says why a case takes no more steps', () => {
    expect(endedReason({ status: 'DISMISSED', closeReason: '反映不实' })).toBe('该问责案件已撤案（反映不实），不能再办理');
    expect(endedReason({ status: 'CLOSED', closeReason: null })).toBe('该问责案件已结案，不能再办理');
    expect(endedReason({ status: 'EXECUTING', closeReason: null })).toBeNull();
  });
});

describe('the 问责决定书', () => {
  const base = {
    committee: '中共大滩乡委员会',
    concerned: { orgName: '大滩村党支部', personName: '李甲', post: '党支部书记' },
    facts: '逾期未报送年度计划。',
    basis: '《中国共产党问责条例》第七条',
    measures: ['诫勉'],
    meeting: { name: '乡党委第12次委员会会议', heldOn: '2026-12-01' },
    defence: 'GIVEN' as const,
    effectiveOn: '2026-12-02',
    appealBody: '中共大滩乡委员会',
    date: '2026-12-01',
  };

  it('is a 决定 with facts, basis, measure, deciding body, effective date and appeal period and body', () => {
    const m = decisionDocument(base) as { kind: string; title: string; body: { text?: string }[]; signingOrgans: string[] };
    expect(m.kind).toBe('决定');
    expect(m.title).toBe('关于对大滩村党支部党支部书记李甲同志问责的决定');
    const text = m.body.map((b) => b.text ?? '').join('');
    for (const part of [
      '逾期未报送年度计划',
      '第七条',
      '经乡党委第12次委员会会议（2026年12月1日）集体研究',
      '予以诫勉',
      '本决定自2026年12月2日起生效',
      '一个月内，向中共大滩乡委员会提出书面申诉',
      '不停止本决定的执行',
    ])
      expect(text).toContain(part);
    expect(m.signingOrgans).toEqual(['中共大滩乡委员会']);
  });

  it('is a 通报 when every measure is a 通报, and records the grounds of a lighter measure', () => {
    expect(documentKind(['通报'])).toBe('通报');
    expect(documentKind(['通报', '诫勉'])).toBe('决定');
    const m = decisionDocument({ ...base, measures: ['通报'], lighterGrounds: '主动说明问题并积极整改' }) as {
      kind: string;
      title: string;
      body: { text?: string }[];
    };
    expect(m.kind).toBe('通报');
    expect(m.title).toContain('予以通报问责的通报');
    expect(m.body.map((b) => b.text ?? '').join('')).toContain('鉴于主动说明问题并积极整改，依规从轻问责');
    expect(who({ orgName: '大滩村党支部', personName: null, post: null })).toBe('大滩村党支部');
  });
});
