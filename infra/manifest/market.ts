import { competitorCreate, competitorListPage, competitorListQuery, competitorPageView, competitorPatch, competitorView } from '../../lib/market/competitors/schema';
import { figureInput, figureListQuery, figurePage, figureParams, figureView } from '../../lib/market/figures/schema';
import { INTEL_AUTHORS, MARKET_WRITERS } from '../../lib/market/intel/access';
import { intelCreate, intelListQuery, intelPage, intelPatch, intelSearchQuery, intelView } from '../../lib/market/intel/schema';
import { ALL_ROLES } from '../../lib/platform/roles';
import { idParams } from '../../lib/platform/schema';
import { defineHttpFunction } from './types';

/**
 * Market intelligence: `market` (and admin) write entries, competitors and market figures;
 * `sales` add field reports and edit their own; every role reads.
 */
export const marketFunction = defineHttpFunction({
  kind: 'http',
  name: 'market',
  description: 'Market intelligence entries and their search, competitors, market figures.',
  entry: 'functions/http/market.ts',
  routes: {
    createMarketIntel: {
      method: 'POST',
      path: '/market-intel',
      summary: 'Record a market intelligence entry. Sales may record kind `sales-field-report` only. Importance 3 on a competitor move or price change emails the market head and the owners of the products (once).',
      roles: INTEL_AUTHORS,
      body: intelCreate,
      idempotent: true,
      status: 201,
      response: intelView,
    },
    listMarketIntel: {
      method: 'GET',
      path: '/market-intel',
      summary: 'Entries, newest observed first, by kind, product, competitor, region, tag, day range and importance (bodies left out).',
      roles: ALL_ROLES,
      query: intelListQuery,
      status: 200,
      response: intelPage,
    },
    searchMarketIntel: {
      method: 'GET',
      path: '/market-intel/search',
      summary: 'Entries whose title or summary holds every word of `q` (accents and case ignored; CJK by character pairs), newest first, with the list filters. No ranking, no prefixes.',
      roles: ALL_ROLES,
      query: intelSearchQuery,
      status: 200,
      response: intelPage,
    },
    getMarketIntel: {
      method: 'GET',
      path: '/market-intel/{id}',
      summary: 'One entry with its body; the ETag is its version.',
      roles: ALL_ROLES,
      params: idParams,
      status: 200,
      response: intelView,
    },
    updateMarketIntel: {
      method: 'PATCH',
      path: '/market-intel/{id}',
      summary: 'Change an entry (sales: their own field reports only). Raising it to importance 3 as a competitor move or price change emails, once per entry.',
      roles: INTEL_AUTHORS,
      params: idParams,
      body: intelPatch,
      ifMatch: true,
      status: 200,
      response: intelView,
    },
    createCompetitor: {
      method: 'POST',
      path: '/competitors',
      summary: 'Add a competitor. The name is unique (case- and accent-insensitive).',
      roles: MARKET_WRITERS,
      body: competitorCreate,
      idempotent: true,
      status: 201,
      response: competitorView,
    },
    listCompetitors: {
      method: 'GET',
      path: '/competitors',
      summary: 'Competitors by name (name prefix).',
      roles: ALL_ROLES,
      query: competitorListQuery,
      status: 200,
      response: competitorListPage,
    },
    getCompetitor: {
      method: 'GET',
      path: '/competitors/{id}',
      summary: 'A competitor with its latest price points (from price-change entries) and the first page of its entries, newest first.',
      roles: ALL_ROLES,
      params: idParams,
      status: 200,
      response: competitorPageView,
    },
    updateCompetitor: {
      method: 'PATCH',
      path: '/competitors/{id}',
      summary: 'Change a competitor: name, products mapped to ours, strengths and weaknesses.',
      roles: MARKET_WRITERS,
      params: idParams,
      body: competitorPatch,
      ifMatch: true,
      status: 200,
      response: competitorView,
    },
    putMarketFigure: {
      method: 'PUT',
      path: '/market-figures/{category}/{month}',
      summary: 'State a product category’s market size and our share for a month (a new version each time; If-Match honoured).',
      roles: MARKET_WRITERS,
      params: figureParams,
      body: figureInput,
      ifMatch: true,
      status: 200,
      response: figureView,
    },
    listMarketFigures: {
      method: 'GET',
      path: '/market-figures',
      summary: 'A category’s market size and our share, month by month (oldest first), for share trends.',
      roles: ALL_ROLES,
      query: figureListQuery,
      status: 200,
      response: figurePage,
    },
  },
});
