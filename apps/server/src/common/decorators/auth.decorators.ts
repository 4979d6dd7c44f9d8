import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../../audit/actor';
import type { Permission } from '../../auth/permissions';

export const IS_PUBLIC = 'auth:public';
export const PERMISSIONS = 'auth:permissions';
export const NO_CAPACITY = 'auth:no-capacity';

/** Reachable without logging in (login page, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/**
 * Only a capacity holding every one of these permissions (auth/permissions.ts) may call it. A method's own
 * @RequirePermission replaces its controller's. Without one any logged-in capacity may (scope still applies).
 */
export const RequirePermission = (...perms: Permission[]) => SetMetadata(PERMISSIONS, perms);
/** Logged in, but no capacity chosen yet is fine (choosing one, logging out). */
export const WithoutCapacity = () => SetMetadata(NO_CAPACITY, true);

export interface AuthedRequest extends Request {
  actor?: Actor;
  personId?: string;
}

/** The capacity the caller acts in. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthedRequest>().actor);
