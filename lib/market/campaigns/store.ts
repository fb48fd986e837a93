import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../platform/db';
import { withoutKeys } from '../../platform/items';
import type { Page } from '../../platform/pagination';
import { queryPage } from '../../platform/query';
import type { IndexName } from '../../platform/table-definition';
import { transactWrite, type TransactItems } from '../../platform/transact';
import type { Campaign, CampaignListQuery, Material } from './schema';
import { batchGetItems } from '../../platform/batch';

/**
 * Keys of the campaign items — the only place that knows them.
 *   campaign   pk CAMPAIGN#<id>           sk CAMPAIGN
 *              gsi1 CAMPAIGNS#BRAND#<brandId> / <id>        (a brand's campaigns, newest first)
 *              gsi2 CAMPAIGNS / <status>#<id>               (by status = begins_with; all = the partition)
 *              gsi3 CAMPAIGNS#CHANNEL#<channel> / <id>      (keys only: a page is read back by key)
 *   material   pk CAMPAIGN#<campaignId>   sk MATERIAL#<id>
 * A campaign's channel type is kept as `channel` and its status as `status`; `type` is the
 * table's entity type. A company runs hundreds of campaigns a year, not millions: one `CAMPAIGNS`
 * partition on gsi2 is far from any throughput limit.
 */
type Item = Record<string, unknown>;

const campaignKey = (id: string) => ({ pk: `CAMPAIGN#${id}`, sk: 'CAMPAIGN' });
const MATERIAL_PREFIX = 'MATERIAL#';
const materialKey = (campaignId: string, id: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: `${MATERIAL_PREFIX}${id}` });

function campaignItem(campaign: Campaign): Item {
  return {
    ...campaignKey(campaign.id),
    gsi1pk: `CAMPAIGNS#BRAND#${campaign.brandId}`,
    gsi1sk: campaign.id,
    gsi2pk: 'CAMPAIGNS',
    gsi2sk: `${campaign.status}#${campaign.id}`,
    gsi3pk: `CAMPAIGNS#CHANNEL#${campaign.channel}`,
    gsi3sk: campaign.id,
    type: 'Campaign',
    ...campaign,
  };
}

function conditionalPut(item: Item, expectedVersion: number | undefined): TransactItems[number] {
  return expectedVersion === undefined
    ? { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } }
    : { Put: { TableName: tableName, Item: item, ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } } };
}

export async function insertCampaign(campaign: Campaign): Promise<void> {
  await transactWrite([conditionalPut(campaignItem(campaign), undefined)], () => new Error(`campaign id collision ${campaign.id}`));
}

export async function replaceCampaign(campaign: Campaign, expectedVersion: number, onLostUpdate: () => Error): Promise<void> {
  await transactWrite([conditionalPut(campaignItem(campaign), expectedVersion)], onLostUpdate);
}

export async function getCampaignRecord(id: string): Promise<Campaign | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: campaignKey(id) }));
  return result.Item ? withoutKeys<Campaign>(result.Item) : undefined;
}

/**
 * Brand through gsi1 (status and channel filter on top); else status as a gsi2 sort-key prefix
 * (channel filters on top); else channel through the keys-only gsi3; else all of gsi2 (grouped
 * by status, newest first within each).
 */
export async function queryCampaigns(query: CampaignListQuery, scope: string): Promise<Page<Campaign>> {
  const filters: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const filterOn = (field: 'status' | 'channel') => {
    filters.push(`#${field} = :${field}`);
    names[`#${field}`] = field;
    values[`:${field}`] = query[field];
  };
  let index: IndexName;
  let keyCondition: string;
  if (query.brandId !== undefined) {
    index = 'gsi1';
    keyCondition = 'gsi1pk = :pk';
    values[':pk'] = `CAMPAIGNS#BRAND#${query.brandId}`;
    if (query.status !== undefined) filterOn('status');
    if (query.channel !== undefined) filterOn('channel');
  } else if (query.status !== undefined) {
    index = 'gsi2';
    keyCondition = 'gsi2pk = :pk AND begins_with(gsi2sk, :status)';
    values[':pk'] = 'CAMPAIGNS';
    values[':status'] = `${query.status}#`;
    if (query.channel !== undefined) filterOn('channel');
  } else if (query.channel !== undefined) {
    index = 'gsi3';
    keyCondition = 'gsi3pk = :pk';
    values[':pk'] = `CAMPAIGNS#CHANNEL#${query.channel}`;
  } else {
    index = 'gsi2';
    keyCondition = 'gsi2pk = :pk';
    values[':pk'] = 'CAMPAIGNS';
  }
  const page = await queryPage(
    {
      index,
      keyCondition,
      values,
      names: filters.length ? names : undefined,
      filter: filters.length ? filters.join(' AND ') : undefined,
      newestFirst: true,
      limit: query.limit,
      cursor: query.cursor,
      scope,
    },
    (item) => item,
  );
  if (index !== 'gsi3') return { items: page.items.map((item) => withoutKeys<Campaign>(item)), nextCursor: page.nextCursor };
  // Keys only: read the campaigns back; one whose channel changed since the index page was read is left out.
  const campaigns = (await batchGetItems(page.items.map((item) => ({ pk: String(item.pk), sk: String(item.sk) })))).map((item) => withoutKeys<Campaign>(item));
  return { items: campaigns.filter((campaign) => campaign.channel === query.channel), nextCursor: page.nextCursor };
}

// ---- materials -------------------------------------------------------------------------------

function materialItem(material: Material): Item {
  return { ...materialKey(material.campaignId, material.id), type: 'CampaignMaterial', ...material };
}

export async function insertMaterial(material: Material): Promise<void> {
  await transactWrite([conditionalPut(materialItem(material), undefined)], () => new Error(`material id collision ${material.id}`));
}

export async function replaceMaterial(material: Material, expectedVersion: number, onLostUpdate: () => Error): Promise<void> {
  await transactWrite([conditionalPut(materialItem(material), expectedVersion)], onLostUpdate);
}

export async function getMaterialRecord(campaignId: string, id: string): Promise<Material | undefined> {
  const result = await db.send(new GetCommand({ TableName: tableName, Key: materialKey(campaignId, id) }));
  return result.Item ? withoutKeys<Material>(result.Item) : undefined;
}

/** A campaign's materials, newest first (tens per campaign). */
export function queryMaterials(campaignId: string, limit: number, cursor: string | undefined, scope: string): Promise<Page<Material>> {
  return queryPage(
    {
      keyCondition: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': `CAMPAIGN#${campaignId}`, ':prefix': MATERIAL_PREFIX },
      newestFirst: true,
      limit,
      cursor,
      scope,
    },
    (item) => withoutKeys<Material>(item),
  );
}
