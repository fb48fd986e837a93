/**
 * The single table, as data. The stateful stack deploys it and the local stack creates it
 * from this same definition, so the two can never drift apart.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'ALL' },
    // Keys only: it is written when its keys change (a count), not on every stock movement.
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: 'KEYS_ONLY' },
    // Sparse, sorted by a number: only the items that set gsi4pk are in it (a month's customer
    // figures ranked by revenue), and a numeric key orders 900 before 10,000 as a string cannot.
    { indexName: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk', sortKeyType: 'N', projection: 'ALL' },
  ],
  timeToLiveAttribute: 'expiresAt',
  streamViewType: 'NEW_AND_OLD_IMAGES',
} as const;

export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];
type IndexDefinition = (typeof tableDefinition.globalSecondaryIndexes)[number];

/** An index's sort key type: a string unless the definition says `sortKeyType: 'N'`. */
export function sortKeyTypeOf(index: IndexDefinition): 'S' | 'N' {
  return 'sortKeyType' in index ? index.sortKeyType : 'S';
}

/** The index definitions as CreateTable / UpdateTable take them. */
export function globalSecondaryIndexInputs() {
  return tableDefinition.globalSecondaryIndexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: index.projection },
  }));
}

/** CreateTable input for DynamoDB Local (on-demand, stream on), derived from the definition above. */
export function createTableInput(tableName: string) {
  const keyAttributes: Array<{ AttributeName: string; AttributeType: 'S' | 'N' }> = [
    { AttributeName: tableDefinition.partitionKey, AttributeType: 'S' },
    { AttributeName: tableDefinition.sortKey, AttributeType: 'S' },
    ...tableDefinition.globalSecondaryIndexes.flatMap((index) => [
      { AttributeName: index.partitionKey, AttributeType: 'S' as const },
      { AttributeName: index.sortKey, AttributeType: sortKeyTypeOf(index) },
    ]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: keyAttributes,
    KeySchema: [
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: globalSecondaryIndexInputs(),
    StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.streamViewType },
  };
}
