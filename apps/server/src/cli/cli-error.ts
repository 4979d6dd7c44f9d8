/** A failure the user caused (bad date, unreadable file): printed without a stack, exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}
