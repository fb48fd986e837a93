import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api';
import { aCompetitor, anIntelEntry, aProduct } from '../support/factories';
import { emailsTo, uniqueEmail, waitForEmailsAbout } from '../support/mail';

const harness = useApi();

const ALERT = '[Market alert]';
const word = () => `zq${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const today = () => new Date().toISOString().slice(0, 10);
const ids = (body: { items: Array<{ id: string }> }) => body.items.map((item) => item.id);

describe('acceptance: market intelligence through the local API', () => {
  it('finds 3 entries about one competitor by competitor, by tag and by a word of the title', async () => {
    const market = await harness.api.as('market');
    const rnd = await harness.api.as('rnd');
    const competitor = await market('POST', '/competitors', { body: aCompetitor() });
    expect(competitor.status).toBe(201);
    const competitorId = competitor.body.id as string;
    const [tag, titleWord] = [word(), word()];

    const created: string[] = [];
    for (const [index, kind] of (['competitor-move', 'product-launch', 'trend'] as const).entries()) {
      const response = await market('POST', '/market-intel', {
        body: anIntelEntry({ kind, title: `Rival ${titleWord} update ${index}`, competitorIds: [competitorId], tags: [tag], observedOn: `2026-0${index + 1}-10` }),
        headers: { 'idempotency-key': `intel-${tag}-${index}` },
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('location')).toBe(`/market-intel/${response.body.id}`);
      created.unshift(response.body.id);
    }

    // Every role reads; lists and search are newest first.
    const byCompetitor = await rnd('GET', `/market-intel?competitorId=${competitorId}`);
    expect(byCompetitor.status).toBe(200);
    expect(ids(byCompetitor.body)).toEqual(created);
    expect(ids((await rnd('GET', `/market-intel?tag=${tag.toUpperCase()}`)).body)).toEqual(created);
    const bySearch = await rnd('GET', `/market-intel/search?q=${encodeURIComponent(titleWord.toUpperCase())}`);
    expect(bySearch.status).toBe(200);
    expect(ids(bySearch.body)).toEqual(created);
    expect(ids((await rnd('GET', `/market-intel/search?q=${titleWord}%20update&limit=2`)).body)).toEqual(created.slice(0, 2));

    const page = await rnd('GET', `/competitors/${competitorId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('etag')).toBe('"1"');
    expect(ids(page.body.timeline)).toEqual(created);

    const one = await rnd('GET', `/market-intel/${created[0]}`);
    expect(one.headers.get('etag')).toBe('"1"');
    expect(one.body).toMatchObject({ title: `Rival ${titleWord} update 2`, competitorIds: [competitorId], tags: [tag] });
  });

  it('emails the market head and the product’s owner head once about an importance-3 price change', async () => {
    const admin = await harness.api.as('admin');
    const market = await harness.api.as('market');
    const marketHead = uniqueEmail('market-head');
    const rndHead = uniqueEmail('rnd-head');
    expect((await admin('PUT', '/departments/market', { body: { head: { name: 'Chen Jing', email: marketHead } } })).status).toBe(200);
    expect((await admin('PUT', '/departments/rnd', { body: { head: { name: 'Liu Yang', email: rndHead } } })).status).toBe(200);
    const product = await admin('POST', '/products', { body: aProduct({ name: 'Smart lock S2', ownerDepartment: 'rnd' }) });
    const competitor = await market('POST', '/competitors', { body: aCompetitor({ name: `Lockly ${randomUUID().slice(0, 6)}` }) });

    const created = await market('POST', '/market-intel', {
      body: anIntelEntry({
        kind: 'price-change',
        title: 'Lockly cuts Vision X price by 15 %',
        importance: 3,
        sentiment: 'threat',
        observedOn: today(),
        productIds: [product.body.id],
        competitorIds: [competitor.body.id],
        price: { amount: { amount: 109_900, currency: 'CNY' }, competitorProduct: 'Vision X' },
      }),
    });
    expect(created.status).toBe(201);
    expect(created.body.alertedAt).toEqual(expect.any(String));

    const [toMarket] = await waitForEmailsAbout(marketHead, ALERT, 1);
    expect(toMarket?.subject).toBe(`${ALERT} Price change by ${competitor.body.name}: Lockly cuts Vision X price by 15 %`);
    expect(toMarket?.body.text).toMatch(/Price\s+1099\.00 CNY \(Vision X\)/);
    expect(toMarket?.body.text).toContain('Smart lock S2');
    expect(await waitForEmailsAbout(rndHead, ALERT, 1)).toHaveLength(1);

    // Edits do not email again, even when the entry drops and comes back to importance 3.
    const path = `/market-intel/${created.body.id}`;
    expect((await market('PATCH', path, { body: { importance: 2 }, headers: { 'if-match': '"1"' } })).status).toBe(200);
    expect((await market('PATCH', path, { body: { importance: 3 }, headers: { 'if-match': '"2"' } })).status).toBe(200);
    await harness.stack.idle();
    expect((await emailsTo(marketHead)).filter((email) => email.subject.startsWith(ALERT))).toHaveLength(1);
    expect((await emailsTo(rndHead)).filter((email) => email.subject.startsWith(ALERT))).toHaveLength(1);

    // The price became the competitor's price point.
    const page = await market('GET', `/competitors/${competitor.body.id}`);
    expect(page.body.pricePoints).toEqual([expect.objectContaining({ entryId: created.body.id, amount: { amount: 109_900, currency: 'CNY' }, competitorProduct: 'Vision X' })]);
  });

  it('emails when an edit raises an entry to importance 3', async () => {
    const admin = await harness.api.as('admin');
    const market = await harness.api.as('market');
    const marketHead = uniqueEmail('market-head');
    expect((await admin('PUT', '/departments/market', { body: { head: { name: 'Chen Jing', email: marketHead } } })).status).toBe(200);
    const created = await market('POST', '/market-intel', { body: anIntelEntry({ kind: 'competitor-move', title: 'Rival opens a flagship store', importance: 2 }) });
    await harness.stack.idle();
    expect((await emailsTo(marketHead)).filter((email) => email.subject.startsWith(ALERT))).toHaveLength(0);
    expect((await market('PATCH', `/market-intel/${created.body.id}`, { body: { importance: 3 } })).status).toBe(200);
    expect(await waitForEmailsAbout(marketHead, ALERT, 1)).toHaveLength(1);
  });

  it('answers bad input with 400 or 413 and writes nothing', async () => {
    const market = await harness.api.as('market');
    const tag = word();
    const unknownKind = await market('POST', '/market-intel', { body: { ...anIntelEntry({ tags: [tag] }), kind: 'gossip' } });
    expect(unknownKind.status).toBe(400);
    expect(unknownKind.headers.get('content-type')).toBe('application/problem+json');
    expect(unknownKind.body.errors).toEqual([expect.objectContaining({ path: '$.body.kind' })]);
    const share = await market('POST', '/market-intel', { body: anIntelEntry({ tags: [tag], figures: { sharePercent: 120, period: '2026' } }) });
    expect(share.status).toBe(400);
    expect(share.body.errors).toEqual([expect.objectContaining({ path: '$.body.figures.sharePercent' })]);
    const huge = await market('POST', '/market-intel', { body: anIntelEntry({ tags: [tag], body: 'x'.repeat(300 * 1024) }) });
    expect(huge.status).toBe(413);
    const figures = await market('PUT', `/market-figures/smart-lock/2026-11`, { body: { sharePercent: 100.01 } });
    expect(figures.status).toBe(400);
    expect((await market('GET', `/market-intel?tag=${tag}`)).body.items).toEqual([]);
    expect((await market('GET', '/market-figures?category=smart-lock')).body.items).toEqual([]);
  });

  it('lets sales add field reports only, and refuses a stale If-Match with 412', async () => {
    const sales = await harness.api.as('sales');
    const market = await harness.api.as('market');
    expect((await sales('POST', '/market-intel', { body: anIntelEntry({ kind: 'competitor-move' }) })).status).toBe(403);
    const report = await sales('POST', '/market-intel', { body: anIntelEntry({ kind: 'sales-field-report', source: { type: 'sales-field-report', name: 'Dealer visit' } }) });
    expect(report.status).toBe(201);
    const path = `/market-intel/${report.body.id}`;
    expect((await sales('PATCH', path, { body: { summary: 'Dealer says the rival is discounting.' }, headers: { 'if-match': '"1"' } })).status).toBe(200);
    const stale = await market('PATCH', path, { body: { importance: 2 }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect((await market('GET', path)).body).toMatchObject({ version: 2, importance: 1 });
    expect((await sales('POST', '/competitors', { body: aCompetitor() })).status).toBe(403);
  });

  it('keeps market figures per category and month for share trends', async () => {
    const market = await harness.api.as('market');
    const management = await harness.api.as('management');
    const category = `lock-${randomUUID().slice(0, 6)}`;
    const put = await market('PUT', `/market-figures/${category}/2026-10`, { body: { marketSize: { amount: 500_000_000, currency: 'CNY' }, sharePercent: 12.5, sourceNote: 'IDC Q3' } });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toBe('"1"');
    expect((await market('PUT', `/market-figures/${category}/2026-11`, { body: { sharePercent: 13.25 } })).status).toBe(200);
    expect((await market('PUT', `/market-figures/${category}/2026-10`, { body: { sharePercent: 12 }, headers: { 'if-match': '"9"' } })).status).toBe(412);
    const trend = await management('GET', `/market-figures?category=${category.toUpperCase()}&from=2026-01&to=2026-12`);
    expect(trend.status).toBe(200);
    expect(trend.body.items.map((figure: { month: string; sharePercent: number }) => [figure.month, figure.sharePercent])).toEqual([
      ['2026-10', 12.5],
      ['2026-11', 13.25],
    ]);
  });
});
