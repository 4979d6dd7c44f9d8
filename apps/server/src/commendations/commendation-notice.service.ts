import { Injectable } from '@nestjs/common';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { hasPermission, permissions } from '../auth/permissions';
import { CalendarService } from '../calendar/calendar.service';
import { shanghaiDay } from '../calendar/working-calendar';
import { DomainError } from '../common/errors/domain-error';
import { DocumentsService, parseModel } from '../documents/documents.service';
import { FilesService } from '../files/files.service';
import { NotificationsService } from '../notifications/notifications.service';
import type { CommendationNominee } from '../prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';
import { Drills } from '../tasks/drills';
import { ROUND_STATUS_LABELS, type RoundRow, type Vacancy } from './commendation-config';
import { CommendationsService, ineligibleText, json, queryOf, todayInShanghai } from './commendations.service';
import type { DecideDto, ObjectionDto, ResolveObjectionDto } from './dto/commendation.dto';
import { EligibilityService, type Eligibility } from './eligibility';
import { cnDate, noticePeriod } from './notice-period';

type Names = Awaited<ReturnType<CommendationsService['names']>>;
const nameOf = (n: Pick<CommendationNominee, 'personId' | 'orgId'>, names: Names) =>
  n.personId ? (names.people.get(n.personId) ?? '') : (names.orgs.get(n.orgId) ?? '');

/**
 * 公示 and what follows (lifecycle 5): the notice of the approved list as a numbered document with its period on the
 * working-day calendar, real-name objections in time (late ones refused with the date), their resolution (upheld: the
 * nominee removed and the next-ranked eligible one published in a fresh notice of their own), and the decision — a
 * 通报表扬, or a 决定 when a title is conferred with its approval reference — written to each person's or branch's
 * record. Eligibility is checked again when the notice starts and at the decision.
 */
@Injectable()
export class CommendationNoticeService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
    private readonly documents: DocumentsService,
    private readonly notifications: NotificationsService,
    private readonly files: FilesService,
    private readonly eligibility: EligibilityService,
    private readonly rounds: CommendationsService,
  ) {}

  /** 发布公示 (党建办): the approved list, each checked again; one ineligible now is replaced by the next-ranked. */
  async openNotice(actor: Actor, id: string) {
    const round = await this.rounds.round(actor, id);
    if (!hasPermission(actor.role, permissions.commendationManage) || actor.orgId !== round.orgId) throw DomainError.forbidden('只有本党委党建办可以发布公示');
    if (round.status !== 'SELECTING' || !round.approval)
      throw DomainError.conflict(round.status === 'SELECTING' ? '党委尚未审定名单，不能公示' : `评选表扬${ROUND_STATUS_LABELS[round.status]}，不能发布公示`);
    const approved = await this.prisma.commendationNominee.findMany({ where: { roundId: id, status: 'APPROVED' }, orderBy: { rank: 'asc' } });
    if (!approved.length) throw DomainError.conflict('审定名单为空，不能公示');
    const day = todayInShanghai();
    const excluded: { nominee: CommendationNominee; rules: string[]; eligibility: unknown }[] = [];
    const published: CommendationNominee[] = [];
    for (const n of approved) {
      const e = await this.eligibility.check(queryOf(round, n), day, '公示');
      if (e.eligible) published.push(n);
      else excluded.push({ nominee: n, rules: e.reasons.map((r) => r.rule), eligibility: e });
    }
    // A place freed by an ineligible nominee goes to the next-ranked eligible one of the same category.
    const taken = new Set(published.map((n) => n.id));
    for (const x of excluded) {
      const next = await this.nextEligible(round, x.nominee.categoryKey, taken, day, excluded);
      if (next) {
        published.push(next);
        taken.add(next.id);
      }
    }
    if (!published.length) throw DomainError.conflict('审定名单中没有符合条件的对象，不能公示');
    const place = (n: CommendationNominee) => round.categories.findIndex((c) => c.key === n.categoryKey) * 10_000 + (n.rank ?? 9_999);
    published.sort((a, b) => place(a) - place(b));
    const done = await this.audit.transaction(
      async (tx) => {
        const [locked] = await tx.$queryRaw<{ status: string }[]>`SELECT status::text AS status FROM commendation_round WHERE id = ${id}::uuid FOR UPDATE`;
        if (locked.status !== 'SELECTING') throw DomainError.conflict('公示已经发布');
        await this.markIneligible(tx, actor, id, excluded);
        const notice = await this.issueNotice(tx, actor, round, published, 1);
        await tx.commendationRound.update({ where: { id }, data: { status: 'NOTICE' } });
        return notice;
      },
      { timeout: 60_000 },
    );
    await this.documents.issuePdf(actor, done.documentId);
    await this.rounds.signal(id);
    return { ...done, excluded: excluded.map((x) => ({ nomineeId: x.nominee.id, rules: x.rules })) };
  }

  /** The next-ranked nominee in reserve who is eligible on `day`; those found ineligible on the way are added to `excluded`. */
  private async nextEligible(
    round: RoundRow,
    categoryKey: string,
    taken: Set<string>,
    day: string,
    excluded: { nominee: CommendationNominee; rules: string[]; eligibility: unknown }[],
    stage = '公示',
  ): Promise<CommendationNominee | null> {
    const reserve = await this.prisma.commendationNominee.findMany({ where: { roundId: round.id, categoryKey, status: 'RESERVE' }, orderBy: { rank: 'asc' } });
    for (const r of reserve) {
      if (taken.has(r.id) || excluded.some((x) => x.nominee.id === r.id)) continue;
      const e = await this.eligibility.check(queryOf(round, r), day, stage);
      if (e.eligible) return r;
      excluded.push({ nominee: r, rules: e.reasons.map((x) => x.rule), eligibility: e });
    }
    return null;
  }

  private async markIneligible(
    tx: Tx,
    actor: Actor | null,
    roundId: string,
    excluded: { nominee: CommendationNominee; rules: string[]; eligibility: unknown }[],
  ) {
    for (const x of excluded) {
      await tx.commendationNominee.update({ where: { id: x.nominee.id }, data: { status: 'INELIGIBLE', eligibility: json(x.eligibility) } });
      const e = x.eligibility as { stage: string };
      await this.audit.record(tx, {
        actor,
        action: 'commendation.ineligible',
        entityType: 'commendation_round',
        entityId: roundId,
        data: { nomineeId: x.nominee.id, stage: e.stage, rules: x.rules },
      });
    }
  }

  /** A 公示 of `nominees` as a numbered document, with its period; the nominees are in notice from now. */
  private async issueNotice(tx: Tx, actor: Actor, round: RoundRow, nominees: CommendationNominee[], seq: number, why: 'objection' | 'recheck' = 'objection') {
    const drill = Drills.secondsFor(round.id);
    const today = todayInShanghai();
    const period = drill
      ? { startsOn: today, endsOn: today, endsAt: new Date(Date.now() + round.noticeWorkdays * drill * 1000) }
      : noticePeriod(await this.calendar.calendar(), today, round.noticeWorkdays);
    const names = await this.rounds.names(nominees);
    const organ = await tx.organization.findUniqueOrThrow({ where: { id: round.orgId }, select: { name: true } });
    const replacement = seq > 1;
    const rows = nominees.map((n) => [
      round.categories.find((c) => c.key === n.categoryKey)?.name ?? '',
      nameOf(n, names),
      n.personId ? (names.orgs.get(n.orgId) ?? '') : '—',
      n.post ?? '—',
    ]);
    const model = parseModel({
      kind: '通知',
      issuers: [{ name: organ.name, markName: organ.name }],
      title: `关于${round.title}${replacement ? '递补' : ''}拟表扬对象的公示`,
      addressee: '各村（社区）党组织、乡直各单位：',
      body: [
        {
          type: 'paragraph',
          text: replacement
            ? `${why === 'recheck' ? '经决定前资格复核，原拟表扬对象不符合评选条件，取消表扬资格' : '经核查，原拟表扬对象因异议属实取消表扬资格'}。按照推荐排序，经乡党委研究，确定以下同志（单位）为递补拟表扬对象，现予以公示。`
            : `根据${round.title}安排，经各党组织推荐、资格审查，乡党委${round.approval ? `于${(round.approval as { meeting: string }).meeting}` : ''}研究审定，确定以下同志（单位）为拟表扬对象，现予以公示。`,
        },
        { type: 'table', caption: '拟表扬对象名单', header: ['类别', '姓名（单位）', '所在党组织', '职务'], rows },
        { type: 'paragraph', text: `公示时间：${cnDate(period.startsOn)}至${cnDate(period.endsOn)}（${round.noticeWorkdays}个工作日）。` },
        {
          type: 'paragraph',
          text: `公示期间，如对公示对象有异议，可通过系统公示页面、电话或信函实名反映，并提供相关证据。异议以收到日期为准，公示期满后不再受理。联系人：${round.contact}。`,
        },
      ],
      signingOrgans: [organ.name],
      date: today,
    });
    const doc = await this.documents.createIn(tx, actor, model);
    const signed = await this.documents.signIn(tx, actor, doc.id);
    const notice = await tx.commendationNotice.create({
      data: { roundId: round.id, seq, documentId: doc.id, nomineeIds: nominees.map((n) => n.id), workdays: round.noticeWorkdays, ...period },
    });
    await tx.commendationNominee.updateMany({ where: { id: { in: nominees.map((n) => n.id) } }, data: { status: 'NOTICE', noticeId: notice.id } });
    await this.audit.record(tx, {
      actor,
      action: 'commendation.notice.issue',
      entityType: 'commendation_round',
      entityId: round.id,
      data: {
        noticeId: notice.id,
        seq,
        documentId: doc.id,
        docNumber: signed.docNumber ?? '',
        startsOn: period.startsOn,
        endsOn: period.endsOn,
        nominees: nominees.map((n) => n.id),
      },
    });
    return { noticeId: notice.id, documentId: doc.id, docNumber: signed.docNumber, startsOn: period.startsOn, endsOn: period.endsOn, endsAt: period.endsAt };
  }

  /** The 公示 page: every notice of the last year, with its list and period, for anyone logged in. */
  async notices() {
    const since = new Date(Date.now() - 366 * 24 * 3600 * 1000);
    const notices = await this.prisma.commendationNotice.findMany({
      where: { createdAt: { gte: since } },
      orderBy: { createdAt: 'desc' },
      include: { round: true },
    });
    const nominees = await this.prisma.commendationNominee.findMany({ where: { id: { in: notices.flatMap((n) => n.nomineeIds) } } });
    const names = await this.rounds.names(nominees);
    const docs = await this.prisma.document.findMany({
      where: { id: { in: notices.map((n) => n.documentId) } },
      select: { id: true, docNumber: true, title: true },
    });
    const now = Date.now();
    return notices.map((n) => {
      const categories = (n.round.categories ?? []) as { key: string; name: string }[];
      const doc = docs.find((d) => d.id === n.documentId);
      return {
        id: n.id,
        roundId: n.roundId,
        roundTitle: n.round.title,
        title: doc?.title ?? '',
        docNumber: doc?.docNumber ?? null,
        startsOn: n.startsOn,
        endsOn: n.endsOn,
        open: n.endsAt.getTime() > now && n.round.status === 'NOTICE',
        contact: n.round.contact,
        nominees: n.nomineeIds.map((nid) => {
          const x = nominees.find((y) => y.id === nid);
          return x
            ? {
                id: x.id,
                category: categories.find((c) => c.key === x.categoryKey)?.name ?? '',
                name: nameOf(x, names),
                orgName: names.orgs.get(x.orgId) ?? '',
                post: x.post,
                status: x.status,
              }
            : { id: nid, category: '', name: '', orgName: '', post: null, status: 'REMOVED' };
        }),
      };
    });
  }

  /** The notice's PDF, for anyone logged in (it is public by nature). */
  async noticePdf(actor: Actor, noticeId: string) {
    const notice = await this.prisma.commendationNotice.findUnique({ where: { id: noticeId } });
    if (!notice) throw DomainError.notFound('公示');
    const doc = await this.prisma.document.findUniqueOrThrow({ where: { id: notice.documentId }, select: { docNumber: true, title: true } });
    const { bytes } = await this.documents.issuePdf(null, notice.documentId);
    await this.audit.recordOne({
      actor,
      action: 'document.read',
      entityType: 'document',
      entityId: notice.documentId,
      data: { docNumber: doc.docNumber, format: 'pdf' },
    });
    return { bytes, filename: `${doc.title}.pdf` };
  }

  /**
   * 异议: real-name, by page (the person logged in) or recorded by 党建办 from a phone call or letter with the
   * objector's name and the day received. Only during the nominee's own notice period: counted by the day received,
   * a late one is refused with the day the period ended.
   */
  async object(actor: Actor, roundId: string, dto: ObjectionDto) {
    const round = await this.prisma.commendationRound.findUnique({ where: { id: roundId } });
    if (!round) throw DomainError.notFound('评选表扬');
    const channel = dto.channel ?? 'PAGE';
    const recorded = channel !== 'PAGE';
    if (recorded && (!hasPermission(actor.role, permissions.commendationManage) || actor.orgId !== round.orgId))
      throw DomainError.forbidden('电话、信件异议由本党委党建办登记');
    // A recorded objector may be named by their account (told the outcome in the system), the name then taken from it.
    const account =
      recorded && dto.objectorId ? await this.prisma.person.findFirst({ where: { id: dto.objectorId, active: true }, select: { id: true, name: true } }) : null;
    if (recorded && dto.objectorId && !account) throw DomainError.validation([{ field: 'objectorId', message: '所选异议人不存在或已停用，请重新选择' }]);
    if (recorded && !dto.objectorName?.trim() && !account)
      throw DomainError.validation([{ field: 'objectorName', message: '异议须实名：请填写异议人的真实姓名' }]);
    const nominee = await this.prisma.commendationNominee.findUnique({ where: { id: dto.nomineeId } });
    if (!nominee || nominee.roundId !== roundId || !nominee.noticeId) throw DomainError.notFound('公示对象');
    const notice = await this.prisma.commendationNotice.findUniqueOrThrow({ where: { id: nominee.noticeId } });
    const today = todayInShanghai();
    const receivedOn = recorded ? (dto.receivedOn ?? today) : today;
    if (receivedOn > today) throw DomainError.validation([{ field: 'receivedOn', message: '收到日期不能晚于今天' }]);
    // Counted by the day received: a letter dated within the period is in time even when recorded after its end.
    const late = receivedOn > notice.endsOn || (receivedOn === today && Date.now() >= notice.endsAt.getTime());
    if (late) throw DomainError.conflict(`公示期已于${cnDate(notice.endsOn)}结束，${recorded ? `${cnDate(receivedOn)}收到的异议` : '异议'}不再受理`);
    if (receivedOn < notice.startsOn) throw DomainError.validation([{ field: 'receivedOn', message: `收到日期早于公示开始（${cnDate(notice.startsOn)}）` }]);
    if (nominee.status !== 'NOTICE' || round.status !== 'NOTICE') throw DomainError.conflict('该对象已不在公示中');
    const files = dto.files ?? [];
    await this.files.assertStored(files.map((ref, i) => ({ field: `files[${i}]`, ref })));
    const names = await this.rounds.names([nominee]);
    const objection = await this.audit.transaction(async (tx) => {
      const created = await tx.commendationObjection.create({
        data: {
          roundId,
          noticeId: notice.id,
          nomineeId: nominee.id,
          filedById: actor.personId,
          filedByOrgId: actor.orgId,
          objectorName: recorded ? dto.objectorName?.trim() || (account?.name ?? '') : actor.name,
          objectorId: recorded ? (account?.id ?? null) : actor.personId,
          objectorPhone: dto.objectorPhone?.trim() || null,
          channel,
          text: dto.text.trim(),
          files: json(files.map((f) => ({ sha256: f.sha256, name: f.name }))),
          receivedOn,
        },
      });
      await this.notifications.notify(tx, [
        {
          kind: 'COM_STEP',
          key: `com-objection:${created.id}`,
          to: { orgId: round.orgId },
          subject: { type: 'commendation_round', id: round.id },
          facts: { title: round.title, what: `收到对“${nameOf(nominee, names)}”的异议，请核查处理` },
        },
      ]);
      await this.audit.record(tx, {
        actor,
        action: 'commendation.objection.file',
        entityType: 'commendation_round',
        entityId: roundId,
        data: { objectionId: created.id, nomineeId: nominee.id, channel, receivedOn, files: files.length },
      });
      return created;
    });
    await this.rounds.signal(roundId);
    return { id: objection.id, receivedOn, noticeEndsOn: notice.endsOn };
  }

  /**
   * 异议处理 (党建办, after investigating): upheld — the nominee removed, the next-ranked eligible one in reserve
   * published in a fresh notice of their own; dismissed — recorded with the reason. Either way the objector is told.
   */
  async resolve(actor: Actor, roundId: string, objectionId: string, dto: ResolveObjectionDto) {
    const round = await this.rounds.round(actor, roundId);
    if (!hasPermission(actor.role, permissions.commendationManage) || actor.orgId !== round.orgId) throw DomainError.forbidden('只有本党委党建办可以处理异议');
    const objection = await this.prisma.commendationObjection.findUnique({ where: { id: objectionId } });
    if (!objection || objection.roundId !== roundId) throw DomainError.notFound('异议');
    if (objection.status !== 'OPEN') throw DomainError.conflict('该异议已经处理');
    if (round.status !== 'NOTICE') throw DomainError.conflict(`评选表扬${ROUND_STATUS_LABELS[round.status]}，不能处理异议`);
    const nominee = await this.prisma.commendationNominee.findUniqueOrThrow({ where: { id: objection.nomineeId } });
    const names = await this.rounds.names([nominee]);
    const finding = dto.finding.trim();
    const excluded: { nominee: CommendationNominee; rules: string[]; eligibility: unknown }[] = [];
    const replacement = dto.upheld ? await this.nextEligible(round, nominee.categoryKey, new Set(), todayInShanghai(), excluded) : null;
    const recipient = await this.objectorAccount(objection, round.orgId);
    const done = await this.audit.transaction(
      async (tx) => {
        const { count } = await tx.commendationObjection.updateMany({
          where: { id: objectionId, status: 'OPEN' },
          data: { status: dto.upheld ? 'UPHELD' : 'DISMISSED', finding, resolvedById: actor.personId, resolvedAt: new Date() },
        });
        if (!count) throw DomainError.conflict('该异议已经处理');
        let notice: Awaited<ReturnType<CommendationNoticeService['issueNotice']>> | null = null;
        if (dto.upheld) {
          await tx.commendationNominee.update({ where: { id: nominee.id }, data: { status: 'REMOVED', removedReason: finding } });
          // Other objections to the same nominee need no separate finding once they are removed.
          await tx.commendationObjection.updateMany({
            where: { nomineeId: nominee.id, status: 'OPEN' },
            data: { status: 'UPHELD', finding: `同一对象的异议已查实：${finding}`, resolvedById: actor.personId, resolvedAt: new Date() },
          });
          await this.markIneligible(tx, actor, roundId, excluded);
          if (replacement) {
            const seq = (await tx.commendationNotice.count({ where: { roundId } })) + 1;
            notice = await this.issueNotice(tx, actor, round, [replacement], seq);
          } else {
            // Nobody eligible in reserve: the place is vacant, recorded with the reason for the round page and the decision.
            const [locked] = await tx.$queryRaw<{ vacancies: unknown }[]>`SELECT vacancies FROM commendation_round WHERE id = ${roundId}::uuid FOR UPDATE`;
            const vacancy: Vacancy = {
              categoryKey: nominee.categoryKey,
              nomineeId: nominee.id,
              reason: `“${nameOf(nominee, names)}”经核查异议属实，取消表扬资格，无符合条件的递补人选`,
              recordedOn: todayInShanghai(),
              cause: 'objection',
            };
            await tx.commendationRound.update({ where: { id: roundId }, data: { vacancies: json([...((locked?.vacancies ?? []) as Vacancy[]), vacancy]) } });
          }
        }
        // The objector is told in the system when they have an account (the page's objector, or the one named when a
        // call or letter was recorded); otherwise 党建办 tells them by the recorded contact and records it (told()).
        if (recipient) {
          await this.notifications.notify(tx, [
            {
              kind: 'COM_OBJECTION',
              key: `com-objection-answer:${objectionId}`,
              to: recipient,
              subject: { type: 'commendation_round', id: roundId },
              facts: { title: round.title, nominee: nameOf(nominee, names), upheld: dto.upheld, finding },
            },
          ]);
          await tx.commendationObjection.update({ where: { id: objectionId }, data: { toldAt: new Date() } });
        }
        await this.audit.record(tx, {
          actor,
          action: 'commendation.objection.resolve',
          entityType: 'commendation_round',
          entityId: roundId,
          data: {
            objectionId,
            nomineeId: nominee.id,
            upheld: dto.upheld,
            ...(replacement ? { replacementId: replacement.id } : {}),
            ...(recipient?.personId ? { toldTo: recipient.personId } : {}),
            ...(dto.upheld && !replacement ? { vacancy: true } : {}),
          },
        });
        return notice;
      },
      { timeout: 60_000 },
    );
    if (done) await this.documents.issuePdf(actor, done.documentId);
    await this.rounds.signal(roundId);
    return {
      id: objectionId,
      upheld: dto.upheld,
      replacement: replacement ? { nomineeId: replacement.id, notice: done } : null,
      told: !!recipient,
    };
  }

  /** Where the outcome of an objection is sent in the system: the objector's account, in the capacity they act in. */
  private async objectorAccount(
    objection: { channel: string; objectorId: string | null; filedById: string; filedByOrgId: string },
    committeeId: string,
  ): Promise<{ orgId: string; personId: string } | null> {
    if (objection.channel === 'PAGE') return { orgId: objection.filedByOrgId, personId: objection.objectorId ?? objection.filedById };
    if (!objection.objectorId) return null;
    const m = await this.prisma.membership.findFirst({
      where: { personId: objection.objectorId, active: true },
      orderBy: { createdAt: 'asc' },
      select: { orgId: true },
    });
    return { orgId: m?.orgId ?? committeeId, personId: objection.objectorId };
  }

  /**
   * 已告知异议人 (党建办): the objector of a call or letter without an account was told the outcome by the recorded
   * contact; recorded with who and when, once.
   */
  async told(actor: Actor, roundId: string, objectionId: string) {
    const round = await this.rounds.round(actor, roundId);
    if (!hasPermission(actor.role, permissions.commendationManage) || actor.orgId !== round.orgId)
      throw DomainError.forbidden('只有本党委党建办可以登记告知情况');
    const objection = await this.prisma.commendationObjection.findUnique({ where: { id: objectionId } });
    if (!objection || objection.roundId !== roundId) throw DomainError.notFound('异议');
    if (objection.status === 'OPEN') throw DomainError.conflict('该异议尚未处理，处理后再告知异议人');
    if (objection.toldAt) throw DomainError.conflict('处理结果已告知异议人');
    const how = objection.objectorPhone ? `电话 ${objection.objectorPhone}` : objection.channel === 'LETTER' ? '信件' : '电话';
    await this.audit.transaction(async (tx) => {
      const { count } = await tx.commendationObjection.updateMany({
        where: { id: objectionId, toldAt: null },
        data: { toldAt: new Date(), toldById: actor.personId },
      });
      if (!count) throw DomainError.conflict('处理结果已告知异议人');
      await this.audit.record(tx, {
        actor,
        action: 'commendation.objection.told',
        entityType: 'commendation_round',
        entityId: roundId,
        data: { objectionId, how },
      });
    });
    await this.rounds.signal(roundId);
    return { id: objectionId, told: true };
  }

  /**
   * 表扬决定 (the party secretary): once every notice period has ended and every objection is resolved, those in
   * notice are checked once more; the eligible are commended by a 通报 (or a 决定 conferring a title, with the
   * approval reference), numbered, signed and archived, and each commendation is written to the record.
   */
  async decide(actor: Actor, roundId: string, dto: DecideDto) {
    const round = await this.rounds.round(actor, roundId);
    if (!hasPermission(actor.role, permissions.commendationDecide) || actor.orgId !== round.orgId) throw DomainError.forbidden('只有党委书记可以签发表扬文件');
    if (round.status !== 'NOTICE')
      throw DomainError.conflict(round.status === 'DECIDED' ? '表扬文件已经签发' : `评选表扬${ROUND_STATUS_LABELS[round.status]}，还不能决定`);
    const kind = dto.kind ?? '通报';
    const approvalRef = dto.approvalRef?.trim();
    if (kind === '决定' && !approvalRef)
      throw DomainError.validation([{ field: 'approvalRef', message: '以“决定”授予称号，须填写批准依据（如上级党委的批复文号）' }]);
    const notices = await this.prisma.commendationNotice.findMany({ where: { roundId }, orderBy: { seq: 'asc' } });
    const running = notices.filter((n) => n.endsAt.getTime() > Date.now());
    if (running.length) throw DomainError.conflict(`公示期至${cnDate(running[running.length - 1].endsOn)}结束，期满后才能决定`);
    const open = await this.prisma.commendationObjection.count({ where: { roundId, status: 'OPEN' } });
    if (open) throw DomainError.conflict(`还有 ${open} 件异议未处理，处理完毕后才能决定`);
    const inNotice = await this.prisma.commendationNominee.findMany({
      where: { roundId, status: 'NOTICE' },
      orderBy: [{ categoryKey: 'asc' }, { rank: 'asc' }],
    });
    const day = todayInShanghai();
    const commended: CommendationNominee[] = [];
    const excluded: { nominee: CommendationNominee; rules: string[]; eligibility: unknown }[] = [];
    for (const n of inNotice) {
      const e = await this.eligibility.check(queryOf(round, n), day, '决定');
      if (e.eligible) commended.push(n);
      else excluded.push({ nominee: n, rules: e.reasons.map((r) => r.rule), eligibility: e });
    }
    // A place freed at this re-check is not left empty: the next-ranked eligible nominee in reserve takes it, in a
    // fresh notice of their own (the decision waits for its period); a place nobody eligible can take is recorded as
    // vacant with the reason.
    const original = [...excluded];
    const taken = new Set(inNotice.map((n) => n.id));
    const replacements: { nominee: CommendationNominee; replaces: CommendationNominee }[] = [];
    const freed: CommendationNominee[] = [];
    for (const x of original) {
      const next = await this.nextEligible(round, x.nominee.categoryKey, taken, day, excluded, '决定');
      if (next) {
        replacements.push({ nominee: next, replaces: x.nominee });
        taken.add(next.id);
      } else freed.push(x.nominee);
    }
    const names = await this.rounds.names([...inNotice, ...excluded.map((x) => x.nominee), ...replacements.map((r) => r.nominee)]);
    const vacancies: Vacancy[] = [
      ...round.vacancies,
      ...freed.map((n) => {
        const x = original.find((y) => y.nominee.id === n.id) as (typeof original)[number];
        return {
          categoryKey: n.categoryKey,
          nomineeId: n.id,
          reason: `${ineligibleText(nameOf(n, names), x.eligibility as Eligibility)}，无符合条件的递补人选`,
          recordedOn: day,
        };
      }),
    ];
    if (replacements.length) return this.replaceAtDecision(actor, round, excluded, replacements, vacancies, names);
    if (!commended.length)
      throw DomainError.conflict(
        excluded.length ? excluded.map((x) => ineligibleText(nameOf(x.nominee, names), x.eligibility as Eligibility)).join('；') : '没有公示期满的表扬对象',
      );
    const organ = await this.prisma.organization.findUniqueOrThrow({ where: { id: round.orgId }, select: { name: true } });
    const categories = round.categories.filter((c) => commended.some((n) => n.categoryKey === c.key));
    const list = categories.map((c) => ({
      c,
      people: commended
        .filter((n) => n.categoryKey === c.key)
        .map((n) => (n.personId ? `${names.orgs.get(n.orgId) ?? ''}${n.post ?? ''}${nameOf(n, names)}` : nameOf(n, names))),
    }));
    const catNames = categories.map((c) => `“${c.name}”`).join('');
    const model = parseModel({
      kind,
      issuers: [{ name: organ.name, markName: organ.name }],
      title: kind === '决定' ? `关于授予${round.year}年度${catNames}称号的决定` : `关于表扬${round.year}年度${catNames}的通报`,
      addressee: '各村（社区）党组织、乡直各单位：',
      body: [
        {
          type: 'paragraph',
          text: `根据${round.title}安排，经各党组织推荐、资格审查、乡党委研究审定，并经公示无异议（异议已核查处理），${
            kind === '决定' ? `报经批准（${approvalRef}），乡党委决定授予以下同志（单位）相应称号。` : '乡党委决定对以下同志（单位）予以通报表扬。'
          }`,
        },
        ...list.flatMap(({ c, people }) => [
          { type: 'heading', level: 1, text: `${c.name}（${people.length}${c.target === 'ORG' ? '个' : '名'}）` },
          { type: 'paragraph', text: people.join('、') },
        ]),
        ...vacancyParagraphs(round, vacancies),
        { type: 'paragraph', text: '希望受到表扬的同志和单位珍惜荣誉、再接再厉。各党组织和广大党员干部要以他们为榜样，推动基层党建工作全面进步、全面过硬。' },
      ],
      signingOrgans: [organ.name],
      date: day,
    });
    const done = await this.audit.transaction(
      async (tx) => {
        const [locked] = await tx.$queryRaw<{ status: string }[]>`SELECT status::text AS status FROM commendation_round WHERE id = ${roundId}::uuid FOR UPDATE`;
        if (locked.status !== 'NOTICE') throw DomainError.conflict('表扬文件已经签发');
        await this.markIneligible(tx, actor, roundId, excluded);
        const doc = await this.documents.createIn(tx, actor, model);
        const signed = await this.documents.signIn(tx, actor, doc.id);
        await tx.commendationRound.update({
          where: { id: roundId },
          data: {
            status: 'DECIDED',
            decisionKind: kind,
            approvalRef: approvalRef ?? null,
            documentId: doc.id,
            decidedAt: new Date(),
            ...(vacancies.length ? { vacancies: json(vacancies) } : {}),
          },
        });
        await tx.commendationNominee.updateMany({ where: { id: { in: commended.map((n) => n.id) } }, data: { status: 'COMMENDED' } });
        await tx.commendation.createMany({
          data: commended.map((n) => ({
            roundId,
            nomineeId: n.id,
            year: round.year,
            title: round.categories.find((c) => c.key === n.categoryKey)?.name ?? '',
            personId: n.personId,
            orgId: n.orgId,
            byOrgId: round.orgId,
            documentId: doc.id,
            docNumber: signed.docNumber ?? '',
            conferredOn: shanghaiDay(new Date()),
          })),
        });
        await this.audit.record(tx, {
          actor,
          action: 'commendation.decide',
          entityType: 'commendation_round',
          entityId: roundId,
          data: {
            kind,
            ...(approvalRef ? { approvalRef } : {}),
            documentId: doc.id,
            docNumber: signed.docNumber ?? '',
            commended: commended.map((n) => n.id),
            excluded: excluded.map((x) => x.nominee.id),
            ...(vacancies.length ? { vacancies: vacancies.map((v) => ({ categoryKey: v.categoryKey, nomineeId: v.nomineeId })) } : {}),
          },
        });
        return { documentId: doc.id, docNumber: signed.docNumber };
      },
      { timeout: 60_000 },
    );
    await this.documents.issuePdf(actor, done.documentId);
    await this.rounds.signal(roundId);
    return {
      decided: true,
      ...done,
      commended: commended.length,
      excluded: excluded.map((x) => ({ nomineeId: x.nominee.id, rules: x.rules })),
      vacancies: vacancies.map((v) => ({ categoryKey: v.categoryKey, reason: v.reason })),
    };
  }

  /**
   * The decision's re-check excluded someone and a nominee in reserve can take the place: those excluded are marked
   * with the rule and the record, the replacements published in a fresh notice of their own, any place nobody can
   * take recorded as vacant; the round stays in notice and the decision is taken once the new period is over.
   */
  private async replaceAtDecision(
    actor: Actor,
    round: RoundRow,
    excluded: { nominee: CommendationNominee; rules: string[]; eligibility: unknown }[],
    replacements: { nominee: CommendationNominee; replaces: CommendationNominee }[],
    vacancies: Vacancy[],
    names: Names,
  ) {
    const notice = await this.audit.transaction(
      async (tx) => {
        const [locked] = await tx.$queryRaw<
          { status: string }[]
        >`SELECT status::text AS status FROM commendation_round WHERE id = ${round.id}::uuid FOR UPDATE`;
        if (locked.status !== 'NOTICE') throw DomainError.conflict('表扬文件已经签发');
        await this.markIneligible(tx, actor, round.id, excluded);
        if (vacancies.length !== round.vacancies.length) await tx.commendationRound.update({ where: { id: round.id }, data: { vacancies: json(vacancies) } });
        const seq = (await tx.commendationNotice.count({ where: { roundId: round.id } })) + 1;
        const issued = await this.issueNotice(
          tx,
          actor,
          round,
          replacements.map((r) => r.nominee),
          seq,
          'recheck',
        );
        await this.audit.record(tx, {
          actor,
          action: 'commendation.decide.replace',
          entityType: 'commendation_round',
          entityId: round.id,
          data: {
            replacements: replacements.map((r) => ({ nomineeId: r.nominee.id, replacesId: r.replaces.id })),
            excluded: excluded.map((x) => x.nominee.id),
            noticeId: issued.noticeId,
          },
        });
        return issued;
      },
      { timeout: 60_000 },
    );
    await this.documents.issuePdf(actor, notice.documentId);
    await this.rounds.signal(round.id);
    return {
      decided: false,
      excluded: excluded.map((x) => ({ nomineeId: x.nominee.id, name: nameOf(x.nominee, names), rules: x.rules })),
      replacements: replacements.map((r) => ({ nomineeId: r.nominee.id, name: nameOf(r.nominee, names), replacesId: r.replaces.id })),
      notice,
      vacancies: vacancies.map((v) => ({ categoryKey: v.categoryKey, reason: v.reason })),
    };
  }
}

/** “十强支部”名额 1 个，空缺 1 个（…）: the places the decision leaves empty, without naming those excluded. */
function vacancyParagraphs(round: RoundRow, vacancies: Vacancy[]) {
  const WHY = { objection: '经核查公示期间的异议属实取消表扬资格', recheck: '经资格复核不符合评选条件' } as const;
  return round.categories
    .map((c) => ({ c, vs: vacancies.filter((v) => v.categoryKey === c.key) }))
    .filter((x) => x.vs.length > 0)
    .map(({ c, vs }) => {
      const why = [...new Set(vs.map((v) => WHY[v.cause ?? 'recheck']))].join('或');
      const unit = c.target === 'ORG' ? '个' : '名';
      return { type: 'paragraph', text: `“${c.name}”名额 ${c.quota} ${unit}，空缺 ${vs.length} ${unit}（原拟表扬对象${why}，无符合条件的递补人选）。` };
    });
}
