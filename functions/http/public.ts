import { allRoutes } from '../../infra/manifest';
import { publicFunction } from '../../infra/manifest/public';
import { systemClock } from '../../lib/platform/clock';
import { getConfig } from '../../lib/platform/config';
import { httpFunction } from '../../lib/platform/http/http-function';
import { buildOpenApiDocument } from '../../lib/platform/openapi';

const config = getConfig();
let document: Record<string, unknown> | undefined;

export const handler = httpFunction(publicFunction, {
  health: async () => ({ body: { status: 'ok' as const, time: systemClock.now().toISOString() } }),
  openapi: async () => {
    document ??= buildOpenApiDocument(allRoutes(), config.API_BASE_URL);
    return { body: document, headers: { 'cache-control': 'public, max-age=300' } };
  },
});
