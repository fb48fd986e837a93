import { getProduct } from '../catalog/service';
import { getSettings } from '../organization/service';
import { createdStamp, updatedStamp } from '../platform/audit';
import type { Actor } from '../platform/auth';
import type { ServiceContext } from '../platform/context';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../platform/errors';
import type { Page } from '../platform/pagination';
import { cursorScope } from '../platform/query';
import type { Role } from '../platform/roles';
import { addDays, localMonth, nextMonth } from '../platform/time';
import { assertIfMatch, lostUpdateError } from '../platform/versioning';
import { salesTotal } from '../sales/aggregates';
import { periodMonths, type Period } from '../sales/period';
import {
  isPartnerChannelType,
  type Agreement,
  type AgreementCreate,
  type AgreementListQuery,
  type AgreementPatch,
  type Channel,
  type ChannelCreate,
  type ChannelListQuery,
  type ChannelPatch,
  type ChannelType,
  type Evaluation,
  type EvaluationCreate,
  type Partner,
  type PartnerCreate,
  type PartnerListQuery,
  type PartnerPatch,
  type Performance,
} from './schema';
import {
  getAgreementCalendar,
  getAgreementRecord,
  getChannelRecord,
  getEvaluationRecord,
  getPartnerRecord,
  insertAgreement,
  insertChannel,
  insertEvaluation,
  insertPartner,
  queryAgreements,
  queryChannels,
  queryEvaluations,
  queryPartners,
  replaceAgreement,
  replaceChannel,
  replacePartner,
  type AgreementCalendar,
  type CalendarEntry,
} from './store';
import { attainmentPercent, gradeOf, rebateAmount, reachedTier, weightedScore } from './terms';

export type { Agreement, Channel, Evaluation, Partner, Performance } from './schema';

// ---- company settings ------------------------------------------------------------------------

let cachedSettings: { timeZone: string; currency: string; until: number } | undefined;

/**
 * The company time zone decides when a period is closed; the company currency is the one the
 * sales figures are kept in. Settings change rarely, so they are cached for a minute.
 */
async function companySettings(): Promise<{ timeZone: string; currency: string }> {
  if (cachedSettings && cachedSettings.until > Date.now()) return cachedSettings;
  const { timeZone, currency } = await getSettings();
  cachedSettings = { timeZone, currency, until: Date.now() + 60_000 };
  return cachedSettings;
}

// ---- channels --------------------------------------------------------------------------------

export async function createChannel(context: ServiceContext, actor: Actor, input: ChannelCreate): Promise<Channel> {
  if (input.partnerId !== undefined) await assertChannelPartner(input.type, input.partnerId);
  const channel: Channel = { id: context.newId(), ...input, ...createdStamp(context, actor) };
  await insertChannel(channel);
  return channel;
}

export async function getChannel(id: string): Promise<Channel> {
  const channel = await getChannelRecord(id);
  if (!channel) throw new NotFoundError(`No channel ${id}.`);
  return channel;
}

export function listChannels(query: ChannelListQuery): Promise<Page<Channel>> {
  return queryChannels(query, cursorScope('channels', query));
}

export async function updateChannel(context: ServiceContext, actor: Actor, id: string, patch: ChannelPatch, ifMatch: number | undefined): Promise<Channel> {
  const current = await getChannel(id);
  assertIfMatch(ifMatch, current.version);
  if (patch.partnerId !== undefined) {
    if (!isPartnerChannelType(current.type)) {
      const message = `${withArticle(current.type)} channel has no partner`;
      throw new ValidationError(`The channel is invalid: ${message}.`, [{ path: '$.body.partnerId', message }]);
    }
    await assertChannelPartner(current.type, patch.partnerId);
  }
  const { notes, resources, ...rest } = patch;
  const next: Channel = { ...current, ...rest, ...updatedStamp(context, actor, current) };
  if (notes === null) delete next.notes;
  else if (notes !== undefined) next.notes = notes;
  if (resources === null) delete next.resources;
  else if (resources !== undefined) next.resources = resources;
  await replaceChannel(next, current.version, () => lostUpdateError(ifMatch));
  return next;
}

/** A distributor channel is run by a distributor, an agent channel by an agent. */
async function assertChannelPartner(type: ChannelType, partnerId: string): Promise<void> {
  const partner = await getPartnerRecord(partnerId);
  const problem = !partner ? `no partner ${partnerId}` : partner.kind !== type ? `partner ${partnerId} is ${withArticle(partner.kind)}, not ${withArticle(type)}` : undefined;
  if (problem) throw new ValidationError(`The channel’s partner does not fit: ${problem}.`, [{ path: '$.body.partnerId', message: problem }]);
}

function withArticle(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

// ---- partners --------------------------------------------------------------------------------

/** Who sees a partner's contact person; `market` reads partners without it. */
const CONTACT_READERS: readonly Role[] = ['sales', 'management', 'admin'];

/** The partner as the actor may see it (property-level filtering of the response). */
export function partnerAsSeenBy(actor: Actor, partner: Partner): Partner {
  if (actor.roles.some((role) => CONTACT_READERS.includes(role))) return partner;
  const { contact: _hidden, ...rest } = partner;
  return rest;
}

export async function createPartner(context: ServiceContext, actor: Actor, input: PartnerCreate): Promise<Partner> {
  const partner: Partner = { id: context.newId(), ...input, ...createdStamp(context, actor) };
  await insertPartner(partner);
  return partner;
}

export async function getPartner(id: string): Promise<Partner> {
  const partner = await getPartnerRecord(id);
  if (!partner) throw new NotFoundError(`No partner ${id}.`);
  return partner;
}

export async function readPartner(actor: Actor, id: string): Promise<Partner> {
  return partnerAsSeenBy(actor, await getPartner(id));
}

export async function listPartners(actor: Actor, query: PartnerListQuery): Promise<Page<Partner>> {
  const page = await queryPartners(query, cursorScope('partners', query));
  return { ...page, items: page.items.map((partner) => partnerAsSeenBy(actor, partner)) };
}

export async function updatePartner(context: ServiceContext, actor: Actor, id: string, patch: PartnerPatch, ifMatch: number | undefined): Promise<Partner> {
  const current = await getPartner(id);
  assertIfMatch(ifMatch, current.version);
  const { notes, ...rest } = patch;
  const next: Partner = { ...current, ...rest, ...updatedStamp(context, actor, current) };
  if (notes === null) delete next.notes;
  else if (notes !== undefined) next.notes = notes;
  await replacePartner(next, current.version, () => lostUpdateError(ifMatch));
  return next;
}

// ---- agreements ------------------------------------------------------------------------------

/** Attempts at writing the calendar while other agreements of the partner are written. */
const CALENDAR_ATTEMPTS = 10;

/** Thrown by the store when the calendar changed since it was read: read again and re-check. */
class CalendarMovedError extends Error {}

type AgreementTerms = Omit<Agreement, 'id' | 'partnerId' | 'version' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'>;

export async function createAgreement(context: ServiceContext, actor: Actor, partnerId: string, input: AgreementCreate): Promise<Agreement> {
  const partner = await getPartner(partnerId);
  await checkTerms(partner, input, () => true);
  const agreement: Agreement = { id: context.newId(), partnerId, ...input, ...createdStamp(context, actor) };
  await withCalendar(partnerId, async (calendar) => {
    assertNoOverlap(calendar, agreement);
    await insertAgreement(agreement, calendar, () => new CalendarMovedError());
  });
  return agreement;
}

export async function getAgreement(partnerId: string, id: string): Promise<Agreement> {
  const agreement = await getAgreementRecord(partnerId, id);
  if (!agreement) throw new NotFoundError(`No agreement ${id} of partner ${partnerId}.`);
  return agreement;
}

export async function listAgreements(partnerId: string, query: AgreementListQuery): Promise<Page<Agreement>> {
  await getPartner(partnerId);
  return queryAgreements(partnerId, query.limit, query.cursor, cursorScope(`partners/${partnerId}/agreements`, query));
}

export async function updateAgreement(
  context: ServiceContext,
  actor: Actor,
  partnerId: string,
  id: string,
  patch: AgreementPatch,
  ifMatch: number | undefined,
): Promise<Agreement> {
  const [partner, current] = await Promise.all([getPartner(partnerId), getAgreement(partnerId, id)]);
  assertIfMatch(ifMatch, current.version);
  const { notes, ...rest } = patch;
  const next: Agreement = { ...current, ...rest, ...updatedStamp(context, actor, current) };
  if (notes === null) delete next.notes;
  else if (notes !== undefined) next.notes = notes;
  await checkTerms(partner, next, (field) => field in patch);
  const periodChanged = next.period.from !== current.period.from || next.period.to !== current.period.to;
  const onLostUpdate = () => lostUpdateError(ifMatch);
  if (!periodChanged) {
    await replaceAgreement(next, current.version, undefined, onLostUpdate, () => new CalendarMovedError());
    return next;
  }
  await withCalendar(partnerId, async (calendar) => {
    assertNoOverlap(calendar, next);
    await replaceAgreement(next, current.version, calendar, onLostUpdate, () => new CalendarMovedError());
  });
  return next;
}

/**
 * The agreement of the partner whose period contains `onDate` (yyyy-mm-dd), if any. Agreements
 * of one partner never overlap, so there is at most one. An unknown partner has none.
 */
export async function activeAgreement(partnerId: string, onDate: string): Promise<Agreement | undefined> {
  const calendar = await getAgreementCalendar(partnerId);
  const entry = calendar.entries.find((candidate) => candidate.from <= onDate && onDate <= candidate.to);
  return entry ? getAgreementRecord(partnerId, entry.agreementId, true) : undefined;
}

/** Runs `write` on the freshly read calendar until it commits without a concurrent change. */
async function withCalendar(partnerId: string, write: (calendar: AgreementCalendar) => Promise<void>): Promise<void> {
  for (let attempt = 1; attempt <= CALENDAR_ATTEMPTS; attempt++) {
    try {
      await write(await getAgreementCalendar(partnerId));
      return;
    } catch (error) {
      if (!(error instanceof CalendarMovedError)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(500, 20 * 2 ** attempt)));
    }
  }
  throw new ConflictError('Other agreements of this partner are being changed at the same time; retry.');
}

function assertNoOverlap(calendar: AgreementCalendar, agreement: Agreement): void {
  const { from, to } = agreement.period;
  const clash = calendar.entries.find((entry: CalendarEntry) => entry.agreementId !== agreement.id && entry.from <= to && from <= entry.to);
  if (clash) {
    throw new ConflictError(`The partner’s agreement ${clash.agreementId} already covers ${clash.from} to ${clash.to}; agreements of one partner must not overlap.`, {
      conflictingAgreement: { id: clash.agreementId, from: clash.from, to: clash.to },
    });
  }
}

/**
 * The rules a schema cannot check alone: regions within the partner's, amounts in the company
 * currency (they are compared with the sales figures), catalog products, targets within the
 * agreement's months. `sent` says which fields the request carried, so an error points at them.
 */
async function checkTerms(partner: Partner, terms: AgreementTerms, sent: (field: keyof AgreementTerms) => boolean): Promise<void> {
  const { currency } = await companySettings();
  const errors: FieldError[] = [];
  if (sent('regions')) {
    terms.regions.forEach((region, index) => {
      if (!partner.regions.includes(region)) errors.push({ path: `$.body.regions[${index}]`, message: `${region} is not one of the partner’s regions (${partner.regions.join(', ')})` });
    });
  }
  if (sent('targets') || sent('period')) {
    const first = terms.period.from.slice(0, 7);
    const last = terms.period.to.slice(0, 7);
    terms.targets.forEach((target, index) => {
      const months = periodMonths(target.period);
      const at = sent('targets') ? `$.body.targets[${index}]` : '$.body.period';
      if ((months[0] as string) < first || (months.at(-1) as string) > last) {
        errors.push({ path: sent('targets') ? `${at}.period` : at, message: `the target for ${target.period} falls outside the agreement’s months ${first} to ${last}` });
      }
      if (sent('targets') && target.revenue.currency !== currency) {
        errors.push({ path: `${at}.revenue.currency`, message: `targets are in the company currency ${currency}` });
      }
    });
  }
  if (sent('pricing') && terms.pricing.kind === 'price-list') {
    const prices = terms.pricing.prices;
    prices.forEach((entry, index) => {
      if (entry.unitPrice.currency !== currency) errors.push({ path: `$.body.pricing.prices[${index}].unitPrice.currency`, message: `prices are in the company currency ${currency}` });
    });
    const missing = await missingProducts(prices.map((entry) => entry.productId));
    prices.forEach((entry, index) => {
      if (missing.has(entry.productId)) errors.push({ path: `$.body.pricing.prices[${index}].productId`, message: `no product ${entry.productId}` });
    });
  }
  if (errors.length) throw new ValidationError(`The agreement is invalid: ${errors.map((error) => `${error.path} ${error.message}`).join('; ')}`, errors);
}

/** Which of `ids` the catalog does not know, looked up 25 at a time. */
async function missingProducts(ids: string[]): Promise<Set<string>> {
  const missing = new Set<string>();
  for (let start = 0; start < ids.length; start += 25) {
    await Promise.all(
      ids.slice(start, start + 25).map((id) =>
        getProduct(id).catch((error: unknown) => {
          if (!(error instanceof NotFoundError)) throw error;
          missing.add(id);
        }),
      ),
    );
  }
  return missing;
}

// ---- performance and evaluations -------------------------------------------------------------

/**
 * Actual sales through the partner in the period (from the sales figures) against the target
 * its agreement sets for exactly that period, and — once the period is closed — the rebate owed
 * from the agreement's tiers. Computed on every read; never entered.
 */
export async function partnerPerformance(context: ServiceContext, partnerId: string, period: Period): Promise<Performance> {
  await getPartner(partnerId);
  const months = periodMonths(period);
  const firstMonth = months[0] as string;
  const lastMonth = months.at(-1) as string;
  const [settings, figures, agreement] = await Promise.all([
    companySettings(),
    salesTotal('partner', partnerId, months),
    agreementForPeriod(partnerId, period, `${firstMonth}-01`, addDays(`${nextMonth(lastMonth)}-01`, -1)),
  ]);
  const now = context.clock.now();
  const closed = lastMonth < localMonth(now, settings.timeZone);
  const target = agreement?.targets.find((candidate) => candidate.period === period)?.revenue ?? null;
  const revenue = figures.revenue;
  const base = {
    partnerId,
    period,
    firstMonth,
    lastMonth,
    closed,
    computedAt: now.toISOString(),
    actual: {
      revenue: { amount: revenue, currency: settings.currency },
      grossProfit: { amount: figures.grossProfit, currency: settings.currency },
      quantity: figures.quantity,
      orders: figures.orders,
    },
    agreementId: agreement?.id ?? null,
    target,
  };
  if (!agreement || !target) {
    return {
      ...base,
      attainmentPercent: null,
      rebate: { status: 'no-target', tier: null, amount: null, detail: `No agreement of the partner sets a target for ${period}: no attainment and no rebate.` },
    };
  }
  const attainment = attainmentPercent(revenue, target.amount);
  if (!closed) {
    return {
      ...base,
      attainmentPercent: attainment,
      rebate: {
        status: 'period-open',
        tier: null,
        amount: null,
        detail: `${period} runs to the end of ${lastMonth} (${settings.timeZone}); the rebate is computed once it is closed.`,
      },
    };
  }
  const tier = reachedTier(agreement.rebateTiers, revenue, target.amount) ?? null;
  return {
    ...base,
    attainmentPercent: attainment,
    rebate: {
      status: 'computed',
      tier,
      amount: { amount: rebateAmount(revenue, tier ?? undefined), currency: target.currency },
      detail: tier
        ? `Attainment ${attainment} % reaches the ${tier.attainmentPercent} % tier: ${tier.rebatePercent} % of the revenue, rounded half-up to a minor unit.`
        : `Attainment ${attainment} % reaches no rebate tier: nothing is owed.`,
    },
  };
}

/**
 * The agreement an evaluation of `period` reads: among the partner's agreements in force
 * during the period, the one with a target for exactly that period; else the latest of them.
 */
async function agreementForPeriod(partnerId: string, period: Period, firstDay: string, lastDay: string): Promise<Agreement | undefined> {
  const calendar = await getAgreementCalendar(partnerId);
  const during = calendar.entries.filter((entry) => entry.from <= lastDay && firstDay <= entry.to).sort((a, b) => b.from.localeCompare(a.from));
  const agreements = (await Promise.all(during.map((entry) => getAgreementRecord(partnerId, entry.agreementId, true)))).filter(
    (agreement): agreement is Agreement => agreement !== undefined,
  );
  return agreements.find((agreement) => agreement.targets.some((target) => target.period === period)) ?? agreements[0];
}

export async function createEvaluation(context: ServiceContext, actor: Actor, partnerId: string, input: EvaluationCreate): Promise<Evaluation> {
  const performance = await partnerPerformance(context, partnerId, input.period);
  const score = weightedScore(input.criteria);
  const evaluation: Evaluation = {
    id: context.newId(),
    partnerId,
    ...input,
    score,
    grade: gradeOf(score),
    performance,
    ...createdStamp(context, actor),
  };
  await insertEvaluation(evaluation);
  return evaluation;
}

export async function getEvaluation(partnerId: string, id: string): Promise<Evaluation> {
  const evaluation = await getEvaluationRecord(partnerId, id);
  if (!evaluation) throw new NotFoundError(`No evaluation ${id} of partner ${partnerId}.`);
  return evaluation;
}

export async function listEvaluations(partnerId: string, query: { limit: number; cursor?: string | undefined }): Promise<Page<Evaluation>> {
  await getPartner(partnerId);
  return queryEvaluations(partnerId, query.limit, query.cursor, cursorScope(`partners/${partnerId}/evaluations`, query));
}
