import { Role } from '../prisma/client';
import { backToInbox, noticeHref, taskHref, withFrom } from './task-links';

describe('task links', () => {
  it('the way back is only ever /inbox, keeping the tab, category and directive', () => {
    const d = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(backToInbox(`/inbox?tab=done&kind=APPROVAL&directiveId=${d}`)).toBe(`/inbox?tab=done&kind=APPROVAL&directiveId=${d}`);
    expect(backToInbox('/inbox?tab=later&kind=X&after=1_2')).toBe('/inbox?tab=todo');
    for (const bad of [undefined, '', '//evil.example/inbox', 'https://evil.example/inbox', '/inboxes', '/inbox/../admin', '/\\evil.example', ['/inbox']])
      expect(backToInbox(bad)).toBeUndefined();
  });

  it('adds from before the fragment', () => {
    expect(withFrom('/spot-checks/1/inspect#unit-2', '/inbox?tab=todo')).toBe('/spot-checks/1/inspect?from=%2Finbox%3Ftab%3Dtodo#unit-2');
    expect(withFrom('/filings/1', undefined)).toBe('/filings/1');
  });

  it('a notice opens its subject when the reader may, else its task', () => {
    const tasks = new Map([['t1', { id: 't1', kind: 'FILING', subjectId: 'f0', directiveId: 'd', data: {}, filingId: 'f1' }]]);
    expect(noticeHref({ taskId: 't1', subjectType: null, subjectId: null }, tasks, Role.BRANCH_SECRETARY)).toBe('/filings/f1');
    expect(noticeHref({ taskId: null, subjectType: 'review_round', subjectId: 'r' }, tasks, Role.COMMITTEE_STAFF)).toBe('/reviews/r');
    expect(noticeHref({ taskId: null, subjectType: 'review_round', subjectId: 'r' }, tasks, Role.BRANCH_SECRETARY)).toBeUndefined();
    expect(noticeHref({ taskId: null, subjectType: 'commendation_round', subjectId: 'c' }, tasks, Role.EVALUATOR)).toBeUndefined();
    expect(taskHref({ kind: 'FILING', subjectId: 'f0', directiveId: null, data: { review: true }, filingId: null })).toBe('/filings/f0');
  });
});
