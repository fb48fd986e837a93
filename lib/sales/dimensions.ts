/** The ways sales figures are grouped (pure data: schemas import it without touching the database). */
export const SALES_DIMENSIONS = ['product', 'channel', 'partner', 'rep', 'region', 'total'] as const;
export type SalesDimension = (typeof SALES_DIMENSIONS)[number];
/** The id of the company-wide row of the `total` dimension. */
export const TOTAL_ID = 'ALL';
