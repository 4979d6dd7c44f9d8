/**
 * Polls until `check` returns a value that passes `until` (or a truthy value), like a person refreshing a page. When
 * it times out, `explain` (if given) adds what the test knows of why: a workflow's pending activities, open tasks.
 */
export async function eventually<T>(
  check: () => Promise<T>,
  until: (v: T) => boolean = (v) => !!v,
  timeoutMs = 30_000,
  what = '条件',
  explain?: () => Promise<unknown>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (until(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  const why = explain ? `；${JSON.stringify(await explain().catch((err: Error) => `（无法说明：${err.message}）`))}` : '';
  throw new Error(`等待${what}超时（${timeoutMs} ms），最后一次：${JSON.stringify(last)?.slice(0, 500)}${why}`);
}
