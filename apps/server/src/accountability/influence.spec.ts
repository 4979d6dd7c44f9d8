import { barsFor, barsOf, covers, describeBar, influenceUntil } from './influence';

describe('influence periods of accountability measures', () => {
  it('bars 评优 for the rest of the year for any measure', () => {
    for (const kind of ['通报', '检查', '改组', '诫勉', '组织调整']) expect(barsFor(kind, '2026-03-02')).toContainEqual({ bar: '评优', until: '2026-12-31' });
    expect(barsFor('移送纪律审查', '2026-03-02')).toEqual([]);
  });

  it('bars the top grade only for 诫勉 and 组织调整 (the review’s rule), promotion for their periods', () => {
    expect(barsFor('通报', '2026-03-02').some((b) => b.bar === '最高等次')).toBe(false);
    expect(barsFor('诫勉', '2026-03-02')).toEqual([
      { bar: '评优', until: '2026-12-31' },
      { bar: '最高等次', until: '2026-12-31' },
      { bar: '提拔', until: '2026-09-01' },
    ]);
    // Seed 000 item 2: five years without promotion or transfer after an adjustment (a setting).
    expect(barsFor('组织调整', '2026-03-02')).toContainEqual({ bar: '调离', until: '2031-03-01' });
    expect(barsFor('组织调整', '2026-03-02', { admonitionPromotionMonths: 6, adjustmentBarYears: 3 })).toContainEqual({ bar: '提拔', until: '2029-03-01' });
    expect(influenceUntil(barsFor('诫勉', '2026-03-02'))).toBe('2026-12-31');
    // Not under 诫勉: one given in the autumn still bars 评优 in next spring, until its six months end.
    expect(barsFor('诫勉', '2025-10-15')).toEqual([
      { bar: '评优', until: '2026-04-14' },
      { bar: '最高等次', until: '2025-12-31' },
      { bar: '提拔', until: '2026-04-14' },
    ]);
    expect(covers({ kind: '诫勉', effectiveOn: '2025-10-15', bars: [] }, '评优', '2026-03-01')).toBe(true);
    expect(covers({ kind: '诫勉', effectiveOn: '2025-10-15', bars: [] }, '评优', '2026-04-15')).toBe(false);
    expect(influenceUntil([])).toBeNull();
  });

  it('derives the bars of a measure recorded before the case lifecycle from its kind', () => {
    const legacy = { kind: '诫勉', effectiveOn: '2026-03-02', bars: [] };
    expect(barsOf(legacy).map((b) => b.bar)).toEqual(['评优', '最高等次', '提拔']);
    expect(covers(legacy, '最高等次', '2026-01-01', '2026-12-31')).toBe(true);
    expect(covers(legacy, '最高等次', '2027-01-01', '2027-12-31')).toBe(false);
    // Not yet in force on the day asked about.
    expect(covers(legacy, '评优', '2026-03-01')).toBe(false);
    expect(covers(legacy, '提拔', '2026-09-01')).toBe(true);
    expect(covers(legacy, '提拔', '2026-09-02')).toBe(false);
  });

  it('says what a measure bars in plain words', () => {
    expect(describeBar({ kind: '组织调整', detail: '免职', effectiveOn: '2026-03-02', bars: [] }, '提拔')).toBe(
      '2026年3月2日受到组织调整（免职），2031年3月1日前不得提拔',
    );
    expect(describeBar({ kind: '诫勉', detail: null, effectiveOn: '2026-03-02', bars: [] })).toBe('2026年3月2日受到诫勉');
  });
});
