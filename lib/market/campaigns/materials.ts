import { listDepartments } from '../../organization/service';
import { createdStamp, updatedStamp } from '../../platform/audit';
import { auditName, type Actor } from '../../platform/auth';
import type { ServiceContext } from '../../platform/context';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors';
import type { Page } from '../../platform/pagination';
import { cursorScope } from '../../platform/query';
import { assertIfMatch, lostUpdateError } from '../../platform/versioning';
import { MAX_MATERIAL_HISTORY, type Material, type MaterialAction, type MaterialCreate, type MaterialListQuery, type MaterialStatus } from './schema';
import { getCampaign } from './service';
import { getMaterialRecord, insertMaterial, queryMaterials, replaceMaterial } from './store';

export type { Material } from './schema';

/** The approval flow: draft → review → approved → retired; a rejection sends it back to draft. */
const MOVES: Record<MaterialAction, { from: MaterialStatus; to: MaterialStatus }> = {
  submit: { from: 'draft', to: 'review' },
  approve: { from: 'review', to: 'approved' },
  reject: { from: 'review', to: 'draft' },
  retire: { from: 'approved', to: 'retired' },
};

const DONE: Record<MaterialAction, string> = { submit: 'submitted', approve: 'approved', reject: 'rejected', retire: 'retired' };

export async function createMaterial(context: ServiceContext, actor: Actor, campaignId: string, input: MaterialCreate): Promise<Material> {
  await getCampaign(campaignId);
  const material: Material = { id: context.newId(), campaignId, ...input, status: 'draft', history: [], ...createdStamp(context, actor) };
  await insertMaterial(material);
  return material;
}

export async function getMaterial(campaignId: string, id: string): Promise<Material> {
  const material = await getMaterialRecord(campaignId, id);
  if (!material) throw new NotFoundError(`No material ${id} of campaign ${campaignId}.`);
  return material;
}

export async function listMaterials(campaignId: string, query: MaterialListQuery): Promise<Page<Material>> {
  await getCampaign(campaignId);
  return queryMaterials(campaignId, query.limit, query.cursor, cursorScope(`campaigns/${campaignId}/materials`, query));
}

/**
 * Approving and rejecting are the market head's or management's. Tokens carry departments, not
 * headships, so a `market` user qualifies when their email is the market department head's
 * (case-insensitive), read from the organization at the moment of the decision.
 */
async function assertApprover(actor: Actor): Promise<void> {
  if (actor.roles.includes('management')) return;
  if (actor.roles.includes('market') && actor.email) {
    const market = (await listDepartments()).find((department) => department.code === 'market');
    if (market?.head && market.head.email.toLowerCase() === actor.email.toLowerCase()) return;
  }
  throw new ForbiddenError('Materials are approved or rejected by the market department’s head (the user with the head’s email) or by management.');
}

/** One move of the approval flow, recorded with who and when; an illegal move is 409. */
export async function moveMaterial(
  context: ServiceContext,
  actor: Actor,
  campaignId: string,
  id: string,
  action: MaterialAction,
  ifMatch: number | undefined,
  reason?: string,
): Promise<Material> {
  if (action === 'approve' || action === 'reject') await assertApprover(actor);
  const current = await getMaterial(campaignId, id);
  assertIfMatch(ifMatch, current.version);
  const move = MOVES[action];
  if (current.status !== move.from) {
    const possible = (Object.keys(MOVES) as MaterialAction[]).filter((candidate) => MOVES[candidate].from === current.status);
    throw new ConflictError(
      `A ${current.status} material cannot be ${DONE[action]}: only a ${move.from} one can. ${possible.length ? `It can be ${possible.map((candidate) => DONE[candidate]).join(' or ')}.` : 'It is retired.'}`,
      { currentStatus: current.status, allowed: possible },
    );
  }
  if (current.history.length >= MAX_MATERIAL_HISTORY) {
    throw new ConflictError(`The material has been through ${MAX_MATERIAL_HISTORY} review steps; add it again as a new material.`);
  }
  const stamp = updatedStamp(context, actor, current);
  const step = { action, from: move.from, to: move.to, at: stamp.updatedAt, by: auditName(actor), ...(reason !== undefined ? { reason } : {}) };
  const next: Material = { ...current, ...stamp, status: move.to, history: [...current.history, step] };
  if (action === 'approve') Object.assign(next, { approvedAt: stamp.updatedAt, approvedBy: stamp.updatedBy });
  await replaceMaterial(next, current.version, () => lostUpdateError(ifMatch));
  return next;
}
