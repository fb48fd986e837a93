import { getProduct } from '../../catalog/service';
import { createdStamp, updatedStamp } from '../../platform/audit';
import type { Actor } from '../../platform/auth';
import type { ServiceContext } from '../../platform/context';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../platform/errors';
import type { Page } from '../../platform/pagination';
import { cursorScope } from '../../platform/query';
import { assertIfMatch, lostUpdateError } from '../../platform/versioning';
import type { Competitor, CompetitorCreate, CompetitorListQuery, CompetitorPatch, PricePoint } from './schema';
import { getCompetitorRecord, insertCompetitor, latestPricePoints, queryCompetitors, replaceCompetitor } from './store';

const duplicateName = (name: string) => () => new ConflictError(`A competitor named ${name} already exists.`, { field: 'name' });

export async function createCompetitor(context: ServiceContext, actor: Actor, input: CompetitorCreate): Promise<Competitor> {
  await assertMappedProductsExist(input.products);
  const competitor: Competitor = { id: context.newId(), ...input, ...createdStamp(context, actor) };
  await insertCompetitor(competitor, duplicateName(input.name));
  return competitor;
}

export async function getCompetitor(id: string): Promise<Competitor> {
  const competitor = await getCompetitorRecord(id);
  if (!competitor) throw new NotFoundError(`No competitor ${id}.`);
  return competitor;
}

export async function listCompetitors(query: CompetitorListQuery): Promise<Page<Competitor>> {
  return queryCompetitors(query.name, query.limit, query.cursor, cursorScope('competitors', query));
}

export async function updateCompetitor(context: ServiceContext, actor: Actor, id: string, patch: CompetitorPatch, ifMatch: number | undefined): Promise<Competitor> {
  const current = await getCompetitor(id);
  assertIfMatch(ifMatch, current.version);
  const { website, description, ...rest } = patch;
  if (rest.products) await assertMappedProductsExist(rest.products);
  const next: Competitor = { ...current, ...rest, ...updatedStamp(context, actor, current) };
  if (website === null) delete next.website;
  else if (website !== undefined) next.website = website;
  if (description === null) delete next.description;
  else if (description !== undefined) next.description = description;
  await replaceCompetitor(next, current, () => lostUpdateError(ifMatch), duplicateName(next.name));
  return next;
}

export async function competitorPricePoints(id: string, limit: number): Promise<PricePoint[]> {
  return latestPricePoints(id, limit);
}

/** The ids of `ids` that name no competitor. */
export async function unknownCompetitors(ids: readonly string[]): Promise<string[]> {
  const found = await Promise.all(ids.map((id) => getCompetitorRecord(id)));
  return ids.filter((_, index) => !found[index]);
}

async function assertMappedProductsExist(products: CompetitorCreate['products']): Promise<void> {
  const errors: FieldError[] = [];
  await Promise.all(
    products.flatMap((product, productIndex) =>
      product.competesWith.map((productId, index) =>
        getProduct(productId).catch((error: unknown) => {
          if (!(error instanceof NotFoundError)) throw error;
          errors.push({ path: `$.body.products[${productIndex}].competesWith[${index}]`, message: `no product ${productId}` });
        }),
      ),
    ),
  );
  if (errors.length) throw new ValidationError('The competitor names products that do not exist.', errors.sort((a, b) => a.path.localeCompare(b.path)));
}
