import { salesTeamFunction } from '../../infra/manifest/sales-team';
import { defaultContext } from '../../lib/platform/context';
import { httpFunction } from '../../lib/platform/http/http-function';
import { created, versioned } from '../../lib/platform/http/reply';
import {
  createRep,
  getRep,
  getTarget,
  listReps,
  listTargets,
  listTrainings,
  recordTraining,
  regionScorecard,
  repScorecard,
  setTarget,
  updateRep,
} from '../../lib/sales-team/service';

export const handler = httpFunction(salesTeamFunction, {
  createSalesRep: async ({ actor, body }) => created('sales-reps', await createRep(defaultContext, actor, body)),
  listSalesReps: async ({ query }) => ({ body: await listReps(query) }),
  getSalesRep: async ({ params }) => versioned(await getRep(params.id)),
  updateSalesRep: async ({ actor, params, body, ifMatch }) => versioned(await updateRep(defaultContext, actor, params.id, body, ifMatch)),
  recordSalesTraining: async ({ actor, params, body }) => versioned(await recordTraining(defaultContext, actor, params.id, body)),
  listSalesTrainings: async ({ params, query }) => ({ body: await listTrainings(params.id, query) }),
  setSalesTarget: async ({ actor, params, body, ifMatch }) => {
    const { target, created: isNew } = await setTarget(defaultContext, actor, params, body, ifMatch);
    const reply = versioned(target);
    return isNew ? { ...reply, headers: { location: `/sales-targets/${target.scope}/${encodeURIComponent(target.subjectId)}/${target.period}` } } : { ...reply, status: 200 };
  },
  getSalesTarget: async ({ params }) => versioned(await getTarget(params)),
  listSalesTargets: async ({ query }) => ({ body: await listTargets(query) }),
  getRepScorecard: async ({ params, query }) => ({ body: await repScorecard(defaultContext, params.id, query.period) }),
  getRegionScorecard: async ({ params, query }) => ({ body: await regionScorecard(defaultContext, params.region, query.period) }),
});
