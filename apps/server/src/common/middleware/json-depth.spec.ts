import { jsonDepthExceeds, MAX_JSON_DEPTH } from './http-pipeline.module';

describe('jsonDepthExceeds', () => {
  const nested = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;

  it('lets the deepest body the app takes through, and stops one nested thousands deep without overflowing', () => {
    expect(jsonDepthExceeds({ model: { body: [{ type: 'paragraph', text: 'x' }], attachments: [{ body: [{ text: 'y' }] }] } }, MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(jsonDepthExceeds(nested(200_000), MAX_JSON_DEPTH)).toBe(true);
    expect(jsonDepthExceeds('text', MAX_JSON_DEPTH)).toBe(false);
  });
});
