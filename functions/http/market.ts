import { marketFunction } from '../../infra/manifest/market';
import { createCompetitor, listCompetitors, updateCompetitor } from '../../lib/market/competitors/service';
import { competitorPage } from '../../lib/market/competitors/timeline';
import { listFigures, putFigure } from '../../lib/market/figures/service';
import { createIntel, getIntel, listIntel, searchIntel, updateIntel } from '../../lib/market/intel/service';
import { defaultContext } from '../../lib/platform/context';
import { httpFunction } from '../../lib/platform/http/http-function';
import { created, versioned } from '../../lib/platform/http/reply';

export const handler = httpFunction(marketFunction, {
  createMarketIntel: async ({ actor, body }) => created('market-intel', await createIntel(defaultContext, actor, body)),
  listMarketIntel: async ({ query }) => ({ body: await listIntel(query) }),
  searchMarketIntel: async ({ query }) => ({ body: await searchIntel(query) }),
  getMarketIntel: async ({ params }) => versioned(await getIntel(params.id)),
  updateMarketIntel: async ({ actor, params, body, ifMatch }) => versioned(await updateIntel(defaultContext, actor, params.id, body, ifMatch)),
  createCompetitor: async ({ actor, body }) => created('competitors', await createCompetitor(defaultContext, actor, body)),
  listCompetitors: async ({ query }) => ({ body: await listCompetitors(query) }),
  getCompetitor: async ({ params }) => versioned(await competitorPage(params.id)),
  updateCompetitor: async ({ actor, params, body, ifMatch }) => versioned(await updateCompetitor(defaultContext, actor, params.id, body, ifMatch)),
  putMarketFigure: async ({ actor, params, body, ifMatch }) => versioned(await putFigure(defaultContext, actor, params, body, ifMatch)),
  listMarketFigures: async ({ query }) => ({ body: await listFigures(query) }),
});
