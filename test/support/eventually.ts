/** Polls until `check` returns a value that passes `until` (or a truthy value), like a person refreshing a page. */
export async function eventually<T>(check: () => Promise<T>, until: (v: T) => boolean = (v) => !!v, timeoutMs = 30_000, what = '条件'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (until(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`等待${what}超时（${timeoutMs} ms），最后一次：${JSON.stringify(last)?.slice(0, 500)}`);
}
