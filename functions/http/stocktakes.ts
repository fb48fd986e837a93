import { stocktakesFunction } from '../../infra/manifest/stocktakes';
import { closeStocktake, getStocktake, listStocktakes, openStocktake, recordCounts } from '../../lib/inventory/stocktakes/service';
import { defaultContext } from '../../lib/platform/context';
import { httpFunction } from '../../lib/platform/http/http-function';
import { created, versioned } from '../../lib/platform/http/reply';

export const handler = httpFunction(stocktakesFunction, {
  openStocktake: async ({ actor, body }) => created('stocktakes', await openStocktake(defaultContext, actor, body)),
  listStocktakes: async ({ query }) => ({ body: await listStocktakes(query) }),
  getStocktake: async ({ params }) => versioned(await getStocktake(params.id)),
  recordCounts: async ({ actor, params, body }) => versioned(await recordCounts(defaultContext, actor, params.id, body)),
  closeStocktake: async ({ actor, params }) => versioned(await closeStocktake(defaultContext, actor, params.id)),
});
