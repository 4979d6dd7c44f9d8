import type { Role } from '../prisma/client';

/** Who acts, and in which capacity (membership). Carried from the session into every audit record. */
export interface Actor {
  personId: string;
  name: string;
  membershipId: string;
  role: Role;
  orgId: string;
  orgName: string;
}

/** Used by the worker and the CLI for changes made by the system itself. */
export const SYSTEM_ACTOR = null;
