import { createdStamp, updatedStamp } from '../../platform/audit';
import type { Actor } from '../../platform/auth';
import type { ServiceContext } from '../../platform/context';
import { NotFoundError } from '../../platform/errors';
import type { Page } from '../../platform/pagination';
import { cursorScope } from '../../platform/query';
import type { TransactItems } from '../../platform/transact';
import { assertIfMatch, lostUpdateError } from '../../platform/versioning';
import type { IntelFigures } from '../intel/schema';
import type { FigureInput, FigureListQuery, FigureParams, MarketFigure } from './schema';
import { figurePutAction, getFigureRecord, queryFigures, saveFigure } from './store';

/**
 * `market` states a month's figures for a category: the PUT replaces what was there (a new
 * version), conditioned on the version read — and on If-Match's when given (412 when stale).
 */
export async function putFigure(context: ServiceContext, actor: Actor, params: FigureParams, input: FigureInput, ifMatch: number | undefined): Promise<MarketFigure> {
  const current = await getFigureRecord(params.category, params.month);
  if (current) assertIfMatch(ifMatch, current.version);
  else if (ifMatch !== undefined) assertIfMatch(ifMatch, 0);
  const stamp = current ? { ...current, ...updatedStamp(context, actor, current) } : createdStamp(context, actor);
  const figure: MarketFigure = {
    category: params.category,
    month: params.month,
    ...(input.marketSize ? { marketSize: input.marketSize } : {}),
    ...(input.sharePercent !== undefined ? { sharePercent: input.sharePercent } : {}),
    ...(input.sourceNote ? { sourceNote: input.sourceNote } : {}),
    fromEntries: current?.fromEntries ?? [],
    version: stamp.version,
    createdAt: stamp.createdAt,
    createdBy: stamp.createdBy,
    updatedAt: stamp.updatedAt,
    updatedBy: stamp.updatedBy,
  };
  await saveFigure(figure, current?.version, () => lostUpdateError(ifMatch));
  return figure;
}

export async function getFigure(params: FigureParams): Promise<MarketFigure> {
  const figure = await getFigureRecord(params.category, params.month);
  if (!figure) throw new NotFoundError(`No market figures for ${params.category} in ${params.month}.`);
  return figure;
}

export async function listFigures(query: FigureListQuery): Promise<Page<MarketFigure>> {
  return queryFigures(query.category, query.from, query.to, query.limit, query.cursor, cursorScope('market-figures', query));
}

/**
 * The rule for figures carried by an entry (with a category and a month): they fill what the
 * month does not know yet — the market size when it is money, our share — and never overwrite
 * a value, whoever set it. Returns the write to ride in the entry's transaction (conditioned on
 * the version read, so a concurrent PUT makes the entry's write fail with 409), or nothing.
 */
export async function figureFillAction(context: ServiceContext, actor: Actor, entryId: string, figures: IntelFigures | undefined): Promise<TransactItems[number] | undefined> {
  if (!figures?.category || !figures.month) return undefined;
  const size = figures.marketSize && 'currency' in figures.marketSize ? figures.marketSize : undefined;
  const current = await getFigureRecord(figures.category, figures.month);
  const fillsSize = size !== undefined && current?.marketSize === undefined;
  const fillsShare = figures.sharePercent !== undefined && current?.sharePercent === undefined;
  if (!fillsSize && !fillsShare) return undefined;
  const stamp = current ? { ...current, ...updatedStamp(context, actor, current) } : createdStamp(context, actor);
  const figure: MarketFigure = {
    ...(current ?? { category: figures.category, month: figures.month, fromEntries: [] }),
    ...(fillsSize ? { marketSize: size } : {}),
    ...(fillsShare ? { sharePercent: figures.sharePercent } : {}),
    fromEntries: [...new Set([...(current?.fromEntries ?? []), entryId])],
    version: stamp.version,
    createdAt: stamp.createdAt,
    createdBy: stamp.createdBy,
    updatedAt: stamp.updatedAt,
    updatedBy: stamp.updatedBy,
  };
  return figurePutAction(figure, current?.version);
}
