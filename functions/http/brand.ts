import { brandFunction } from '../../infra/manifest/brand';
import { createBrand, getBrand, getBrandVersion, listBrands, listBrandVersions, updateBrand } from '../../lib/market/brands/service';
import { createMaterial, listMaterials, moveMaterial } from '../../lib/market/campaigns/materials';
import { campaignAsSeenBy, campaignRoi, createCampaign, listCampaigns, readCampaign, updateCampaign } from '../../lib/market/campaigns/service';
import { defaultContext } from '../../lib/platform/context';
import { httpFunction } from '../../lib/platform/http/http-function';
import { created, versioned } from '../../lib/platform/http/reply';

const materials = (campaignId: string) => `campaigns/${campaignId}/materials`;

export const handler = httpFunction(brandFunction, {
  createBrand: async ({ actor, body }) => created('brands', await createBrand(defaultContext, actor, body)),
  listBrands: async ({ query }) => ({ body: await listBrands(query) }),
  getBrand: async ({ params }) => versioned(await getBrand(params.id)),
  updateBrand: async ({ actor, params, body, ifMatch }) => versioned(await updateBrand(defaultContext, actor, params.id, body, ifMatch)),
  listBrandVersions: async ({ params, query }) => ({ body: await listBrandVersions(params.id, query) }),
  getBrandVersion: async ({ params }) => versioned(await getBrandVersion(params.id, params.version)),
  createCampaign: async ({ actor, body }) => created('campaigns', campaignAsSeenBy(actor, await createCampaign(defaultContext, actor, body))),
  listCampaigns: async ({ actor, query }) => ({ body: await listCampaigns(actor, query) }),
  getCampaign: async ({ actor, params }) => versioned(await readCampaign(actor, params.id)),
  updateCampaign: async ({ actor, params, body, ifMatch }) => versioned(campaignAsSeenBy(actor, await updateCampaign(defaultContext, actor, params.id, body, ifMatch))),
  getCampaignRoi: async ({ params, query }) => ({ body: await campaignRoi(defaultContext, params.id, query) }),
  createMaterial: async ({ actor, params, body }) => created(materials(params.id), await createMaterial(defaultContext, actor, params.id, body)),
  listMaterials: async ({ params, query }) => ({ body: await listMaterials(params.id, query) }),
  submitMaterial: async ({ actor, params, ifMatch }) => versioned(await moveMaterial(defaultContext, actor, params.id, params.materialId, 'submit', ifMatch)),
  approveMaterial: async ({ actor, params, ifMatch }) => versioned(await moveMaterial(defaultContext, actor, params.id, params.materialId, 'approve', ifMatch)),
  rejectMaterial: async ({ actor, params, body, ifMatch }) =>
    versioned(await moveMaterial(defaultContext, actor, params.id, params.materialId, 'reject', ifMatch, body.reason)),
  retireMaterial: async ({ actor, params, ifMatch }) => versioned(await moveMaterial(defaultContext, actor, params.id, params.materialId, 'retire', ifMatch)),
});
