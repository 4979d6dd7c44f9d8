import type { Request } from 'express';
import { afterPost, wayBack } from './view-context';

const req = (method: string, query: Record<string, unknown>, body?: Record<string, unknown>) => ({ method, query, body }) as unknown as Request;

describe('the way back of a page, through a form it sends', () => {
  it('reads the address’s from, or a posted form’s: the inbox or 收文, rebuilt', () => {
    expect(wayBack(req('GET', { from: '/inbox?tab=overdue&kind=FILING&x=1' }))).toEqual({ href: '/inbox?tab=overdue&kind=FILING', to: 'inbox' });
    expect(wayBack(req('POST', {}, { from: '/inbox?tab=done' }))).toEqual({ href: '/inbox?tab=done', to: 'inbox' });
    expect(wayBack(req('POST', {}, { from: '/received?q=学习' }))).toEqual({ href: '/received?q=%E5%AD%A6%E4%B9%A0', to: 'received' });
    // A GET never reads a body; nothing else than the inbox or 收文 of this site is a way back.
    expect(wayBack(req('GET', {}, { from: '/inbox' }))).toBeUndefined();
    for (const from of ['https://evil.example/inbox', '//evil.example/inbox', '/admin/orgs', ['/inbox']])
      expect(wayBack(req('POST', {}, { from }))).toBeUndefined();
  });

  it('sends the answer of a form back to the page with its way back, before any #fragment', () => {
    expect(afterPost(req('POST', {}, { from: '/inbox?tab=todo&kind=RECEIPT' }), '/directives/1?done=acknowledged')).toBe(
      '/directives/1?done=acknowledged&from=%2Finbox%3Ftab%3Dtodo%26kind%3DRECEIPT',
    );
    expect(afterPost(req('POST', {}, { from: '/inbox' }), '/accountability/cases/1?done=x#task-2')).toBe(
      '/accountability/cases/1?done=x&from=%2Finbox%3Ftab%3Dtodo#task-2',
    );
    expect(afterPost(req('POST', {}, { from: 'https://evil.example/inbox' }), '/filings/1?done=accepted')).toBe('/filings/1?done=accepted');
  });
});
