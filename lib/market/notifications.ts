import { getProduct } from '../catalog/service';
import type { Product } from '../catalog/schema';
import { headsAmong, listDepartments } from '../organization/service';
import type { DepartmentCode } from '../organization/schema';
import { NotFoundError } from '../platform/errors';
import type { DomainEvent } from '../platform/events';
import type { Email } from '../platform/mail';
import { renderEmail } from '../platform/mail-template';
import { getCompetitor } from './competitors/service';
import type { Competitor } from './competitors/schema';
import type { MarketAlertRaised } from './events';

const KIND_LABEL: Record<string, string> = { 'competitor-move': 'Competitor move', 'price-change': 'Price change' };

/**
 * The importance-3 email: to the market head and to the head of the department owning each
 * related product, one email per person. Product and competitor names are looked up; one
 * deleted since is shown by its id rather than dropping the email.
 */
export async function marketAlertEmails(event: DomainEvent<MarketAlertRaised>, apiBaseUrl: string): Promise<Email[]> {
  const { entry } = event.data;
  const [products, competitors, departments] = await Promise.all([
    Promise.all(entry.productIds.map((id) => orMissing<Product>(getProduct(id)))),
    Promise.all(entry.competitorIds.map((id) => orMissing<Competitor>(getCompetitor(id)))),
    listDepartments(),
  ]);
  const owners = products.flatMap((product) => (product ? [product.ownerDepartment] : []));
  const recipients = headsAmong(departments, ['market', ...owners] as DepartmentCode[]);
  const productLabels = entry.productIds.map((id, index) => (products[index] ? `${products[index].name} (${products[index].sku})` : id));
  const competitorLabels = entry.competitorIds.map((id, index) => competitors[index]?.name ?? id);
  const label = KIND_LABEL[entry.kind] ?? entry.kind;
  const subject = `[Market alert] ${label}${competitorLabels.length ? ` by ${competitorLabels.join(', ')}` : ''}: ${entry.title}`;
  const content = renderEmail({
    title: `${label}: ${entry.title}`,
    paragraphs: [entry.summary, 'This entry was marked importance 3; this is the only email about it.'],
    facts: compact([
      ['Kind', label],
      ['Observed', entry.observedOn],
      ['Competitors', competitorLabels.join(', ')],
      ['Our products', productLabels.join(', ')],
      ['Owner departments', [...new Set(owners)].join(', ')],
      ['Price', entry.price ? moneyLabel(entry.price.amount) + (entry.price.competitorProduct ? ` (${entry.price.competitorProduct})` : '') : undefined],
      ['Region', entry.region],
      ['Sentiment', entry.sentiment],
      ['Source', `${entry.source.name} (${entry.source.type})`],
      ['Source address', entry.source.url],
      ['Recorded by', entry.createdBy],
    ]),
    link: { label: 'The entry in postlaunch', url: `${apiBaseUrl}/market-intel/${entry.id}` },
  });
  return recipients.map((recipient) => ({ to: [recipient.email], subject, ...content }));
}

async function orMissing<T>(lookup: Promise<T>): Promise<T | undefined> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

function moneyLabel({ amount, currency }: { amount: number; currency: string }): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return `${(amount / 10 ** digits).toFixed(digits)} ${currency}`;
}

function compact(rows: Array<[string, string | undefined]>): Array<[string, string]> {
  return rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '');
}
