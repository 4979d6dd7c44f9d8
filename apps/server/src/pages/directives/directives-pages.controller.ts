import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor';
import { hasPermission } from '../../auth/permissions';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';
import { DomainError } from '../../common/errors/domain-error';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { uuidParam } from '../../common/validation/uuid-param';
import { DirectivesService } from '../../directives/directives.service';
import { DecideDto, ReasonDto } from '../../directives/dto/directive.dto';
import { DocumentsService, parseModel } from '../../documents/documents.service';
import { DOCUMENT_KINDS } from '../../documents/model';
import { OrgScopeService } from '../../orgs/org-scope.service';
import { PrismaService } from '../../prisma/prisma.service';
import { DirectiveFormOptions } from './directives-options';
import { loadRegister, REGISTER_LIMIT, registerFilter, RegisterFilter, registerHeaders, registerQuery, registerSort } from './directives-register';
import { BLANK_ROW, FIELDS_HINT, rowFromRequirement, templateChoices } from './requirement-rows';
import { documentDateNotice, readingView } from './reading-view';
import {
  checkForm,
  compareForms,
  DirectiveForm,
  formErrors,
  formFromBody,
  formToModel,
  formToSetup,
  modelToForm,
  REVIEWER_SLOTS,
  setupToForm,
} from './directives-form';
import { DIRECTIVE_STATUS_LABELS, directiveView } from './directives-view';
import { sendLiveState } from './live-state';
import { errorMap, fieldsToMap, isPending, readForm, statusOf } from '../form';
import { afterPost, viewContext } from '../view-context';

const id = uuidParam('发文');

interface DetailExtra {
  error?: string;
  errors?: Record<string, string>;
  comment?: string;
  reasons?: Record<string, string>;
}

/**
 * 发文: list, editor with live preview, the directive page with its approval history and receipt progress. Every route
 * names its permission except the directive page and its status, which the service opens to the committee that sees it
 * and to a branch it was issued to.
 */
@ApiExcludeController()
@Controller('directives')
export class DirectivesPagesController {
  constructor(
    private readonly directives: DirectivesService,
    private readonly documents: DocumentsService,
    private readonly options: DirectiveFormOptions,
    @Inject(CSRF) private readonly csrf: Csrf,
    private readonly prisma: PrismaService,
    private readonly scope: OrgScopeService,
  ) {}

  @Get()
  @RequirePermission('directive.read')
  async list(@Req() req: AuthedRequest, @Res() res: Response) {
    // 收发文台账: searched by 文号, 年度, 关键词 and status, sorted by a column (directives-register.ts).
    const query = req.query as Record<string, unknown>;
    let filter: RegisterFilter = {};
    let filterErrors: Record<string, string> | undefined;
    try {
      filter = registerFilter(query);
    } catch (err) {
      filterErrors = errorMap(err);
    }
    const sort = registerSort(query);
    const shown = filterErrors ? {} : query;
    const { rows, more } = await loadRegister(this.prisma, await this.scope.visibleOrgIds(req.actor as Actor), filter, sort);
    const thisYear = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
    res.status(filterErrors ? 400 : 200).render('directives/list', {
      ...(await viewContext(req, res, this.csrf, { title: '发文' })),
      canDraft: hasPermission((req.actor as Actor).role, 'directive.draft'),
      directives: rows.map((d) => ({ ...d, statusLabel: DIRECTIVE_STATUS_LABELS[d.status] })),
      filter: { ...filter, errors: filterErrors },
      filtered: !!(filter.no || filter.year || filter.q || filter.status),
      more,
      limit: REGISTER_LIMIT,
      headers: registerHeaders(shown, sort),
      keep: Object.fromEntries(new URLSearchParams(registerQuery(shown, { no: '', year: '', q: '', status: '' }))),
      clearHref: `/directives?${registerQuery(shown, { no: '', year: '', q: '', status: '' })}`.replace(/\?$/, ''),
      years: Array.from({ length: thisYear - 2014 }, (_, i) => thisYear - i).map((y) => ({ value: y, selected: y === filter.year })),
      statuses: Object.entries(DIRECTIVE_STATUS_LABELS).map(([value, label]) => ({ value, label, selected: value === filter.status })),
    });
  }

  @Get('new')
  @RequirePermission('directive.draft')
  async newForm(@Req() req: AuthedRequest, @Res() res: Response) {
    const blank = modelToForm(await this.options.blankModel(req.actor as Actor));
    await this.renderForm(req, res, { ...formFromBody({}), ...blank, receiptWorkdays: '3', requirements: [] });
  }

  /** 保存草稿, or 导入 (the pasted text replaces the document fields; the chain and distribution are kept). */
  @Post('new')
  @RequirePermission('directive.draft')
  async create(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const form = formFromBody(body);
    if (body.action === 'import') return this.importInto(req, res, form);
    if (body.action === 'addRequirement') return this.renderForm(req, res, form);
    const errors = checkForm(form);
    if (errors.length) return this.renderForm(req, res, form, { errors: formErrors(errors) }, 400);
    try {
      const d = await this.directives.create(req.actor as Actor, { model: formToModel(form), ...formToSetup(form) });
      res.redirect(303, `/directives/${d.id}?saved=1`);
    } catch (err) {
      await this.renderForm(req, res, form, { errors: this.mapped(err) }, statusOf(err));
    }
  }

  /** The red-header HTML of what is in the editor now, for the live preview. */
  @Post('preview')
  @RequirePermission('directive.read')
  async preview(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: Record<string, unknown>) {
    try {
      const model = formToModel(formFromBody(body));
      // On a phone the editor shows the text reflowed (?view=reading), not the page shrunk to the screen.
      if (req.query.view === 'reading') {
        parseModel(model); // the same checks of the text as the page preview
        return res.render('partials/doc-reading', { layout: false, reading: readingView(model) });
      }
      res.type('html').send(await this.documents.previewHtml(model));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      res
        .status(400)
        .type('text')
        .send(`预览暂不可用：${err.fields.map((f) => f.message).join('；') || err.message}`);
    }
  }

  /** Any capacity: the service lets in the committee that can see it, and a branch it was issued to (read only). */
  @Get(':id')
  async detail(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) directiveId: string) {
    await this.renderDetail(req, res, directiveId, {});
  }

  /** The page's live status (polled by live.js): a token that moves when the status, number or approval steps change. */
  @Get(':id/status')
  async status(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) directiveId: string) {
    sendLiveState(req, res, await this.directives.liveState(req.actor as Actor, directiveId));
  }

  @Get(':id/edit')
  @RequirePermission('directive.draft')
  async editForm(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) directiveId: string) {
    const d = await this.directives.detail(req.actor as Actor, directiveId);
    const requirements = (await this.directives.requirementsForEdit(req.actor as Actor, directiveId)).map(rowFromRequirement);
    const form = { ...formFromBody({}), ...modelToForm(d.document.model as Record<string, unknown>), ...setupToForm(d), requirements };
    await this.renderForm(req, res, form, { directive: d, baseVersion: d.version });
  }

  @Post(':id')
  @RequirePermission('directive.draft')
  async update(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) directiveId: string, @Body() body: Record<string, unknown>) {
    const actor = req.actor as Actor;
    const form = formFromBody(body);
    const d = await this.directives.detail(actor, directiveId);
    // The version this editor was opened on; 保留我的 (after a conflict) saves over the version named on its button.
    const version = (v: unknown) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : undefined);
    const opened = version(body.baseVersion);
    if (body.action === 'import') return this.importInto(req, res, form, d, opened);
    if (body.action === 'addRequirement') return this.renderForm(req, res, form, { directive: d, baseVersion: opened });
    const baseVersion = version(body.overwrite) ?? opened;
    const errors = checkForm(form);
    if (errors.length) return this.renderForm(req, res, form, { errors: formErrors(errors), directive: d, baseVersion: opened }, 400);
    try {
      await this.directives.update(actor, directiveId, { model: formToModel(form), ...formToSetup(form), baseVersion });
      res.redirect(303, `/directives/${directiveId}?saved=1`);
    } catch (err) {
      const detail = err instanceof DomainError ? err.detail : undefined;
      if (detail && typeof detail.version === 'number') {
        const opts = await this.options.load(actor);
        const theirs = { ...formFromBody({}), ...modelToForm((detail.model ?? {}) as Record<string, unknown>), ...setupToForm(detail as never) };
        const conflict = { message: (err as DomainError).message, version: detail.version, fields: compareForms(form, theirs, opts) };
        return this.renderForm(req, res, form, { directive: d, baseVersion: opened, conflict }, 409);
      }
      await this.renderForm(req, res, form, { errors: this.mapped(err), directive: d, baseVersion: opened }, statusOf(err));
    }
  }

  @Post(':id/submit')
  @RequirePermission('directive.draft')
  async submit(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) directiveId: string) {
    await this.act(req, res, directiveId, () => this.directives.submit(req.actor as Actor, directiveId), 'submitted', {});
  }

  /** 同意 / 退回修改 on the actor's pending step. */
  @Post(':id/decide')
  @RequirePermission('directive.approve')
  async decide(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) directiveId: string, @Body() body: Record<string, string>) {
    const { dto, errors } = readForm(DecideDto, body, ['version']);
    if (errors.length) return this.renderDetail(req, res, directiveId, { errors: fieldsToMap(errors), comment: body.comment }, 400);
    await this.act(req, res, directiveId, () => this.directives.decide(req.actor as Actor, directiveId, dto), 'decided', { comment: body.comment });
  }

  @Post(':id/withdraw')
  @RequirePermission('directive.draft')
  async withdraw(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) directiveId: string, @Body() body: Record<string, string>) {
    await this.withReason(req, res, directiveId, body, 'withdraw', (reason) => this.directives.withdraw(req.actor as Actor, directiveId, reason));
  }

  @Post(':id/revoke')
  @RequirePermission('directive.revoke')
  async revoke(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) directiveId: string, @Body() body: Record<string, string>) {
    await this.withReason(req, res, directiveId, body, 'revoke', (reason) => this.directives.revoke(req.actor as Actor, directiveId, reason));
  }

  private async withReason(
    req: AuthedRequest,
    res: Response,
    directiveId: string,
    body: Record<string, string>,
    what: 'withdraw' | 'revoke',
    run: (reason: string) => Promise<unknown>,
  ) {
    const { dto, errors } = readForm(ReasonDto, { reason: (body.reason ?? '').trim() });
    const reasons = { [what]: body.reason ?? '' };
    if (errors.length) return this.renderDetail(req, res, directiveId, { errors: { [`${what}Reason`]: fieldsToMap(errors).reason }, reasons }, 400);
    await this.act(req, res, directiveId, () => run(dto.reason), what === 'withdraw' ? 'withdrawn' : 'revoked', { reasons });
  }

  /** Runs one workflow action; a refusal (409 with the workflow's Chinese reason) is shown on the page. */
  private async act(req: AuthedRequest, res: Response, directiveId: string, run: () => Promise<unknown>, done: string, keep: DetailExtra) {
    try {
      await run();
      res.redirect(303, afterPost(req, `/directives/${directiveId}?done=${done}`));
    } catch (err) {
      if (isPending(err)) return res.redirect(303, afterPost(req, `/directives/${directiveId}?done=pending`));
      await this.renderDetail(req, res, directiveId, { ...keep, error: errorMap(err)._ }, statusOf(err));
    }
  }

  private async importInto(req: AuthedRequest, res: Response, form: DirectiveForm, directive?: unknown, baseVersion?: number) {
    try {
      const { model, warnings, notices } = this.documents.importText(form.text);
      // The pasted text replaces the document; a title typed before the import is kept.
      const imported = modelToForm(model as unknown as Record<string, unknown>);
      const next = { ...form, ...imported, title: form.title.trim() || imported.title, text: form.text };
      await this.renderForm(req, res, next, { warnings, notices, imported: true, directive, baseVersion });
    } catch (err) {
      await this.renderForm(req, res, form, { errors: { ...errorMap(err), text: errorMap(err)._ }, directive, baseVersion }, statusOf(err));
    }
  }

  private mapped(err: unknown): Record<string, string> {
    if (!(err instanceof DomainError)) throw err;
    return err.fields.length ? formErrors(err.fields, err.message.split('：')[0]) : { _: err.message };
  }

  private async renderForm(
    req: AuthedRequest,
    res: Response,
    form: DirectiveForm,
    extra: {
      errors?: Record<string, string>;
      warnings?: string[];
      notices?: string[];
      imported?: boolean;
      directive?: unknown;
      baseVersion?: number;
      conflict?: { message: string; version: number; fields: { label: string; mine: string; theirs: string }[] };
    } = {},
    status = 200,
  ) {
    const actor = req.actor as Actor;
    const opts = await this.options.load(actor);
    const d = extra.directive as { id: string; versions: unknown[]; document: { title: string } } | undefined;
    const mark = (choices: { value: string; label: string }[], chosen: string[]) => choices.map((c) => ({ ...c, checked: chosen.includes(c.value) }));
    res.status(status).render('directives/form', {
      ...(await viewContext(req, res, this.csrf, { title: d ? '修改发文' : '新建发文' })),
      form,
      action: d ? `/directives/${d.id}` : '/directives/new',
      directive: d,
      errors: extra.errors,
      warnings: extra.warnings,
      notices: extra.notices,
      imported: extra.imported,
      baseVersion: extra.baseVersion,
      conflict: extra.conflict,
      // Answering a post (a refused save, an import, a conflict), the form shows what was posted, not what is saved:
      // leaving it asks first (app.js).
      unsaved: req.method === 'POST',
      docKinds: DOCUMENT_KINDS.map((k) => ({ value: k, label: k, selected: k === form.kind })),
      reviewerSlots: Array.from({ length: REVIEWER_SLOTS }, (_, i) => ({
        n: i + 1,
        choices: opts.people.map((p) => ({ ...p, selected: form.reviewers.filter(Boolean)[i] === p.value })),
      })),
      countersigners: mark(opts.people, form.countersigners),
      signers: opts.signers.map((s) => ({ ...s, selected: s.value === form.signerId })),
      branches: mark(opts.branches, form.orgIds),
      kinds: mark(opts.kinds, form.kinds),
      versions: d ? [...(d.versions as { changes: string[] }[])].reverse().map((v) => ({ ...v, changesText: v.changes.join('、') })) : [],
      // The rows typed so far and one blank one to add another (the page adds more as they are used).
      requirementRows: [...form.requirements.filter((r) => r.title.trim() || r.fields.trim() || r.template || r.workdays.trim() || r.orig), BLANK_ROW].map(
        (r, i) => ({ ...r, n: i + 1, choices: templateChoices(r), custom: r.template === 'CUSTOM' }),
      ),
      fieldsHint: FIELDS_HINT,
      attachmentRows: form.attachments.map((a, i) => ({ ...a, n: i + 1, fileRef: parseRef(a.file) })),
    });
  }

  private async renderDetail(req: AuthedRequest, res: Response, directiveId: string, extra: DetailExtra, status = 200) {
    const actor = req.actor as Actor;
    // Read before the page's content: a change in between makes the page reload once more, never miss a change.
    const liveVersion = await this.directives.liveState(actor, directiveId);
    const d = await this.directives.detail(actor, directiveId);
    let previewHtml = '';
    let previewError = '';
    let reading: ReturnType<typeof readingView> | undefined;
    try {
      if (d.textHidden) previewError = '文稿签发前，只有起草人、党建办和审批人可以阅读正文';
      else {
        previewHtml = await this.documents.previewHtml(d.document.model);
        reading = readingView(d.document.model as Record<string, unknown>);
      }
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      previewError = err.message;
    }
    const done = typeof req.query.done === 'string' ? req.query.done : req.query.saved === '1' ? 'saved' : '';
    res.status(status).render('directives/detail', {
      ...(await viewContext(req, res, this.csrf, { title: d.document.title })),
      ...directiveView(d, actor, done, await this.directives.approvalStartMissing(actor, d)),
      liveVersion,
      previewHtml,
      previewError,
      reading,
      dateNotice: d.textHidden ? undefined : documentDateNotice(d.document),
      attachmentLinks: d.textHidden
        ? []
        : (await this.documents.attachmentsOf(d.document)).map((a) => ({
            ...a,
            href: `/api/documents/${d.document.id}/attachments/${a.seq}`,
            sizeText: `${Math.max(1, Math.round(a.size / 1024))} KB`,
          })),
      done,
      ...extra,
    });
  }
}

function parseRef(v: string): { name: string; sha256: string; size: number } | undefined {
  try {
    const ref = v ? (JSON.parse(v) as { name: string; sha256: string; size: number }) : undefined;
    return ref && typeof ref.sha256 === 'string' ? { ...ref, size: Math.max(1, Math.round(ref.size / 1024)) } : undefined;
  } catch {
    return undefined;
  }
}
