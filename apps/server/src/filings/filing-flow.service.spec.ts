import { WorkingCalendar } from '../calendar/working-calendar';
import type { CalendarService } from '../calendar/calendar.service';
import type { Directive, Requirement } from '../prisma/client';
import { FilingFlowService } from './filing-flow.service';

// Unit test: the calendar is the real national one; only the service's collaborators are stand-ins.
const calendar = { calendar: async () => new WorkingCalendar() } as unknown as CalendarService;
const unused = undefined as never;
const service = new FilingFlowService(unused, unused, calendar, unused, unused, unused, unused, unused);
const directive = (issuedAt: string) => ({ id: 'not-a-drill', issuedAt: new Date(issuedAt) }) as unknown as Directive;
const requirement = (over: Partial<Requirement>) =>
  ({ deadlineKind: 'WORKDAYS', deadlineWorkdays: 2, deadlineTime: '17:30', deadlineAt: null, ...over }) as Requirement;

describe('filing deadlines (computed in the activity from the calendar)', () => {
  it('counts working days across the 2017 National Day holiday and its make-up Saturday', async () => {
    // Issued Friday 29 September 2017: Saturday 30th is a make-up working day, 1–8 October are off.
    const due = await service.initialDeadline(requirement({ deadlineWorkdays: 2 }), directive('2017-09-29T02:00:00Z'));
    expect(due.toISOString()).toBe('2017-10-09T09:30:00.000Z'); // 17:30 in Shanghai
  });

  it('skips the 2020 Spring Festival as extended', async () => {
    const due = await service.initialDeadline(requirement({ deadlineWorkdays: 1, deadlineTime: '12:00' }), directive('2020-01-23T08:00:00Z'));
    expect(due.toISOString()).toBe('2020-02-03T04:00:00.000Z');
  });

  it('keeps a fixed deadline as given (seed 003: 于1月17日前)', async () => {
    const at = new Date('2018-01-17T09:30:00Z');
    expect(await service.initialDeadline(requirement({ deadlineKind: 'FIXED', deadlineAt: at }), directive('2018-01-05T02:00:00Z'))).toEqual(at);
  });
});
