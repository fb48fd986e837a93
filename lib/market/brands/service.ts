import { createdStamp, updatedStamp } from '../../platform/audit';
import type { Actor } from '../../platform/auth';
import type { ServiceContext } from '../../platform/context';
import { NotFoundError } from '../../platform/errors';
import type { Page } from '../../platform/pagination';
import { cursorScope } from '../../platform/query';
import { assertIfMatch, lostUpdateError } from '../../platform/versioning';
import type { Brand, BrandCreate, BrandListQuery, BrandPatch, BrandVersionListQuery } from './schema';
import { getBrandRecord, getBrandVersionRecord, insertBrand, queryBrands, queryBrandVersions, replaceBrand } from './store';

export type { Brand } from './schema';

export async function createBrand(context: ServiceContext, actor: Actor, input: BrandCreate): Promise<Brand> {
  const brand: Brand = { id: context.newId(), ...input, ...createdStamp(context, actor) };
  await insertBrand(brand);
  return brand;
}

export async function getBrand(id: string): Promise<Brand> {
  const brand = await getBrandRecord(id);
  if (!brand) throw new NotFoundError(`No brand ${id}.`);
  return brand;
}

export function listBrands(query: BrandListQuery): Promise<Page<Brand>> {
  return queryBrands(query.limit, query.cursor, cursorScope('brands', query));
}

/**
 * A new version of the strategy: the patch on top of the current one. The change note belongs
 * to the version it explains, so a version without one carries none (it is not inherited).
 */
export async function updateBrand(context: ServiceContext, actor: Actor, id: string, patch: BrandPatch, ifMatch: number | undefined): Promise<Brand> {
  const current = await getBrand(id);
  assertIfMatch(ifMatch, current.version);
  const { changeNote, ...fields } = patch;
  const { changeNote: _previousNote, ...rest } = current;
  const next: Brand = { ...rest, ...fields, ...updatedStamp(context, actor, current), ...(changeNote !== undefined ? { changeNote } : {}) };
  await replaceBrand(next, current.version, () => lostUpdateError(ifMatch));
  return next;
}

export async function listBrandVersions(id: string, query: BrandVersionListQuery): Promise<Page<Brand>> {
  await getBrand(id);
  return queryBrandVersions(id, query.limit, query.cursor, cursorScope(`brands/${id}/versions`, query));
}

export async function getBrandVersion(id: string, version: number): Promise<Brand> {
  const found = await getBrandVersionRecord(id, version);
  if (!found) throw new NotFoundError(`No version ${version} of brand ${id}.`);
  return found;
}
