import 'express-session';

declare module 'express-session' {
  interface SessionData {
    personId?: string;
    membershipId?: string;
  }
}
