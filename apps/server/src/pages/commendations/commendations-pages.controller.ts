import { Body, Controller, Get, Inject, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import type { Actor } from '../../audit/actor';
import { hasPermission, permissions } from '../../auth/permissions';
import { ZONE } from '../../calendar/working-calendar';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';
import { DomainError, type FieldError } from '../../common/errors/domain-error';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { uuidParam } from '../../common/validation/uuid-param';
import { CommendationNoticeService } from '../../commendations/commendation-notice.service';
import { CommendationsService, todayInShanghai } from '../../commendations/commendations.service';
import { cnDate } from '../../commendations/notice-period';
import { FilesService, type FileRef } from '../../files/files.service';
import { MAX_PAGE_FILES, PageFilesInterceptor, type ReceivedFile } from '../../files/upload-interceptor';
import { liveToken, sendLiveState } from '../directives/live-state';
import { errorMap, statusOf } from '../form';
import { viewContext } from '../view-context';
import {
  approvalForm,
  decisionForm,
  fieldMap,
  formValues,
  newRoundForm,
  nominationForm,
  rankingForm,
  recordObjectionForm,
  resolveForm,
  roundFormFromBody,
  roundFormToDto,
  type RoundForm,
  type Values,
} from './commendations-form';
import { detailView, listView, roundFormView, type FormState } from './commendations-view';

const id = uuidParam('评选表扬');
const objectionId = uuidParam('异议');
const text = (v: unknown) => (typeof v === 'string' ? v : '');
/** The service names the nominee's fields after the API's; the form has one 被推荐对象 choice. */
const FIELD_OF: Record<string, string> = { orgId: 'target', personId: 'target' };
const placed = (fields: FieldError[]) => fields.map((f) => ({ ...f, field: f.field.startsWith('files[') ? 'files' : (FIELD_OF[f.field] ?? f.field) }));

type UploadRequest = AuthedRequest & { receivedFiles?: ReceivedFile[]; uploadRefusal?: unknown };
const SHA256 = /^[0-9a-f]{64}$/;

/** The evidence a refused send had already stored, carried back by the form as JSON (`keptFiles`), each checked for shape. */
function keptRefs(v: unknown): FileRef[] {
  const raw = Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : [];
  const refs: FileRef[] = [];
  for (const x of raw) {
    try {
      const r = JSON.parse(String(x)) as Partial<FileRef>;
      if (typeof r.name === 'string' && typeof r.mimeType === 'string' && typeof r.size === 'number' && typeof r.sha256 === 'string' && SHA256.test(r.sha256))
        refs.push({ name: r.name.slice(0, 200), mimeType: r.mimeType, size: r.size, sha256: r.sha256 });
    } catch {
      // A value that is not a reference is left out: the file is simply not kept.
    }
  }
  return refs;
}

interface NoticeForm {
  roundId: string;
  nomineeId: string;
  text: string;
  files: FileRef[];
}

const DONE: Record<string, string> = {
  created: '已保存。核对评选类别和名额后点“启动推荐”。',
  started: '已启动：各支部已收到推荐通知，推荐截止后自动进入审定。',
  nominated: '推荐已提交。',
  ranked: '排序已保存。',
  approved: '党委审定结果已记录。',
  noticed: '公示已发布。',
  recorded: '异议已登记，请核查后记录核查结论。',
  resolved: '异议已处理，处理结果已通过系统告知异议人。',
  resolvedTell: '异议已处理。异议人没有系统账号：请按登记的联系方式告知处理结果，告知后点“已告知异议人”。',
  told: '已记录：处理结果已告知异议人。',
  decided: '表扬文件已签发。',
  replaced: '决定前复核发现拟表扬对象不符合条件，已由下一名符合条件的人选递补并发布公示；递补公示期满后再签发。',
};

/**
 * 评选表扬 (lifecycle 5) pages: the committee's rounds, the set-up form, and the round page where each step's form
 * shows only to whoever may take it — 党建办 starts the round, ranks, publishes the 公示 and resolves objections; the
 * party secretary records the committee's approval and signs the decision; a branch nominates its own people or
 * itself. The 公示 page is open to every logged-in user, with a real-name objection form while a notice runs. Every
 * form posts without JavaScript; a refusal re-renders the page with what was typed and the reason beside the field.
 */
@ApiExcludeController()
@Controller('commendations')
export class CommendationsPagesController {
  constructor(
    private readonly rounds: CommendationsService,
    private readonly notices: CommendationNoticeService,
    private readonly files: FilesService,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  /**
   * 证据材料 sent with an objection form (multipart, without JavaScript): those kept from a refused send and those
   * chosen now, each stored as any attachment is — checked by its content, within the day's quotas — so the objection
   * only carries references (marked attached when it is saved). A refused file is said in words; those stored stay kept.
   */
  private async evidence(req: UploadRequest, body: Record<string, unknown>): Promise<{ refs: FileRef[]; error?: string }> {
    const refs = keptRefs(body.keptFiles);
    const problem = (err: unknown) => {
      const m = errorMap(err);
      return m.file ?? m.files ?? m._;
    };
    if (req.uploadRefusal) return { refs, error: problem(req.uploadRefusal) };
    const chosen = req.receivedFiles ?? [];
    if (refs.length + chosen.length > MAX_PAGE_FILES) return { refs, error: `证据材料最多 ${MAX_PAGE_FILES} 个文件` };
    for (const f of chosen) {
      try {
        refs.push(await this.files.store(req.actor as Actor, f));
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        return { refs, error: problem(err) };
      }
    }
    return { refs };
  }

  @Get()
  @RequirePermission('commendation.read')
  async list(@Req() req: AuthedRequest, @Res() res: Response) {
    const actor = req.actor as Actor;
    res.render('commendations/list', {
      ...(await viewContext(req, res, this.csrf, { title: '评选表扬' })),
      canCreate: hasPermission(actor.role, permissions.commendationManage),
      rounds: listView(await this.rounds.list(actor)),
    });
  }

  @Get('new')
  @RequirePermission('commendation.manage')
  async newForm(@Req() req: AuthedRequest, @Res() res: Response) {
    await this.renderForm(req, res, newRoundForm(DateTime.now().setZone(ZONE).year), {});
  }

  @Post('new')
  @RequirePermission('commendation.manage')
  async create(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const form = roundFormFromBody(body);
    const { dto, errors } = roundFormToDto(form);
    if (errors.length) return this.renderForm(req, res, form, fieldMap(errors, '评选设置需要修改，请按提示修改后再保存'), 400);
    try {
      const round = await this.rounds.create(req.actor as Actor, dto);
      res.redirect(303, `/commendations/${round.id}?done=created`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.renderForm(req, res, form, fieldMap(err.fields, err.message), statusOf(err));
    }
  }

  @Get('notices')
  @RequirePermission('commendation.object')
  async noticesPage(@Req() req: AuthedRequest, @Res() res: Response) {
    await this.renderNotices(req, res, { done: req.query.done === 'objected' });
  }

  /** 提出异议: in the name of the person logged in, with evidence files; refused in plain words when late or not in notice. */
  @Post('notices/objection')
  @RequirePermission('commendation.object')
  @UseInterceptors(PageFilesInterceptor)
  async object(@Req() req: UploadRequest, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const form: NoticeForm = { roundId: text(body.roundId), nomineeId: text(body.nomineeId), text: text(body.text).trim(), files: [] };
    const errors: Record<string, string> = {};
    if (!form.nomineeId) errors.nomineeId = '请选择对哪一位拟表扬对象提出异议';
    if (!form.text) errors.text = '请填写异议内容';
    if (form.text.length > 2000) errors.text = '异议内容不能超过 2000 个字符';
    if (!/^[0-9a-f-]{36}$/.test(form.roundId) || (form.nomineeId && !/^[0-9a-f-]{36}$/.test(form.nomineeId))) errors._ = '公示对象不存在';
    const evidence = await this.evidence(req, body);
    form.files = evidence.refs;
    if (evidence.error) errors.files = evidence.error;
    if (Object.keys(errors).length) return this.renderNotices(req, res, { form, errors: { _: errors._ ?? '请按提示修改后再提交', ...errors } }, 400);
    try {
      await this.notices.object(req.actor as Actor, form.roundId, { nomineeId: form.nomineeId, text: form.text, files: form.files });
      res.redirect(303, '/commendations/notices?done=objected');
    } catch (err) {
      const m = errorMap(err);
      const files = Object.entries(m).find(([k]) => k.startsWith('files['))?.[1];
      await this.renderNotices(req, res, { form, errors: { _: m._ ?? '提交失败', ...(files ? { files } : {}) } }, statusOf(err));
    }
  }

  @Get(':id')
  @RequirePermission('commendation.read')
  async detail(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    await this.renderDetail(req, res, roundId, {});
  }

  /** The round page's live status (polled by live.js): moves with nominations, the 公示, objections and the decision. */
  @Get(':id/status')
  @RequirePermission('commendation.read')
  async status(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    sendLiveState(req, res, liveToken(await this.rounds.detail(req.actor as Actor, roundId)));
  }

  /** 启动推荐: the branches are told; nominations close by themselves at the deadline. */
  @Post(':id/start')
  @RequirePermission('commendation.manage')
  async start(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    await this.act(req, res, roundId, 'started', () => this.rounds.start(req.actor as Actor, roundId));
  }

  /** 推荐: a branch its own people or itself, the committee anyone; eligibility checked from the record. */
  @Post(':id/nominations')
  @RequirePermission('commendation.read')
  async nominate(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body);
    const { dto, errors } = nominationForm(values);
    await this.step(req, res, roundId, { form: 'nominate', values }, errors, () => this.rounds.nominate(req.actor as Actor, roundId, dto), 'nominated');
  }

  /** 排序 of one category: a 名次 per nominee. */
  @Post(':id/ranking')
  @RequirePermission('commendation.manage')
  async rank(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body);
    const categoryKey = text(values.categoryKey);
    const d = await this.rounds.detail(req.actor as Actor, roundId);
    const nominees = d.nominees.filter((n) => n.categoryKey === categoryKey && n.status !== 'INELIGIBLE');
    const { order, errors } = rankingForm(values, nominees);
    await this.step(
      req,
      res,
      roundId,
      { form: 'rank', key: categoryKey, values },
      errors,
      () => this.rounds.rank(req.actor as Actor, roundId, { categoryKey, order }),
      'ranked',
    );
  }

  /** 党委审定 (the party secretary records the committee's decision). */
  @Post(':id/approval')
  @RequirePermission('commendation.decide')
  async approve(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body);
    const round = await this.rounds.round(req.actor as Actor, roundId);
    const { dto, errors } = approvalForm(
      values,
      round.categories.map((c) => c.key),
    );
    await this.step(req, res, roundId, { form: 'approve', values }, errors, () => this.rounds.approve(req.actor as Actor, roundId, dto), 'approved');
  }

  /** 发布公示: a numbered notice with its period on the working-day calendar. */
  @Post(':id/notice')
  @RequirePermission('commendation.manage')
  async openNotice(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    await this.act(req, res, roundId, 'noticed', () => this.notices.openNotice(req.actor as Actor, roundId));
  }

  /** 登记异议: one received by phone or letter (with the evidence sent), counted by the day it was received (late ones refused with the date). */
  @Post(':id/objections')
  @RequirePermission('commendation.manage')
  @UseInterceptors(PageFilesInterceptor)
  async record(@Req() req: UploadRequest, @Res() res: Response, @Param('id', id) roundId: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body);
    const { dto, errors } = recordObjectionForm(values);
    const evidence = await this.evidence(req, body);
    dto.files = evidence.refs;
    values.keptFiles = evidence.refs.map((r) => JSON.stringify(r));
    if (evidence.error) errors.push({ field: 'files', message: evidence.error });
    await this.step(req, res, roundId, { form: 'record', values }, errors, () => this.notices.object(req.actor as Actor, roundId, dto), 'recorded');
  }

  /** 异议处理: upheld (the next-ranked takes the place, in a fresh notice) or dismissed with the reason. */
  @Post(':id/objections/:objectionId/resolve')
  @RequirePermission('commendation.manage')
  async resolve(
    @Req() req: AuthedRequest,
    @Res() res: Response,
    @Param('id', id) roundId: string,
    @Param('objectionId', objectionId) oid: string,
    @Body() body: Record<string, unknown>,
  ) {
    const values = formValues(body);
    const { dto, errors } = resolveForm(values);
    await this.step(req, res, roundId, { form: 'resolve', key: oid, values }, errors, async () =>
      (await this.notices.resolve(req.actor as Actor, roundId, oid, dto)).told ? 'resolved' : 'resolvedTell',
    );
  }

  /** 已告知异议人: the objector of a call or letter without an account was told the outcome by the recorded contact. */
  @Post(':id/objections/:objectionId/told')
  @RequirePermission('commendation.manage')
  async told(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string, @Param('objectionId', objectionId) oid: string) {
    await this.act(req, res, roundId, 'told', () => this.notices.told(req.actor as Actor, roundId, oid));
  }

  /** 表扬决定: the 通报表扬 or 决定, signed by the party secretary. */
  @Post(':id/decision')
  @RequirePermission('commendation.decide')
  async decide(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body);
    const { dto, errors } = decisionForm(values);
    await this.step(req, res, roundId, { form: 'decide', values }, errors, async () => {
      const r = (await this.notices.decide(req.actor as Actor, roundId, dto)) as { decided?: boolean };
      return r.decided === false ? 'replaced' : 'decided';
    });
  }

  private async step(
    req: AuthedRequest,
    res: Response,
    roundId: string,
    s: { form: string; key?: string; values: Values },
    errors: FieldError[],
    run: () => Promise<unknown>,
    done?: string,
  ) {
    if (errors.length) return this.renderDetail(req, res, roundId, { state: { ...s, errors: fieldMap(errors, '请按提示修改后再提交') } }, 400);
    try {
      const r = await run();
      res.redirect(303, `/commendations/${roundId}?done=${done ?? String(r)}`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.renderDetail(req, res, roundId, { state: { ...s, errors: fieldMap(placed(err.fields), err.message) } }, statusOf(err));
    }
  }

  private async act(req: AuthedRequest, res: Response, roundId: string, done: string, run: () => Promise<unknown>) {
    try {
      await run();
      res.redirect(303, `/commendations/${roundId}?done=${done}`);
    } catch (err) {
      await this.renderDetail(req, res, roundId, { error: errorMap(err)._ }, statusOf(err));
    }
  }

  private async renderForm(req: AuthedRequest, res: Response, form: RoundForm, errors: Record<string, string>, status = 200) {
    res.status(status).render('commendations/form', {
      ...(await viewContext(req, res, this.csrf, { title: '新建评选表扬' })),
      ...roundFormView(form, errors),
    });
  }

  private async renderDetail(req: AuthedRequest, res: Response, roundId: string, extra: { error?: string; state?: FormState }, status = 200) {
    const actor = req.actor as Actor;
    const round = await this.rounds.round(actor, roundId);
    const [d, choices] = await Promise.all([this.rounds.detail(actor, roundId), this.rounds.nomineeChoices(actor, round)]);
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    res.status(status).render('commendations/detail', {
      ...(await viewContext(req, res, this.csrf, { title: d.title })),
      ...detailView(d, round, actor, choices, extra.state, todayInShanghai()),
      liveVersion: liveToken(d),
      done: status === 200 ? done : undefined,
      error: extra.error,
    });
  }

  private async renderNotices(req: AuthedRequest, res: Response, o: { done?: boolean; form?: NoticeForm; errors?: Record<string, string> }, status = 200) {
    // The form's errors go under the form of its notice while that notice runs; otherwise at the top of the page.
    const mine = (n: { roundId: string; open: boolean; nominees: { id: string; status: string }[] }) =>
      n.open && o.form?.roundId === n.roundId && n.nominees.some((x) => x.id === o.form?.nomineeId && x.status === 'NOTICE');
    const notices = (await this.notices.notices()).map((n) => ({
      ...n,
      period: `${cnDate(n.startsOn)}至${cnDate(n.endsOn)}`,
      nominees: n.nominees.map((x) => ({ ...x, removed: x.status === 'REMOVED' || x.status === 'INELIGIBLE', selected: o.form?.nomineeId === x.id })),
      inNotice: n.nominees.filter((x) => x.status === 'NOTICE'),
      form: mine(n)
        ? { ...o.form, kept: (o.form?.files ?? []).map((f) => ({ ...f, ref: JSON.stringify(f), kb: Math.max(1, Math.round(f.size / 1024)) })) }
        : null,
      errors: mine(n) ? (o.errors ?? {}) : {},
    }));
    const placedHere = notices.some((n) => n.form);
    res.status(status).render('commendations/notices', {
      ...(await viewContext(req, res, this.csrf, { title: '评选表扬公示' })),
      notices,
      done: o.done,
      error: placedHere ? null : (o.errors?._ ?? null),
      objector: req.actor?.name,
    });
  }
}
