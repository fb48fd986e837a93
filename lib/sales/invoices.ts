import { getSettings } from '../organization/service';
import { activeAgreement } from '../partners/service';
import { createdStamp, updatedStamp } from '../platform/audit';
import { auditName, type Actor } from '../platform/auth';
import type { ServiceContext } from '../platform/context';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors';
import type { Page } from '../platform/pagination';
import { cursorScope } from '../platform/query';
import { addDays, localDate } from '../platform/time';
import { transactWrite } from '../platform/transact';
import { portion, taxOn } from './amounts';
import { getOrder } from './orders';
import type { Invoice, InvoiceCreate, InvoiceListQuery, Order, Payment, PaymentCreate } from './schema';
import { getInvoiceRecord, invoicePutAction, lastInvoiceSequence, orderPutAction, queryInvoices, sequenceAdvanceAction } from './store';

/**
 * Invoices take the next number of their year in the same transaction that writes them, so
 * numbers are unique and gap-free: a number is consumed exactly when an invoice commits. Under
 * contention the loser re-reads the sequence and tries the next number.
 */
const MAX_ATTEMPTS = 60;
const DEFAULT_PAYMENT_TERMS_DAYS = 30;
/** Most payments an invoice records (they live on the invoice item). */
export const MAX_PAYMENTS = 100;

class ContendedError extends Error {}

export async function issueInvoice(context: ServiceContext, actor: Actor, orderId: string, input: InvoiceCreate): Promise<Invoice> {
  const settings = await getSettings();
  const issueDate = input.issueDate ?? localDate(context.clock.now(), settings.timeZone);
  const order = await getOrder(orderId);
  const agreement = order.partnerId ? await activeAgreement(order.partnerId, issueDate) : undefined;
  const dueDate = input.dueDate ?? addDays(issueDate, agreement?.paymentTermsDays ?? DEFAULT_PAYMENT_TERMS_DAYS);
  if (dueDate < issueDate) throw new ValidationError('The due date is before the issue date.', [{ path: '$.body.dueDate', message: `must be on or after ${issueDate}` }]);
  const year = Number(issueDate.slice(0, 4));
  const id = context.newId();

  return retryContended(async () => {
    const current = await getOrder(orderId);
    const requested = input.lines ?? current.lines.map((line) => ({ line: line.line, quantity: invoiceable(line) })).filter((line) => line.quantity > 0);
    if (!requested.length) throw new ConflictError('Everything shipped on this order is already invoiced (or returned).', { currentStatus: current.status });
    const over = requested.filter(({ line, quantity }) => !current.lines[line] || quantity > invoiceable(current.lines[line]));
    if (over.length) {
      throw new ConflictError(
        `Only shipped, unreturned, uninvoiced units can be invoiced: ${over.map(({ line, quantity }) => `line ${line}: ${quantity} requested, ${current.lines[line] ? invoiceable(current.lines[line]) : 0} invoiceable`).join('; ')}.`,
        { lines: over },
      );
    }
    const lines = requested.map(({ line, quantity }) => {
      const orderLine = current.lines[line] as Order['lines'][number];
      return { line, productId: orderLine.productId, quantity, netAmount: portion(orderLine.netAmount, orderLine.quantity, orderLine.invoiced, quantity) };
    });
    const net = lines.reduce((sum, line) => sum + line.netAmount, 0);
    const tax = taxOn(net, input.taxRatePercent);
    const sequence = (await lastInvoiceSequence(year)) + 1;
    const invoice: Invoice = {
      id,
      number: `INV-${year}-${String(sequence).padStart(6, '0')}`,
      year,
      sequence,
      orderId: current.id,
      customerId: current.customerId,
      currency: current.currency,
      issueDate,
      dueDate,
      lines,
      net,
      taxRatePercent: input.taxRatePercent,
      tax,
      gross: net + tax,
      paid: 0,
      outstanding: net + tax,
      status: 'open',
      payments: [],
      ...createdStamp(context, actor),
    };
    const nextOrder: Order = {
      ...current,
      ...updatedStamp(context, actor, current),
      lines: current.lines.map((line) => ({ ...line, invoiced: line.invoiced + (requested.find((r) => r.line === line.line)?.quantity ?? 0) })),
      invoiceIds: [...current.invoiceIds, invoice.id],
    };
    await transactWrite([sequenceAdvanceAction(year, sequence), invoicePutAction(invoice, undefined), orderPutAction(nextOrder, current.version)], (index) =>
      index === 1 ? new Error(`invoice id collision ${invoice.id}`) : new ContendedError(index === 0 ? 'number taken' : 'order changed'),
    );
    return invoice;
  }, 'Invoices were being issued too fast to number this one; retry.');
}

export async function getInvoice(id: string): Promise<Invoice> {
  const invoice = await getInvoiceRecord(id);
  if (!invoice) throw new NotFoundError(`No invoice ${id}.`);
  return invoice;
}

export function listInvoices(query: InvoiceListQuery): Promise<Page<Invoice>> {
  return queryInvoices(query, cursorScope('invoices', query));
}

/** Records a payment; more than the outstanding amount is refused (409), nothing written. */
export async function recordPayment(context: ServiceContext, actor: Actor, invoiceId: string, input: PaymentCreate): Promise<Invoice> {
  const paymentId = context.newId();
  return retryContended(async () => {
    const current = await getInvoice(invoiceId);
    if (current.payments.length >= MAX_PAYMENTS) throw new ConflictError(`An invoice records at most ${MAX_PAYMENTS} payments.`);
    if (input.amount > current.outstanding) {
      throw new ConflictError(`The payment of ${input.amount} is more than the ${current.outstanding} outstanding on ${current.number}.`, { outstanding: current.outstanding });
    }
    if (input.paidOn < current.issueDate) throw new ValidationError('A payment cannot precede its invoice.', [{ path: '$.body.paidOn', message: `must be on or after ${current.issueDate}` }]);
    const stamp = updatedStamp(context, actor, current);
    const payment: Payment = { id: paymentId, ...input, recordedAt: stamp.updatedAt, recordedBy: auditName(actor) };
    const paid = current.paid + input.amount;
    const next: Invoice = {
      ...current,
      ...stamp,
      payments: [...current.payments, payment],
      paid,
      outstanding: current.gross - paid,
      status: paid === current.gross ? 'paid' : 'partially-paid',
    };
    await transactWrite([invoicePutAction(next, current.version)], () => new ContendedError('invoice changed'));
    return next;
  }, 'The invoice changed too often while this payment was being recorded; retry.');
}

function invoiceable(line: Order['lines'][number]): number {
  return Math.max(0, line.shipped - line.returned - line.invoiced);
}

async function retryContended<T>(attempt: () => Promise<T>, exhausted: string): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ContendedError)) throw error;
      if (round >= MAX_ATTEMPTS) throw new ConflictError(exhausted);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 10 * 2 ** Math.min(round, 5))));
    }
  }
}
