import { getProduct } from '../../catalog/service';
import { companyTimeZone } from '../../organization/service';
import { createdStamp, updatedStamp } from '../../platform/audit';
import type { Actor } from '../../platform/auth';
import type { ServiceContext } from '../../platform/context';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../../platform/errors';
import type { Page } from '../../platform/pagination';
import { cursorScope } from '../../platform/query';
import { localDate } from '../../platform/time';
import type { TransactItems } from '../../platform/transact';
import { assertIfMatch, lostUpdateError } from '../../platform/versioning';
import { unknownCompetitors } from '../competitors/service';
import { pricePointDeleteAction, pricePointPutAction, samePricePointKey } from '../competitors/store';
import type { PricePoint } from '../competitors/schema';
import { figureFillAction } from '../figures/service';
import { writesAnyIntel } from './access';
import {
  ALERT_IMPORTANCE,
  ALERT_KINDS,
  SALES_KIND,
  type IntelCreate,
  type IntelEntry,
  type IntelKind,
  type IntelListItem,
  type IntelListQuery,
  type IntelPatch,
  type IntelSearchQuery,
} from './schema';
import {
  MAX_ACTIONS,
  candidatePage,
  getEntryRecord,
  insertEntry,
  postingCount,
  queryIntelCounts,
  queryListed,
  replaceActions,
  replaceEntry,
  tokenOfCursor,
  type Candidate,
  type CandidateSource,
  type IntelCount,
  type StoredEntry,
} from './store';
import { MAX_QUERY_TOKENS, entryTokens, tokenize } from './tokens';

// ---- writes ---------------------------------------------------------------------------------

export async function createIntel(context: ServiceContext, actor: Actor, input: IntelCreate): Promise<IntelEntry> {
  if (!writesAnyIntel(actor) && input.kind !== SALES_KIND) throw new ForbiddenError(`Sales may record entries of kind ${SALES_KIND} only.`);
  const stamp = createdStamp(context, actor);
  const id = context.newId();
  const { price: priceInput, ...fields } = input;
  const entry: IntelEntry = { id, ...fields, ...stamp };
  const price = resolvePrice(priceInput, input.competitorIds);
  if (price) entry.price = price;
  await assertValid(context, entry, priceInput !== undefined, undefined);
  if (qualifiesForAlert(entry)) entry.alertedAt = stamp.createdAt;

  const stored: StoredEntry = { entry, tokens: entryTokens(entry.title, entry.summary), authorUserId: actor.userId };
  const extra = await extraActions(context, actor, entry, undefined);
  await insertEntry(stored, extra, () => figureRaced());
  return entry;
}

export async function getIntel(id: string): Promise<IntelEntry> {
  return (await getStored(id)).entry;
}

export async function updateIntel(context: ServiceContext, actor: Actor, id: string, patch: IntelPatch, ifMatch: number | undefined): Promise<IntelEntry> {
  const current = await getStored(id);
  assertIfMatch(ifMatch, current.entry.version);
  if (!writesAnyIntel(actor)) {
    if (current.authorUserId !== actor.userId || current.entry.kind !== SALES_KIND) throw new ForbiddenError('Sales may edit only their own field reports.');
    if (patch.kind !== undefined && patch.kind !== SALES_KIND) throw new ForbiddenError(`Sales may record entries of kind ${SALES_KIND} only.`);
  }
  const { body, region, figures, price, ...rest } = patch;
  const next: IntelEntry = { ...current.entry, ...rest, ...updatedStamp(context, actor, current.entry) };
  if (body === null) delete next.body;
  else if (body !== undefined) next.body = body;
  if (region === null) delete next.region;
  else if (region !== undefined) next.region = region;
  if (figures === null) delete next.figures;
  else if (figures !== undefined) next.figures = figures;
  if (price === null) delete next.price;
  else if (price !== undefined) next.price = resolvePrice(price, next.competitorIds);
  else if (next.price && rest.competitorIds && !next.competitorIds.includes(next.price.competitorId)) {
    throw new ValidationError('The entry is invalid.', [{ path: '$.body.competitorIds', message: `the price belongs to competitor ${next.price.competitorId}: keep it or change the price` }]);
  }
  await assertValid(context, next, price !== undefined && price !== null, current.entry);
  // Once per entry: the first time it qualifies, whatever happens to it afterwards.
  if (!next.alertedAt && qualifiesForAlert(next)) next.alertedAt = next.updatedAt;

  const stored: StoredEntry = { entry: next, tokens: entryTokens(next.title, next.summary), authorUserId: current.authorUserId };
  const actions = replaceActions(stored, current);
  const extra = await extraActions(context, actor, next, current.entry);
  if (actions.length + extra.length > MAX_ACTIONS) {
    throw new ValidationError(
      `This edit would rewrite ${actions.length + extra.length} index items at once; the limit is ${MAX_ACTIONS}. Change the observed day and the products, competitors, tags or words in separate edits.`,
    );
  }
  await replaceEntry(actions, extra, () => lostUpdateError(ifMatch), () => figureRaced());
  return next;
}

async function getStored(id: string): Promise<StoredEntry> {
  const stored = await getEntryRecord(id);
  if (!stored) throw new NotFoundError(`No market intelligence entry ${id}.`);
  return stored;
}

export function qualifiesForAlert(entry: Pick<IntelEntry, 'importance' | 'kind'>): boolean {
  return entry.importance === ALERT_IMPORTANCE && ALERT_KINDS.includes(entry.kind);
}

/** The price's competitor: the one given, or the entry's only competitor. */
function resolvePrice(price: IntelCreate['price'], competitorIds: readonly string[]): IntelEntry['price'] {
  if (!price) return undefined;
  const competitorId = price.competitorId ?? (competitorIds.length === 1 ? competitorIds[0] : undefined);
  if (!competitorId) {
    throw new ValidationError('The entry is invalid.', [{ path: '$.body.price.competitorId', message: 'name the competitor whose price this is (the entry names none or several)' }]);
  }
  return { amount: price.amount, competitorId, ...(price.competitorProduct ? { competitorProduct: price.competitorProduct } : {}) };
}

/** Rules across fields and items: the day, the price, and that products and competitors exist (only new ones on an edit). */
async function assertValid(context: ServiceContext, entry: IntelEntry, priceGiven: boolean, previous: IntelEntry | undefined): Promise<void> {
  const errors: FieldError[] = [];
  const today = localDate(context.clock.now(), await companyTimeZone());
  if (entry.observedOn > today) errors.push({ path: '$.body.observedOn', message: `must not be after today (${today})` });
  if (entry.price && entry.kind !== 'price-change') errors.push({ path: priceGiven ? '$.body.price' : '$.body.kind', message: 'a price belongs to a price-change entry only' });
  if (entry.price && !entry.competitorIds.includes(entry.price.competitorId)) {
    errors.push({ path: '$.body.price.competitorId', message: 'must be one of the entry’s competitorIds' });
  }
  const newProducts = entry.productIds.filter((productId) => !previous?.productIds.includes(productId));
  const newCompetitors = entry.competitorIds.filter((competitorId) => !previous?.competitorIds.includes(competitorId));
  const [productErrors, unknown] = await Promise.all([
    Promise.all(
      newProducts.map((productId) =>
        getProduct(productId).then(
          () => undefined,
          (error: unknown) => {
            if (!(error instanceof NotFoundError)) throw error;
            return { path: `$.body.productIds[${entry.productIds.indexOf(productId)}]`, message: `no product ${productId}` };
          },
        ),
      ),
    ),
    unknownCompetitors(newCompetitors),
  ]);
  errors.push(...productErrors.filter((error): error is FieldError => error !== undefined));
  errors.push(...unknown.map((competitorId) => ({ path: `$.body.competitorIds[${entry.competitorIds.indexOf(competitorId)}]`, message: `no competitor ${competitorId}` })));
  if (errors.length) throw new ValidationError('The entry is invalid.', errors);
}

/** The competitor's price point and the month's market figure, in the entry's transaction. */
async function extraActions(context: ServiceContext, actor: Actor, next: IntelEntry, previous: IntelEntry | undefined): Promise<TransactItems> {
  const actions: TransactItems = [];
  const before = previous ? pricePointOf(previous) : undefined;
  const after = pricePointOf(next);
  if (before && (!after || !samePricePointKey(before, after))) actions.push(pricePointDeleteAction(before));
  if (after && (!before || JSON.stringify(before) !== JSON.stringify(after))) actions.push(pricePointPutAction(after));
  const fill = await figureFillAction(context, actor, next.id, next.figures);
  if (fill) actions.push(fill);
  return actions;
}

function pricePointOf(entry: IntelEntry): PricePoint | undefined {
  if (!entry.price || entry.kind !== 'price-change') return undefined;
  return {
    competitorId: entry.price.competitorId,
    entryId: entry.id,
    observedOn: entry.observedOn,
    amount: entry.price.amount,
    ...(entry.price.competitorProduct ? { competitorProduct: entry.price.competitorProduct } : {}),
    ...(entry.region ? { region: entry.region } : {}),
  };
}

/** Only the figure's write carries a condition besides the entry's own: a PUT raced it. */
function figureRaced(): Error {
  return new ConflictError('The market figures of that month changed at the same time. Retry.');
}

// ---- the monthly report ---------------------------------------------------------------------

export type { IntelCount } from './store';

/** How many entries of each kind and importance were observed in a company-local month (kept by the writes). */
export function intelCountsOfMonth(month: string): Promise<IntelCount[]> {
  return queryIntelCounts(month);
}

/** The `limit` most important competitor moves or price changes observed in `month`, newest first within an importance. */
export function listedIntelOfMonth(kind: IntelKind, month: string, limit: number): Promise<IntelListItem[]> {
  return queryListed(kind, month, limit);
}

// ---- lists and search -----------------------------------------------------------------------

type Filters = Omit<IntelListQuery, 'limit' | 'cursor'>;

/**
 * Lists read one index, newest first: the most selective filter given drives the key condition
 * (competitor, product, tag, region, kind, importance — in that order), the day range is the
 * sort-key range, and the other filters are checked on the entries the index yields.
 */
export async function listIntel(query: IntelListQuery): Promise<Page<IntelListItem>> {
  const source = drivingSource(query);
  const others = otherFilters(query, source);
  return candidatePage(source, query, others, query.limit, query.cursor, cursorScope('market-intel', query));
}

/** Candidates read by the rarest word's postings are probed up to this many per word. */
const PROBE_CAP = 200;

/**
 * Full-text search over title and summary through the token index: every word must match. The
 * word with the fewest postings (counted up to PROBE_CAP) drives the read, newest first; the
 * others are verified against each candidate's token set. No ranking, no prefixes.
 */
export async function searchIntel(query: IntelSearchQuery): Promise<Page<IntelListItem>> {
  const tokens = tokenize(query.q);
  if (tokens.length === 0) throw new ValidationError('The search has no searchable words.', [{ path: '$.query.q', message: 'only stop words or punctuation' }]);
  if (tokens.length > MAX_QUERY_TOKENS) {
    throw new ValidationError('The search has too many words.', [{ path: '$.query.q', message: `at most ${MAX_QUERY_TOKENS} distinct words (CJK text counts two characters a word)` }]);
  }
  const { q: _q, limit, cursor, ...filters } = query;
  const scope = cursorScope('market-intel/search', { ...filters, q: tokens.join(' ') });
  let driver: string | undefined;
  if (cursor) {
    driver = await tokenOfCursor(cursor, scope);
    if (!driver || !tokens.includes(driver)) throw new ValidationError('The cursor is not valid for this list.', [{ path: '$.query.cursor', message: 'invalid or tampered cursor' }]);
  } else if (tokens.length === 1) {
    // One word: nothing to choose between, so no count; its postings are the page.
    driver = tokens[0] as string;
  } else {
    const counts = await Promise.all(tokens.map((token) => postingCount(token, query, PROBE_CAP)));
    if (counts.some((count) => count === 0)) return { items: [], nextCursor: null };
    driver = tokens[counts.indexOf(Math.min(...counts))] as string;
  }
  const others = tokens.filter((token) => token !== driver);
  const filter = otherFilters(filters, { kind: 'token', token: driver });
  const accept = others.length === 0 ? filter : (candidate: Candidate) => others.every((token) => candidate.tokens.includes(token)) && (!filter || filter(candidate));
  return candidatePage({ kind: 'token', token: driver }, query, accept, limit, cursor, scope);
}

function drivingSource(filters: Filters): CandidateSource {
  if (filters.competitorId) return { kind: 'ref', dimension: 'competitor', value: filters.competitorId };
  if (filters.productId) return { kind: 'ref', dimension: 'product', value: filters.productId };
  if (filters.tag) return { kind: 'ref', dimension: 'tag', value: filters.tag };
  if (filters.region) return { kind: 'ref', dimension: 'region', value: filters.region };
  if (filters.kind) return { kind: 'kind', value: filters.kind };
  if (filters.importance !== undefined) return { kind: 'importance', value: filters.importance };
  return { kind: 'all' };
}

/** The filters the driving index does not answer, as a check on a candidate (none: undefined). */
function otherFilters(filters: Filters, source: CandidateSource): ((candidate: Candidate) => boolean) | undefined {
  const drives = (kind: CandidateSource['kind'], dimension?: string) => source.kind === kind && (dimension === undefined || (source.kind === 'ref' && source.dimension === dimension));
  const checks: Array<(item: IntelListItem) => boolean> = [];
  const { competitorId, productId, tag, region, kind, importance } = filters;
  if (competitorId && !drives('ref', 'competitor')) checks.push((item) => item.competitorIds.includes(competitorId));
  if (productId && !drives('ref', 'product')) checks.push((item) => item.productIds.includes(productId));
  if (tag && !drives('ref', 'tag')) checks.push((item) => item.tags.includes(tag));
  if (region && !drives('ref', 'region')) checks.push((item) => item.region === region);
  if (kind && !drives('kind')) checks.push((item) => item.kind === kind);
  if (importance !== undefined && !drives('importance')) checks.push((item) => item.importance === importance);
  if (checks.length === 0) return undefined;
  return (candidate) => checks.every((check) => check(candidate.item));
}
