/** The Chromium the renderer drives in tests: CHROME_PATH, else Debian's. */
export function chromePath(): string {
  return process.env.CHROME_PATH || '/usr/bin/chromium';
}
