import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { today } from '../../accountability/case-rules';
import { CasesService } from '../../accountability/cases.service';
import { DecisionsService } from '../../accountability/decisions.service';
import type { Actor } from '../../audit/actor';
import { hasPermission, permissions } from '../../auth/permissions';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';
import { DomainError, type FieldError } from '../../common/errors/domain-error';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { uuidParam } from '../../common/validation/uuid-param';
import { PrismaService } from '../../prisma/prisma.service';
import { afterPost, viewContext } from '../view-context';
import { statusOf } from '../form';
import {
  answerForm,
  askDefenceForm,
  decisionForm,
  defenceForm,
  fieldMap,
  findingForm,
  formValues,
  fromProposalsForm,
  investigationForm,
  noteForm,
  openCaseForm,
  reasonForm,
  talkForm,
  type FormValues,
} from './accountability-form';
import { AccountabilityFormOptions } from './accountability-options';
import { caseView, listView, openFormView, type FormState } from './accountability-view';

const id = uuidParam('问责案件');
const taskId = uuidParam('问责待办');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The service names the target's fields after the API's; the form has one 问责对象 choice. */
const FIELD_OF: Record<string, string> = { orgId: 'target', personId: 'target' };
const placed = (fields: FieldError[]) => fields.map((f) => ({ ...f, field: FIELD_OF[f.field] ?? f.field }));

const DONE: Record<string, string> = {
  opened: '已立案。',
  talk: '谈话已记录；承诺事项已作为待办发给对方支部。',
  concluded: '已以谈话方式了结：承诺事项办结后自动结案。',
  team: '调查组已组成。',
  finding: '调查事实已记录。',
  asked: '已告知陈述申辩，对方支部的待办里已有“陈述申辩”。',
  defence: '陈述申辩已提交，将提交党委集体研究。',
  decided: '已作出决定。',
  dismissed: '已撤案。',
  appeal: '申诉已提出。申诉期间不停止原决定的执行，党委将在一个月内答复。',
  answered: '申诉已答复。',
  acknowledged: '已签收。',
  completed: '已报送办理情况。',
  carried: '已记录办理情况。',
};

/**
 * 问责 (lifecycle 6) pages: the committee's proposals (grouped by target) and cases, and the case page where each
 * step's form is shown to whoever may take it — 党建办 opens and prepares, the team records findings, the party
 * secretary decides and answers appeals; the branch concerned (on a phone, from its inbox) states its case, signs for
 * the decision, appeals and reports what the measure asks of it. Every form posts without JavaScript.
 */
@ApiExcludeController()
@Controller('accountability')
export class AccountabilityPagesController {
  constructor(
    private readonly cases: CasesService,
    private readonly decisions: DecisionsService,
    private readonly options: AccountabilityFormOptions,
    private readonly prisma: PrismaService,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  @Get()
  @RequirePermission('accountability.read')
  async list(@Req() req: AuthedRequest, @Res() res: Response) {
    await this.renderList(req, res, {});
  }

  /** 立案 from the proposals ticked in one group (one target). */
  @Post('cases/from-proposals')
  @RequirePermission('accountability.manage')
  async openFromProposals(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const values = formValues(body, ['proposalIds']);
    const key = typeof values.group === 'string' ? values.group : '';
    const { dto, errors } = fromProposalsForm(values);
    if (errors.length) return this.renderList(req, res, { group: { key, values, errors: fieldMap(errors, '请先勾选要合并立案的问责建议') } }, 400);
    try {
      const c = await this.cases.openFromProposals(req.actor as Actor, dto);
      res.redirect(303, `/accountability/cases/${c.id}?done=opened`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.renderList(req, res, { group: { key, values, errors: fieldMap(placed(err.fields), err.message) } }, statusOf(err));
    }
  }

  /** 人工立案: the target, the 案由 and the evidence. */
  @Post('cases')
  @RequirePermission('accountability.manage')
  async open(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const values = formValues(body);
    const { dto, errors } = openCaseForm(values);
    if (errors.length) return this.renderList(req, res, { open: { values, errors: fieldMap(errors, '立案信息不完整，请按提示修改') } }, 400);
    try {
      const c = await this.cases.openManual(req.actor as Actor, dto);
      res.redirect(303, `/accountability/cases/${c.id}?done=opened`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.renderList(req, res, { open: { values, errors: fieldMap(placed(err.fields), err.message) } }, statusOf(err));
    }
  }

  /** The case: the committee and the team see it all; the branch concerned its own side. The service decides who may open it. */
  @Get('cases/:id')
  async detail(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) caseId: string) {
    await this.renderCase(req, res, caseId, {});
  }

  @Post('cases/:id/talks')
  @RequirePermission('accountability.manage')
  async talk(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) caseId: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body, ['talkerIds', 'commitmentText', 'commitmentWorkdays']);
    await this.step(req, res, caseId, 'talk', values, talkForm(values), (dto) => this.cases.recordTalk(req.actor as Actor, caseId, dto), 'talk');
  }

  @Post('cases/:id/conclude')
  @RequirePermission('accountability.manage')
  async conclude(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) caseId: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body);
    await this.step(
      req,
      res,
      caseId,
      'conclude',
      values,
      reasonForm(values),
      (dto) => this.cases.concludeWithTalk(req.actor as Actor, caseId, dto.reason),
      'concluded',
    );
  }

  @Post('cases/:id/investigation')
  @RequirePermission('accountability.manage')
  async investigation(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) caseId: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body, ['investigatorIds']);
    await this.step(
      req,
      res,
      caseId,
      'investigation',
      values,
      investigationForm(values),
      (dto) => this.cases.startInvestigation(req.actor as Actor, caseId, dto),
      'team',
    );
  }

  @Post('cases/:id/findings')
  @RequirePermission('accountability.investigate')
  async finding(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) caseId: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body);
    await this.step(req, res, caseId, 'finding', values, findingForm(values), (dto) => this.cases.addFinding(req.actor as Actor, caseId, dto), 'finding');
  }

  @Post('cases/:id/defence/ask')
  @RequirePermission('accountability.manage')
  async askDefence(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) caseId: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body);
    await this.step(req, res, caseId, 'askDefence', values, askDefenceForm(values), (dto) => this.cases.askDefence(req.actor as Actor, caseId, dto), 'asked');
  }

  /** 陈述申辩 by the person concerned. */
  @Post('cases/:id/defence')
  @RequirePermission('accountability.respond')
  async defence(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) caseId: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body);
    await this.step(req, res, caseId, 'defence', values, defenceForm(values), (dto) => this.cases.submitDefence(req.actor as Actor, caseId, dto), 'defence');
  }

  /** 集体决定, signed by the party secretary: the 问责决定书 is numbered, issued and served. */
  @Post('cases/:id/decision')
  @RequirePermission('accountability.decide')
  async decide(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) caseId: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body, ['measures']);
    await this.step(req, res, caseId, 'decision', values, decisionForm(values), (dto) => this.decisions.decide(req.actor as Actor, caseId, dto), 'decided');
  }

  @Post('cases/:id/dismiss')
  @RequirePermission('accountability.manage')
  async dismiss(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) caseId: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body);
    await this.step(req, res, caseId, 'dismiss', values, reasonForm(values), (dto) => this.cases.dismiss(req.actor as Actor, caseId, dto.reason), 'dismissed');
  }

  /** 申诉 within one month of service. */
  @Post('cases/:id/appeal')
  @RequirePermission('accountability.respond')
  async appeal(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) caseId: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body);
    await this.step(
      req,
      res,
      caseId,
      'appeal',
      values,
      reasonForm(values),
      (dto) => this.decisions.fileAppeal(req.actor as Actor, caseId, dto.reason),
      'appeal',
    );
  }

  @Post('cases/:id/appeal/answer')
  @RequirePermission('accountability.decide')
  async answer(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) caseId: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body, ['measures']);
    await this.step(req, res, caseId, 'answer', values, answerForm(values), (dto) => this.decisions.answerAppeal(req.actor as Actor, caseId, dto), 'answered');
  }

  /** The case officer's side of execution (组织调整 carried out, 诫勉谈话 held). */
  @Post('tasks/:taskId/carry-out')
  @RequirePermission('accountability.manage')
  async carryOut(@Req() req: AuthedRequest, @Res() res: Response, @Param('taskId', taskId) task: string, @Body() body: Record<string, unknown>) {
    await this.taskStep(req, res, task, body, true, (note) => this.decisions.completeTask(req.actor as Actor, task, note, 'COMMITTEE'), 'carried');
  }

  /** 签收 of the decision. */
  @Post('tasks/:taskId/acknowledge')
  @RequirePermission('accountability.respond')
  async acknowledge(@Req() req: AuthedRequest, @Res() res: Response, @Param('taskId', taskId) task: string, @Body() body: Record<string, unknown>) {
    await this.taskStep(req, res, task, body, false, () => this.decisions.acknowledge(req.actor as Actor, task), 'acknowledged');
  }

  /** The branch's side: 书面检查, 整改报告, a talk's commitment. */
  @Post('tasks/:taskId/complete')
  @RequirePermission('accountability.respond')
  async complete(@Req() req: AuthedRequest, @Res() res: Response, @Param('taskId', taskId) task: string, @Body() body: Record<string, unknown>) {
    await this.taskStep(req, res, task, body, true, (note) => this.decisions.completeTask(req.actor as Actor, task, note, 'CONCERNED'), 'completed');
  }

  // ---- shared ----

  /** One step of a case: the form checked, the service called; back to the case, or the case again with the form as typed. */
  private async step<T>(
    req: AuthedRequest,
    res: Response,
    caseId: string,
    form: string,
    values: FormValues,
    checked: { dto: T; errors: FieldError[] },
    run: (dto: T) => Promise<unknown>,
    done: string,
  ) {
    if (checked.errors.length)
      return this.renderCase(
        req,
        res,
        caseId,
        { form, values, errors: fieldMap(checked.errors, `请按提示修改后再提交：${checked.errors.map((e) => e.message).join('；')}`) },
        400,
      );
    try {
      await run(checked.dto);
      res.redirect(303, afterPost(req, `/accountability/cases/${caseId}?done=${done}`));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.renderCase(req, res, caseId, { form, values, errors: fieldMap(placed(err.fields), err.message) }, statusOf(err));
    }
  }

  /** A task of a case (签收, 办理情况): back to its case, at the task. */
  private async taskStep(
    req: AuthedRequest,
    res: Response,
    task: string,
    body: Record<string, unknown>,
    withNote: boolean,
    run: (note: string) => Promise<unknown>,
    done: string,
  ) {
    const actor = req.actor as Actor;
    const values = formValues(body);
    const hinted = typeof values.caseId === 'string' && UUID.test(values.caseId) ? values.caseId : undefined;
    const caseId = (await this.options.caseOfTask(actor, task)) ?? hinted;
    const form = `task:${task}`;
    const back = (state: FormState, status: number) => (caseId ? this.renderCase(req, res, caseId, state, status) : res.redirect(303, '/inbox'));
    const checked = withNote ? noteForm(values) : { dto: { note: '' }, errors: [] };
    if (checked.errors.length) return back({ form, values, errors: fieldMap(checked.errors, '请填写办理情况') }, 400);
    try {
      await run(checked.dto.note);
      res.redirect(303, caseId ? afterPost(req, `/accountability/cases/${caseId}?done=${done}#task-${task}`) : '/inbox');
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await back({ form, values, errors: fieldMap(placed(err.fields), err.message) }, statusOf(err));
    }
  }

  private async renderList(
    req: AuthedRequest,
    res: Response,
    o: { group?: { key: string; values: FormValues; errors: Record<string, string> }; open?: { values: FormValues; errors: Record<string, string> } },
    status = 200,
  ) {
    const actor = req.actor as Actor;
    const manage = hasPermission(actor.role, permissions.accountabilityManage);
    const [groups, cases, targets] = await Promise.all([this.cases.proposals(actor), this.cases.list(actor), manage ? this.options.targets(actor) : []]);
    res.status(status).render('accountability/list', {
      ...(await viewContext(req, res, this.csrf, { title: '问责' })),
      ...listView(groups, cases, { manage, failed: o.group }),
      open: openFormView(targets, o.open?.values ?? {}, o.open?.errors ?? {}),
      openFailed: !!o.open,
      error: o.group && !groups.some((g) => g.key === o.group?.key) ? o.group.errors._ : undefined,
    });
  }

  private async renderCase(req: AuthedRequest, res: Response, caseId: string, state: FormState, status = 200) {
    const actor = req.actor as Actor;
    const d = await this.cases.detail(actor, caseId);
    const committee = await this.prisma.organization.findUnique({ where: { id: d.orgId }, select: { name: true } });
    const people = hasPermission(actor.role, permissions.accountabilityManage) ? await this.options.committeePeople(actor) : [];
    const names = await this.options.names([
      ...d.investigatorIds,
      ...d.talks.flatMap((t) => t.talkerIds),
      ...d.findings.map((f) => f.authorId),
      d.defenceById ?? '',
      d.decidedById ?? '',
      d.appeal?.filedById ?? '',
    ]);
    const done = status === 200 && typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    // What the branch reads of its own case is not kept by a shared cache.
    res.set('Cache-Control', 'private, no-store');
    res.status(status).render('accountability/case', {
      ...(await viewContext(req, res, this.csrf, { title: `问责案件 ${d.number}` })),
      ...caseView(d, actor, { names, people, state, today: today(), committeeName: committee?.name ?? '' }),
      done,
      error: state.errors?._,
      failedForm: state.form,
    });
  }
}
