/** A browser-like API session over fetch: a cookie jar and the CSRF token, as the UI's scripts use them. */
export class HttpSession {
  private readonly cookies = new Map<string, string>();
  private csrf = '';

  constructor(private readonly baseUrl: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { accept: 'application/json', cookie: this.cookieHeader() };
    if (method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    this.keep(res);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text for the error message
    }
    return { status: res.status, body: parsed };
  }

  /** Like request, but a status other than `expect` is an error naming the call and the answer. */
  async call<T>(method: string, path: string, body?: unknown, expect = method === 'POST' ? [200, 201] : [200]): Promise<T> {
    const res = await this.request(method, path, body);
    if (!expect.includes(res.status)) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as T;
  }

  /** A multipart upload of one file in the field `file` (as the filing page's attachment input sends it). */
  async upload(path: string, file: { name: string; mimeType: string; bytes: Buffer }): Promise<{ status: number; body: unknown }> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.mimeType }), file.name);
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { accept: 'application/json', cookie: this.cookieHeader(), 'x-csrf-token': this.csrf },
      body: form,
    });
    this.keep(res);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed };
  }

  async login(username: string, password: string): Promise<void> {
    this.csrf = (await this.call<{ csrfToken: string }>('GET', '/api/auth/csrf')).csrfToken;
    const res = await this.call<{ csrfToken?: string; current: string | null }>('POST', '/api/auth/login', { username, password }, [200]);
    if (res.csrfToken) this.csrf = res.csrfToken;
    if (!res.current) throw new Error(`${username} 登录后没有自动选定身份`);
  }
}

/** Logs in over fetch and returns the session cookie header (for load generators and browsers given a cookie). */
export async function cookieFor(base: string, username: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken, cookie: header() },
    body: JSON.stringify({ username, password }),
  });
  keep(login);
  if (!login.ok) throw new Error(`${username} 登录失败：${login.status}`);
  return header();
}
