import { isDateTime } from './date-time';

describe('isDateTime', () => {
  it.each(['2030-01-15', '2030-01-15T17:30', '2030-01-15T17:30:00Z', '2030-01-15T17:30:00.123+08:00', '2030-01-15 09:00:00+0800', '2028-02-29'])(
    'accepts %s',
    (v) => expect(isDateTime(v)).toBe(true),
  );

  // IsISO8601 accepts all of these; new Date() then gives Invalid Date or another day.
  it.each([
    '2030-W01',
    '2030-W01-1',
    '2030-001',
    '2030-365',
    '2030',
    '2030-01',
    '20300115',
    '2030-01-15T10',
    '2030-02-30',
    '2029-02-29',
    '2030-01-15T24:00:00Z',
    '2030-01-15T10:00:00,5Z',
    '2030-01-15T10:00:00+08',
    '',
  ])('refuses %s', (v) => expect(isDateTime(v)).toBe(false));

  it('refuses what is not text', () => expect([undefined, null, 20300115, new Date()].some(isDateTime)).toBe(false));
});
