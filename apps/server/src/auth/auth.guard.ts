import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { AuthedRequest, IS_PUBLIC, NO_CAPACITY, PERMISSIONS } from '../common/decorators/auth.decorators';
import { AuthService } from './auth.service';
import { hasEveryPermission, Permission } from './permissions';
import './session.types';

/** Global guard: every route needs a logged-in person acting in a chosen capacity, unless marked otherwise. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const personId = req.session?.personId;
    if (!personId) throw new DomainError(ErrorCode.UNAUTHENTICATED, '请先登录');

    const resolved = await this.auth.actorFor(personId, req.session.membershipId);
    const person = resolved.person;
    let actor = resolved.actor;
    if (!person?.active) {
      req.session.personId = undefined;
      throw new DomainError(ErrorCode.UNAUTHENTICATED, '账号已停用或登录已失效，请重新登录');
    }
    if (!actor && !req.session.membershipId) {
      // With a single capacity there is nothing to choose.
      const caps = await this.auth.capacities(personId);
      if (caps.length === 1) {
        req.session.membershipId = caps[0].membershipId;
        ({ actor } = await this.auth.actorFor(personId, caps[0].membershipId));
      }
    }
    req.personId = personId;
    req.actor = actor ?? undefined;
    if (this.reflector.getAllAndOverride<boolean>(NO_CAPACITY, targets)) return true;
    if (!actor) throw new DomainError(ErrorCode.CAPACITY_REQUIRED, '请先选择以何种身份办理（/capacity）');

    const required = this.reflector.getAllAndOverride<Permission[] | undefined>(PERMISSIONS, targets);
    if (required && !hasEveryPermission(actor.role, required)) throw DomainError.forbidden();
    return true;
  }
}
