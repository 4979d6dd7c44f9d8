import 'express-session';

declare module 'express-session' {
  interface SessionData {
    personId?: string;
    membershipId?: string;
    /** Set on the login page so the anonymous session (and its CSRF token) persists. */
    anonymous?: boolean;
  }
}
