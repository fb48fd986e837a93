import { partnersFunction } from '../../infra/manifest/partners';
import {
  createAgreement,
  createChannel,
  createEvaluation,
  createPartner,
  getAgreement,
  getChannel,
  getEvaluation,
  listAgreements,
  listChannels,
  listEvaluations,
  listPartners,
  partnerPerformance,
  readPartner,
  updateAgreement,
  updateChannel,
  updatePartner,
} from '../../lib/partners/service';
import { defaultContext } from '../../lib/platform/context';
import { httpFunction } from '../../lib/platform/http/http-function';
import { created, versioned } from '../../lib/platform/http/reply';

const agreements = (partnerId: string) => `partners/${partnerId}/agreements`;
const evaluations = (partnerId: string) => `partners/${partnerId}/evaluations`;

export const handler = httpFunction(partnersFunction, {
  createChannel: async ({ actor, body }) => created('channels', await createChannel(defaultContext, actor, body)),
  listChannels: async ({ query }) => ({ body: await listChannels(query) }),
  getChannel: async ({ params }) => versioned(await getChannel(params.id)),
  updateChannel: async ({ actor, params, body, ifMatch }) => versioned(await updateChannel(defaultContext, actor, params.id, body, ifMatch)),
  createPartner: async ({ actor, body }) => created('partners', await createPartner(defaultContext, actor, body)),
  listPartners: async ({ actor, query }) => ({ body: await listPartners(actor, query) }),
  getPartner: async ({ actor, params }) => versioned(await readPartner(actor, params.id)),
  updatePartner: async ({ actor, params, body, ifMatch }) => versioned(await updatePartner(defaultContext, actor, params.id, body, ifMatch)),
  createAgreement: async ({ actor, params, body }) => created(agreements(params.id), await createAgreement(defaultContext, actor, params.id, body)),
  listAgreements: async ({ params, query }) => ({ body: await listAgreements(params.id, query) }),
  getAgreement: async ({ params }) => versioned(await getAgreement(params.id, params.agreementId)),
  updateAgreement: async ({ actor, params, body, ifMatch }) =>
    versioned(await updateAgreement(defaultContext, actor, params.id, params.agreementId, body, ifMatch)),
  createEvaluation: async ({ actor, params, body }) => created(evaluations(params.id), await createEvaluation(defaultContext, actor, params.id, body)),
  listEvaluations: async ({ params, query }) => ({ body: await listEvaluations(params.id, query) }),
  getEvaluation: async ({ params }) => versioned(await getEvaluation(params.id, params.evaluationId)),
  getPartnerPerformance: async ({ params, query }) => ({ body: await partnerPerformance(defaultContext, params.id, query.period) }),
});
