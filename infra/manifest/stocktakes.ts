import { countsInput, stocktakeCreate, stocktakeListQuery, stocktakePage, stocktakeView } from '../../lib/inventory/stocktakes/schema';
import { ALL_ROLES, type Role } from '../../lib/platform/roles';
import { idParams } from '../../lib/platform/schema';
import { defineHttpFunction } from './types';

/** Production counts the stock; admin may too; every role reads. */
const COUNTERS: readonly Role[] = ['production', 'admin'];

export const stocktakesFunction = defineHttpFunction({
  kind: 'http',
  name: 'stocktakes',
  description: 'Stocktakes: freeze expected quantities, record counts, close into one adjustment movement.',
  entry: 'functions/http/stocktakes.ts',
  routes: {
    openStocktake: {
      method: 'POST',
      path: '/stocktakes',
      summary: 'Open a stocktake of a warehouse (or of named products in it), freezing the expected quantities.',
      roles: COUNTERS,
      body: stocktakeCreate,
      idempotent: true,
      status: 201,
      response: stocktakeView,
    },
    listStocktakes: {
      method: 'GET',
      path: '/stocktakes',
      summary: 'Stocktakes of a warehouse and/or in a status, newest first.',
      roles: ALL_ROLES,
      query: stocktakeListQuery,
      status: 200,
      response: stocktakePage,
    },
    getStocktake: {
      method: 'GET',
      path: '/stocktakes/{id}',
      summary: 'Expected, counted and variance per product; once closed, the variance report and the adjustment movement.',
      roles: ALL_ROLES,
      params: idParams,
      status: 200,
      response: stocktakeView,
    },
    recordCounts: {
      method: 'PUT',
      path: '/stocktakes/{id}/counts',
      summary: 'Record counted quantities (the last count of a product wins); 409 once the stocktake is closing or closed.',
      roles: COUNTERS,
      params: idParams,
      body: countsInput,
      status: 200,
      response: stocktakeView,
    },
    closeStocktake: {
      method: 'POST',
      path: '/stocktakes/{id}/close',
      summary: 'Turn every variance into one all-or-nothing adjustment movement and store the report; 409 when already closed or on a shortfall (then it stays open).',
      roles: COUNTERS,
      params: idParams,
      status: 200,
      response: stocktakeView,
    },
  },
});
