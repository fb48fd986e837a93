import { listIntel } from '../intel/service';
import { COMPETITOR_PAGE_PRICE_POINTS, COMPETITOR_PAGE_TIMELINE, type CompetitorPage } from './schema';
import { competitorPricePoints, getCompetitor } from './service';

/**
 * A competitor's page: the competitor, its latest price points and the first page of its
 * entries, newest first, read through the competitor index of the intelligence entries
 * (the next pages are `GET /market-intel?competitorId=` with the cursor).
 */
export async function competitorPage(id: string): Promise<CompetitorPage> {
  const competitor = await getCompetitor(id);
  const [pricePoints, timeline] = await Promise.all([competitorPricePoints(id, COMPETITOR_PAGE_PRICE_POINTS), listIntel({ competitorId: id, limit: COMPETITOR_PAGE_TIMELINE })]);
  return { ...competitor, pricePoints, timeline };
}
