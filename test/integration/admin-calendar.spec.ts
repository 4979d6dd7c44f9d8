/** The administrators' working calendar page: local days off and working days change what the calendar counts. */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp } from '../support/test-app';

describe('working calendar page', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let admin: ApiSession;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    const committee = await makeCommittee(prisma);
    const person = await makePerson(prisma, [{ orgId: committee.id, role: Role.ADMIN }], '李管理');
    admin = new ApiSession(app);
    expect((await admin.login(person.username, PASSWORD)).status).toBe(200);
  });

  afterAll(async () => {
    await prisma.calendarOverride.deleteMany({ where: { day: { in: [new Date('2028-06-07T00:00:00Z'), new Date('2028-06-10T00:00:00Z')] } } });
    await app.close();
  });

  it('shows the year with national holidays and 调休 working days marked', async () => {
    const page = await admin.get('/admin/calendar?year=2017').set('accept', 'text/html').expect(200);
    // 2017: 端午 makes Saturday 27 May a working day and 28–30 May days off.
    expect(page.text).toMatch(/class="cal-day work makeup" title="2017-05-27 端午调休上班"/);
    expect(page.text).toMatch(/class="cal-day rest holiday" title="2017-05-30 端午放假"/);
    expect(page.text).toContain('2017年共 <strong data-workdays>');
  });

  it('a local day off and a local working day change the working-day count, and deleting restores it', async () => {
    const before = (await admin.get('/api/calendar/add-workdays?from=2028-06-06&n=1').expect(200)).body.result;
    expect(before).toBe('2028-06-07');
    const saved = await admin.post('/admin/calendar', { day: '2028-06-07', kind: 'HOLIDAY', note: '防汛抢险' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/admin/calendar?year=2028&saved=2028-06-07');
    await admin.post('/admin/calendar', { day: '2028-06-10', kind: 'WORKDAY', note: '补班' }).expect(303);
    expect((await admin.get('/api/calendar/add-workdays?from=2028-06-06&n=1').expect(200)).body.result).toBe('2028-06-08');
    expect((await admin.get('/api/calendar/days/2028-06-10').expect(200)).body).toEqual(expect.objectContaining({ workday: true, reason: '本地调整为工作日' }));
    const page = await admin.get('/admin/calendar?year=2028').set('accept', 'text/html').expect(200);
    expect(page.text).toContain('title="2028-06-07 本地休息日：防汛抢险"');
    expect(page.text).toContain('<td data-label="说明">防汛抢险</td>');
    expect(await prisma.auditLog.count({ where: { action: 'calendar.override.set', entityId: '2028-06-07' } })).toBe(1);

    await admin.post('/admin/calendar/2028-06-07/delete').expect(303);
    expect((await admin.get('/api/calendar/add-workdays?from=2028-06-06&n=1').expect(200)).body.result).toBe('2028-06-07');
  });

  it('a bad entry is refused in Chinese, keeps what was typed, and changes nothing', async () => {
    const count = await prisma.calendarOverride.count();
    const res = await admin.post('/admin/calendar', { day: '', kind: 'HOLIDAY', note: '换届选举' }).set('accept', 'text/html');
    expect(res.status).toBe(400);
    expect(res.text).toContain('请选择日期');
    expect(res.text).toContain('value="换届选举"');
    expect(await prisma.calendarOverride.count()).toBe(count);
  });
});
