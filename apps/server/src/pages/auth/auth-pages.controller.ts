import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Response } from 'express';
import { AuthService } from '../../auth/auth.service';
import { LoginThrottlerGuard } from '../../auth/login-throttler.guard';
import { ChooseCapacityDto, LoginDto } from '../../auth/dto/login.dto';
import { SessionFlow } from '../../auth/session-flow';
import { AuthedRequest, Public, WithoutCapacity } from '../../common/decorators/auth.decorators';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { errorMap } from '../form';
import { viewContext } from '../view-context';

/** Only same-site paths may follow a login (no open redirect). */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[\w\-/?=&%.]*$/.test(next) ? next : '/inbox';
}

@ApiExcludeController()
@Controller()
export class AuthPagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly flow: SessionFlow,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  @Public()
  @Get()
  home(@Res() res: Response) {
    res.redirect(303, '/inbox');
  }

  @Public()
  @Get('login')
  async loginPage(@Req() req: AuthedRequest, @Res() res: Response, @Query('next') next?: string) {
    res.render('auth/login', { ...(await viewContext(req, res, this.csrf, { title: '登录' })), next: safeNext(next) });
  }

  @Public()
  @UseGuards(LoginThrottlerGuard)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @Post('login')
  async login(@Body() dto: LoginDto, @Req() req: AuthedRequest, @Res() res: Response) {
    try {
      const { personId } = await this.auth.verifyLogin(dto.username, dto.password, req.ip ?? '');
      const capacities = await this.flow.startSession(req, personId);
      const next = safeNext(dto.next);
      res.redirect(303, capacities.length === 1 ? next : `/capacity?next=${encodeURIComponent(next)}`);
    } catch (err) {
      res.status(401).render('auth/login', {
        ...(await viewContext(req, res, this.csrf, { title: '登录' })),
        errors: errorMap(err),
        username: dto.username,
        next: safeNext(dto.next),
      });
    }
  }

  @WithoutCapacity()
  @Get('capacity')
  async capacityPage(@Req() req: AuthedRequest, @Res() res: Response, @Query('next') next?: string) {
    const capacities = await this.auth.capacities(req.personId as string);
    res.render('auth/capacity', {
      ...(await viewContext(req, res, this.csrf, { title: '选择身份' })),
      capacities: capacities.map((c) => ({ ...c, current: c.membershipId === req.session.membershipId })),
      next: safeNext(next),
      none: capacities.length === 0,
    });
  }

  @WithoutCapacity()
  @Post('capacity')
  async choose(@Body() dto: ChooseCapacityDto, @Req() req: AuthedRequest, @Res() res: Response) {
    await this.flow.chooseCapacity(req, dto.membershipId);
    res.redirect(303, safeNext(dto.next));
  }

  @WithoutCapacity()
  @Post('logout')
  async logout(@Req() req: AuthedRequest, @Res() res: Response) {
    await this.flow.endSession(req, res);
    res.redirect(303, '/login');
  }
}
