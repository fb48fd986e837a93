import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { allRoutes, type ManifestRoute } from '../../infra/manifest';
import type { StockThresholdCrossed } from '../../lib/inventory/events';
import type { DomainEvent } from '../../lib/platform/events';
import { DEFAULT_SETTINGS } from '../../lib/organization/defaults';
import { ROLES, type Role } from '../../lib/platform/roles';
import { aChannel, aComplaint, aCustomer, aFeedback, aFollowUp, anAgreement, anEvaluation, anInteraction, aPartner, aProduct, aRepair, aSalesRep, aSalesTarget, aTechnician, aTechnicianTraining, aTraining, aWarehouse, testContext, aBrand, aCampaign, aMaterial } from '../support/factories';
import { INVESTIGATION_ROLES } from '../../lib/service/requests/access';
import { useApi } from '../support/api';
import { uniqueEmail } from '../support/mail';
import { aCompetitor, anIntelEntry } from '../support/factories';

const harness = useApi();

interface Request {
  path: string;
  body?: unknown;
}

/** A valid request for every manifest route; a route without one fails the guard test below. */
const fixtures: Record<string, () => Promise<Request>> = {
  health: async () => ({ path: '/health' }),
  openapi: async () => ({ path: '/openapi.json' }),
  listDepartments: async () => ({ path: '/departments' }),
  updateDepartment: async () => ({ path: '/departments/sales', body: { head: { name: 'Sales head', email: uniqueEmail('sales') } } }),
  getSettings: async () => ({ path: '/settings' }),
  updateSettings: async () => ({ path: '/settings', body: DEFAULT_SETTINGS }),
  createProduct: async () => ({ path: '/products', body: aProduct() }),
  listProducts: async () => ({ path: '/products?status=launched&limit=5' }),
  getProduct: async () => ({ path: `/products/${await newProductId()}` }),
  updateProduct: async () => ({ path: `/products/${await newProductId()}`, body: { name: 'Renamed' } }),
  changeProductStatus: async () => ({ path: `/products/${await newProductId()}/status`, body: { status: 'active', reason: 'first shipments out' } }),
  createWarehouse: async () => ({ path: '/warehouses', body: aWarehouse() }),
  listWarehouses: async () => ({ path: '/warehouses' }),
  listStock: async () => ({ path: '/stock?below=minimum' }),
  getStock: async () => {
    const level = await newLevel();
    return { path: `/stock/${level.productId}/${level.warehouseId}` };
  },
  setThresholds: async () => {
    const level = await newLevel();
    return { path: `/stock/${level.productId}/${level.warehouseId}/thresholds`, body: { safety: 1, minimum: 5, maximum: 50, reorderQuantity: 10, leadTimeDays: 3 } };
  },
  getTurnover: async () => ({ path: `/stock/turnover?month=${new Date().toISOString().slice(0, 7)}` }),
  recordMovement: async () => {
    const level = await newLevel();
    return { path: '/stock-movements', body: { kind: 'receipt', source: 'purchase', lines: [{ ...level, quantity: 3 }] } };
  },
  listMovements: async () => {
    const level = await newLevel();
    return { path: `/stock-movements?productId=${level.productId}` };
  },
  getMovement: async () => {
    const level = await newLevel();
    const admin = await harness.api.as('admin');
    const created = await admin('POST', '/stock-movements', { body: { kind: 'receipt', source: 'purchase', lines: [{ ...level, quantity: 3 }] } });
    return { path: `/stock-movements/${created.body.id}` };
  },
  openStocktake: async () => {
    const level = await newStockedLevel();
    return { path: '/stocktakes', body: { warehouseId: level.warehouseId, productIds: [level.productId] } };
  },
  listStocktakes: async () => ({ path: '/stocktakes?status=open&limit=5' }),
  getStocktake: async () => ({ path: `/stocktakes/${(await newStocktake()).id}` }),
  recordCounts: async () => {
    const stocktake = await newStocktake();
    return { path: `/stocktakes/${stocktake.id}/counts`, body: { counts: [{ productId: stocktake.productId, counted: 1 }] } };
  },
  closeStocktake: async () => ({ path: `/stocktakes/${(await newStocktake()).id}/close` }),
  getWarehouse: async () => {
    const admin = await harness.api.as('admin');
    const created = await admin('POST', '/warehouses', { body: aWarehouse() });
    return { path: `/warehouses/${created.body.id}` };
  },
  listAlerts: async () => ({ path: '/alerts?status=open&kind=stock-below-minimum&limit=5' }),
  getAlert: async () => ({ path: `/alerts/${await newAlertId()}` }),
  acknowledgeAlert: async () => ({ path: `/alerts/${await newAlertId()}/acknowledge` }),
  createSalesRep: async () => ({ path: '/sales-reps', body: aSalesRep() }),
  listSalesReps: async () => ({ path: '/sales-reps?region=east-china&active=true&limit=5' }),
  getSalesRep: async () => ({ path: `/sales-reps/${await newRepId()}` }),
  updateSalesRep: async () => ({ path: `/sales-reps/${await newRepId()}`, body: { region: 'west-china' } }),
  recordSalesTraining: async () => ({ path: `/sales-reps/${await newRepId()}/trainings`, body: aTraining() }),
  listSalesTrainings: async () => ({ path: `/sales-reps/${await newRepId()}/trainings?topic=product` }),
  setSalesTarget: async () => ({ path: `/sales-targets/rep/${await newRepId()}/2026-Q4`, body: aSalesTarget() }),
  getSalesTarget: async () => {
    const path = `/sales-targets/region/r-${randomUUID().slice(0, 8)}/2026-Q4`;
    const admin = await harness.api.as('admin');
    expect((await admin('PUT', path, { body: aSalesTarget() })).status).toBe(201);
    return { path };
  },
  listSalesTargets: async () => ({ path: '/sales-targets?period=2026-Q4&scope=rep&limit=5' }),
  getRepScorecard: async () => ({ path: `/sales-reps/${await newRepId()}/scorecard?period=2026-Q4` }),
  getRegionScorecard: async () => ({ path: '/sales-regions/east-china/scorecard?period=2026-11' }),
  createChannel: async () => ({ path: '/channels', body: aChannel() }),
  listChannels: async () => ({ path: '/channels?kind=offline&type=distributor&active=true&limit=5' }),
  getChannel: async () => ({ path: `/channels/${await newChannelId()}` }),
  updateChannel: async () => ({ path: `/channels/${await newChannelId()}`, body: { strengths: ['nationwide reach'] } }),
  createPartner: async () => ({ path: '/partners', body: aPartner() }),
  listPartners: async () => ({ path: '/partners?kind=distributor&region=east-china&limit=5' }),
  getPartner: async () => ({ path: `/partners/${await newPartnerId()}` }),
  updatePartner: async () => ({ path: `/partners/${await newPartnerId()}`, body: { status: 'suspended' } }),
  createAgreement: async () => ({ path: `/partners/${await newPartnerId()}/agreements`, body: anAgreement() }),
  listAgreements: async () => ({ path: `/partners/${await newPartnerId()}/agreements?limit=5` }),
  getAgreement: async () => ({ path: await newAgreementPath() }),
  updateAgreement: async () => ({ path: await newAgreementPath(), body: { paymentTermsDays: 45 } }),
  createEvaluation: async () => ({ path: `/partners/${await newPartnerId()}/evaluations`, body: anEvaluation() }),
  listEvaluations: async () => ({ path: `/partners/${await newPartnerId()}/evaluations?limit=5` }),
  getEvaluation: async () => {
    const partnerId = await newPartnerId();
    const admin = await harness.api.as('admin');
    const created = await admin('POST', `/partners/${partnerId}/evaluations`, { body: anEvaluation() });
    expect(created.status).toBe(201);
    return { path: `/partners/${partnerId}/evaluations/${created.body.id}` };
  },
  getPartnerPerformance: async () => ({ path: `/partners/${await newPartnerId()}/performance?period=2026-Q4` }),
  createOrder: async () => ({ path: '/orders', body: await anOrderBody() }),
  listOrders: async () => ({ path: '/orders?status=confirmed&limit=5' }),
  getOrder: async () => ({ path: `/orders/${await newOrderId('draft')}` }),
  confirmOrder: async () => ({ path: `/orders/${await newOrderId('draft')}/confirm` }),
  shipOrder: async () => ({ path: `/orders/${await newOrderId('confirmed')}/shipments`, body: {} }),
  cancelOrder: async () => ({ path: `/orders/${await newOrderId('confirmed')}/cancel`, body: { reason: 'customer withdrew' } }),
  returnOrderGoods: async () => ({ path: `/orders/${await newOrderId('shipped')}/returns`, body: { reason: 'damaged', lines: [{ line: 0, quantity: 1 }] } }),
  issueInvoice: async () => ({ path: `/orders/${await newOrderId('shipped')}/invoices`, body: { taxRatePercent: 13 } }),
  listInvoices: async () => ({ path: '/invoices?status=open&limit=5' }),
  getInvoice: async () => ({ path: `/invoices/${await newInvoiceId()}` }),
  recordPayment: async () => ({ path: `/invoices/${await newInvoiceId()}/payments`, body: { amount: 100, paidOn: '2099-01-01', method: 'bank-transfer' } }),
  salesSummary: async () => ({ path: '/sales/summary?month=2026-11&by=channel' }),
  forecastDemand: async () => ({ path: `/forecasts/${await newProductId()}?months=3` }),
  createCustomer: async () => ({ path: '/customers', body: aCustomer() }),
  listCustomers: async () => ({ path: '/customers?region=east-china&segment=smb&name=acme&limit=5' }),
  getCustomer: async () => ({ path: `/customers/${await newCustomerId()}` }),
  updateCustomer: async () => ({ path: `/customers/${await newCustomerId()}`, body: { segment: 'enterprise' } }),
  recordInteraction: async () => ({ path: `/customers/${await newCustomerId()}/interactions`, body: anInteraction({ followUp: aFollowUp() }) }),
  listInteractions: async () => ({ path: `/customers/${await newCustomerId()}/interactions?limit=5` }),
  createFollowUp: async () => ({ path: `/customers/${await newCustomerId()}/follow-ups`, body: aFollowUp() }),
  listFollowUps: async () => ({ path: `/follow-ups?due=week&owner=${CUSTOMER_REP_ID}` }),
  completeFollowUp: async () => ({ path: `/follow-ups/${await newFollowUpId()}/complete` }),
  recordFeedback: async () => ({ path: '/feedback', body: aFeedback(await newProductId(), { customerId: await newCustomerId() }) }),
  listFeedback: async () => ({ path: `/feedback?productId=${await newProductId()}&kind=defect&from=2026-01-01&to=2026-12-31` }),
  createTechnician: async () => ({ path: '/technicians', body: aTechnician() }),
  listTechnicians: async () => ({ path: '/technicians?region=east-china&skill=smart-lock&active=true&limit=5' }),
  getTechnician: async () => ({ path: `/technicians/${await newTechnicianId()}` }),
  updateTechnician: async () => ({ path: `/technicians/${await newTechnicianId()}`, body: { skills: ['hvac'] } }),
  recordTechnicianTraining: async () => ({ path: `/technicians/${await newTechnicianId()}/trainings`, body: aTechnicianTraining() }),
  listTechnicianTrainings: async () => ({ path: `/technicians/${await newTechnicianId()}/trainings?limit=5` }),
  createRepair: async () => ({ path: '/repairs', body: aRepair(await newProductId()) }),
  listRepairs: async () => ({ path: `/repairs?status=scheduled&technicianId=${await newTechnicianId()}&limit=5` }),
  getRepair: async () => ({ path: `/repairs/${await newRepairId('open')}` }),
  scheduleRepair: async () => ({ path: `/repairs/${await newRepairId('open')}/schedule`, body: { window: repairWindow(), technicianId: await newTechnicianId() } }),
  recordPartsUsed: async () => ({ path: `/repairs/${await newRepairId('scheduled')}/parts-used`, body: { lines: [{ line: 0, quantity: 1 }] } }),
  completeRepair: async () => ({
    path: `/repairs/${await newRepairId('scheduled')}/complete`,
    body: { labourHours: 1, result: { outcome: 'fixed', summary: 'Fixed.' }, signOff: { name: 'Zhou Lan', signedAt: new Date().toISOString() } },
  }),
  cancelRepair: async () => ({ path: `/repairs/${await newRepairId('scheduled')}/cancel`, body: { reason: 'customer withdrew' } }),
  scheduleReturnVisit: async () => ({ path: `/repairs/${await newRepairId('scheduled')}/return-visits`, body: { scheduledOn: '2099-01-01', purpose: 'Check after a week' } }),
  recordReturnVisit: async () => ({ path: `${await newReturnVisitPath()}/record`, body: { outcome: 'Working.', satisfaction: 5 } }),
  createServiceRequest: async () => ({ path: '/service-requests', body: aComplaint() }),
  listServiceRequests: async () => ({ path: '/service-requests?type=complaint&status=received&priority=urgent&limit=5' }),
  complaintSummary: async () => ({ path: '/service-requests/summary?month=2026-11&by=department' }),
  getServiceRequest: async () => ({ path: `/service-requests/${await newServiceRequestId('received')}` }),
  acknowledgeServiceRequest: async () => ({ path: `/service-requests/${await newServiceRequestId('received')}/acknowledge`, body: { note: 'Called back.' } }),
  assignServiceRequest: async () => ({ path: `/service-requests/${await newServiceRequestId('assigned')}/assign`, body: { department: 'production', note: 'Assembly fault.' } }),
  recordInvestigation: async () => ({
    path: `/service-requests/${await newServiceRequestId('assigned', nextInvestigator())}/investigation`,
    body: { findings: 'Cable pinched.', rootCause: { category: 'manufacturing', text: 'Fixture misaligned.' } },
  }),
  resolveServiceRequest: async () => ({
    path: `/service-requests/${await newServiceRequestId('investigated')}/resolution`,
    body: { measures: [{ kind: 'refund', amount: { amount: 100, currency: 'CNY' } }], customerAgreed: true },
  }),
  recordServiceFeedback: async () => ({ path: `/service-requests/${await newServiceRequestId('resolved')}/feedback`, body: { satisfaction: 4 } }),
  closeServiceRequest: async () => ({ path: `/service-requests/${await newServiceRequestId('feedback')}/close`, body: {} }),
  reopenServiceRequest: async () => ({ path: `/service-requests/${await newServiceRequestId('resolved')}/reopen`, body: { reason: 'Failed again.' } }),
  createMarketIntel: async () => ({ path: '/market-intel', body: aFieldReport() }),
  listMarketIntel: async () => ({ path: '/market-intel?kind=trend&tag=alpha&from=2026-01-01&to=2026-12-31&limit=5' }),
  searchMarketIntel: async () => ({ path: '/market-intel/search?q=smart%20lock&importance=1&limit=5' }),
  getMarketIntel: async () => ({ path: `/market-intel/${await newFieldReportId()}` }),
  // Written by the sales user, so that sales (who edit only their own reports) is allowed too.
  updateMarketIntel: async () => ({ path: `/market-intel/${await newFieldReportId()}`, body: { importance: 2 } }),
  createCompetitor: async () => ({ path: '/competitors', body: aCompetitor() }),
  listCompetitors: async () => ({ path: '/competitors?name=rival&limit=5' }),
  getCompetitor: async () => ({ path: `/competitors/${await newCompetitorId()}` }),
  updateCompetitor: async () => ({ path: `/competitors/${await newCompetitorId()}`, body: { strengths: ['Fast delivery'] } }),
  putMarketFigure: async () => ({ path: '/market-figures/smart-lock/2026-11', body: { sharePercent: 12.5, sourceNote: 'IDC' } }),
  listMarketFigures: async () => ({ path: '/market-figures?category=smart-lock&from=2026-01&to=2026-12' }),
  createBrand: async () => ({ path: '/brands', body: aBrand() }),
  listBrands: async () => ({ path: '/brands?limit=5' }),
  getBrand: async () => ({ path: `/brands/${await newBrandId()}` }),
  updateBrand: async () => ({ path: `/brands/${await newBrandId()}`, body: { tone: 'Bolder.', changeNote: 'new season' } }),
  listBrandVersions: async () => ({ path: `/brands/${await newBrandId()}/versions?limit=5` }),
  getBrandVersion: async () => ({ path: `/brands/${await newBrandId()}/versions/1` }),
  createCampaign: async () => ({ path: '/campaigns', body: aCampaign(await newBrandId(), { productIds: [await newProductId()], partnerIds: [await newPartnerId()] }) }),
  listCampaigns: async () => ({ path: '/campaigns?status=planned&channel=social-media&limit=5' }),
  getCampaign: async () => ({ path: `/campaigns/${await newCampaignId()}` }),
  updateCampaign: async () => ({ path: `/campaigns/${await newCampaignId()}`, body: { actualSpend: { amount: 1_000, currency: 'CNY' } } }),
  getCampaignRoi: async () => ({ path: `/campaigns/${await newCampaignId()}/roi?baseline=true` }),
  createMaterial: async () => ({ path: `/campaigns/${await newCampaignId()}/materials`, body: aMaterial() }),
  listMaterials: async () => ({ path: `/campaigns/${await newCampaignId()}/materials?limit=5` }),
  submitMaterial: async () => ({ path: `${await newMaterialPath('draft')}/submit` }),
  approveMaterial: async () => ({ path: `${await newMaterialPath('review')}/approve` }),
  rejectMaterial: async () => ({ path: `${await newMaterialPath('review')}/reject`, body: { reason: 'Off brand.' } }),
  retireMaterial: async () => ({ path: `${await newMaterialPath('approved')}/retire` }),
  listReports: async () => ({ path: `/reports?month=${await reportedMonth()}` }),
  getMarketTrendsReport: async () => ({ path: `/reports/${await reportedMonth()}/market-trends` }),
  getSalesReport: async () => ({ path: `/reports/${await reportedMonth()}/sales?format=csv&table=products` }),
  getAfterSalesReport: async () => ({ path: `/reports/${await reportedMonth()}/after-sales` }),
  getInventoryReport: async () => ({ path: `/reports/${await reportedMonth()}/inventory` }),
  getRecommendationsReport: async () => ({ path: `/reports/${await reportedMonth()}/recommendations` }),
};

/** October 2026's report, built once by the monthly job on this stack's table. */
let reported: Promise<string> | undefined;
function reportedMonth(): Promise<string> {
  reported ??= (async () => {
    // Imported here: these modules read config, which the local stack sets when it starts.
    const { runMonthlyAnalysis } = await import('../../lib/reports/job');
    const { defaultContext } = await import('../../lib/platform/context');
    return (await runMonthlyAnalysis(defaultContext, harness.stack.apiUrl, { month: '2026-10' })).month;
  })();
  return reported;
}

function fixtureFor(route: ManifestRoute): Promise<Request> {
  const fixture = fixtures[route.operationId];
  if (!fixture) throw new Error(`no fixture for ${route.operationId}`);
  return fixture();
}

/** An open alert, recorded straight from a crossing event (the stream path has its own e2e test). */
async function newAlertId(): Promise<string> {
  // Imported here: these modules read config, which the local stack sets when it starts.
  const { listAlerts, recordAlertEvent } = await import('../../lib/alerts/service');
  const { INVENTORY_SOURCE } = await import('../../lib/inventory/events');
  const { newId } = await import('../../lib/platform/ids');
  const event: DomainEvent<StockThresholdCrossed> = {
    metadata: { id: randomUUID(), type: 'StockBelowMinimum', version: 1, source: INVENTORY_SOURCE, occurredAt: new Date().toISOString() },
    data: {
      productId: newId(),
      warehouseId: newId(),
      onHand: 9,
      reserved: 0,
      available: 9,
      thresholds: { safety: 3, minimum: 10, maximum: 100, reorderQuantity: 50, leadTimeDays: 14 },
      band: 'below-minimum',
      previousBand: 'ok',
      occurredAt: new Date().toISOString(),
      sequence: 1,
    },
  };
  expect(await recordAlertEvent(testContext(), event)).toBe('opened');
  const page = await listAlerts({ status: 'open', kind: 'stock-below-minimum', limit: 100 });
  const alert = page.items.find((candidate) => candidate.subject.productId === event.data.productId);
  if (!alert) throw new Error('the recorded alert is not listed');
  return alert.id;
}

async function newLevel(): Promise<{ productId: string; warehouseId: string }> {
  const admin = await harness.api.as('admin');
  const warehouse = await admin('POST', '/warehouses', { body: aWarehouse() });
  return { productId: await newProductId(), warehouseId: warehouse.body.id };
}

async function newStockedLevel(): Promise<{ productId: string; warehouseId: string }> {
  const level = await newLevel();
  const admin = await harness.api.as('admin');
  const receipt = await admin('POST', '/stock-movements', { body: { kind: 'receipt', source: 'purchase', lines: [{ ...level, quantity: 3 }] } });
  expect(receipt.status).toBe(201);
  return level;
}

async function newStocktake(): Promise<{ id: string; productId: string }> {
  const level = await newStockedLevel();
  const admin = await harness.api.as('admin');
  const opened = await admin('POST', '/stocktakes', { body: { warehouseId: level.warehouseId, productIds: [level.productId] } });
  expect(opened.status).toBe(201);
  return { id: opened.body.id, productId: level.productId };
}

async function newRepId(): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', '/sales-reps', { body: aSalesRep() });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function newPartnerId(): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', '/partners', { body: aPartner() });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function newChannelId(): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', '/channels', { body: aChannel() });
  expect(created.status).toBe(201);
  return created.body.id;
}

/** A fresh partner's agreement, as its path. */
async function newAgreementPath(): Promise<string> {
  const partnerId = await newPartnerId();
  const admin = await harness.api.as('admin');
  const created = await admin('POST', `/partners/${partnerId}/agreements`, { body: anAgreement() });
  expect(created.status).toBe(201);
  return `/partners/${partnerId}/agreements/${created.body.id}`;
}

/** The owner rep of the customers these fixtures create (a well-formed sales-rep id). */
const CUSTOMER_REP_ID = '01KB2M3N4P5Q6R7S8T9V0W1X2Y';

async function newCustomerId(): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', '/customers', { body: aCustomer({ ownerRepId: CUSTOMER_REP_ID }) });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function newFollowUpId(): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', `/customers/${await newCustomerId()}/follow-ups`, { body: aFollowUp() });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function newProductId(): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', '/products', { body: aProduct() });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function newTechnicianId(): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', '/technicians', { body: aTechnician() });
  expect(created.status).toBe(201);
  return created.body.id;
}

/** An hour tomorrow. */
function repairWindow(): { start: string; end: string } {
  const start = Date.now() + 86_400_000;
  return { start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString() };
}

/** A repair needing one unit of a stocked part: open, or scheduled by admin (the unit reserved). */
async function newRepairId(state: 'open' | 'scheduled'): Promise<string> {
  const level = await newStockedLevel();
  const admin = await harness.api.as('admin');
  const scheduled = state === 'scheduled' ? { technicianId: await newTechnicianId(), window: repairWindow() } : {};
  const created = await admin('POST', '/repairs', { body: aRepair(level.productId, { parts: [{ ...level, quantity: 1 }], ...scheduled }) });
  expect(created.status).toBe(201);
  return created.body.id;
}

/** A scheduled repair's fresh return visit, as its path. */
async function newReturnVisitPath(): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', `/repairs/${await newRepairId('scheduled')}/return-visits`, { body: { scheduledOn: '2099-01-01', purpose: 'Check after a week' } });
  expect(created.status).toBe(201);
  return created.headers.get('location') as string;
}

const SERVICE_REQUEST_STATES = ['received', 'assigned', 'investigated', 'resolved', 'feedback'] as const;

/** A complaint taken by admin as far as `state`, assigned (from `assigned` on) to `department`. */
async function newServiceRequestId(state: (typeof SERVICE_REQUEST_STATES)[number], department: Role = 'rnd'): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', '/service-requests', { body: aComplaint() });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const reached = SERVICE_REQUEST_STATES.indexOf(state);
  const steps: Array<[string, unknown]> = [
    ['acknowledge', {}],
    ['assign', { department }],
    ['investigation', { findings: 'Cable pinched.', rootCause: { category: 'manufacturing', text: 'Fixture misaligned.' } }],
    ['resolution', { measures: [{ kind: 'fix', description: 'New keypad.' }], customerAgreed: true }],
    ['feedback', { satisfaction: 5 }],
  ];
  const upTo = [0, 2, 3, 4, 5][reached] as number;
  for (const [step, body] of steps.slice(0, upTo)) expect((await admin('POST', `/service-requests/${id}/${step}`, { body })).status, step).toBe(200);
  return id;
}

/**
 * Only the department a complaint is assigned to may record its investigation, and a fixture
 * does not know the caller's role: the guard test asks for one fixture to check refusals, then
 * one per allowed role in `route.roles` order, so the complaints are assigned in that order.
 */
let investigationFixtures = 0;
function nextInvestigator(): Role {
  const call = investigationFixtures++;
  const role = call === 0 ? 'rnd' : INVESTIGATION_ROLES[(call - 1) % INVESTIGATION_ROLES.length];
  return role === undefined || role === 'admin' ? 'rnd' : role;
}


const routes = allRoutes();
const name = (route: ManifestRoute) => `${route.method} ${route.path} (${route.operationId})`;

describe('api: the route × role matrix', () => {
  it('has a request fixture for every manifest route', () => {
    expect(routes.map((route) => route.operationId).filter((id) => !fixtures[id])).toEqual([]);
  });

  it.each(routes.filter((route) => route.roles === 'public').map((route) => [name(route), route] as const))('%s is public', async (_name, route) => {
    const request = await fixtureFor(route);
    const response = await harness.api.call(route.method, request.path);
    expect(response.status).toBe(route.status);
  });

  const guarded = routes.filter((route): route is ManifestRoute & { roles: readonly Role[] } => route.roles !== 'public');

  it.each(guarded.map((route) => [name(route), route] as const))('%s: 401 without a token, 403 for other roles, 2xx for its roles', async (_name, route) => {
    const request = await fixtureFor(route);
    const anonymous = await harness.api.call(route.method, request.path, { body: request.body });
    expect(anonymous.status).toBe(401);

    const forged = await harness.api.call(route.method, request.path, { body: request.body, token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' });
    expect(forged.status).toBe(401);

    for (const role of ROLES.filter((candidate) => !route.roles.includes(candidate))) {
      const refused = await harness.api.call(route.method, request.path, { body: request.body, token: await harness.api.tokenFor(role) });
      expect(refused.status, `${role} must be refused`).toBe(403);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
    }
    for (const role of route.roles) {
      // A fresh fixture per role: some routes (status moves, creates) change what they touch.
      const fresh = await fixtureFor(route);
      const allowed = await harness.api.call(route.method, fresh.path, { body: fresh.body, token: await harness.api.tokenFor(role) });
      expect(allowed.status, `${role} must be allowed: ${JSON.stringify(allowed.body)}`).toBe(route.status);
    }
  });

  it('a refused write changes nothing', async () => {
    const request = await fixtures.updateProduct?.() as Request;
    const refused = await harness.api.call('PATCH', request.path, { body: { name: 'Sneaky' }, token: await harness.api.tokenFor('market') });
    expect(refused.status).toBe(403);
    const read = await harness.api.call('GET', request.path, { token: await harness.api.tokenFor('market') });
    expect(read.body).toMatchObject({ name: 'Smart lock S2', version: 1 });
  });
});

describe('api: the OpenAPI document', () => {
  it('documents every manifest route with its roles', async () => {
    const response = await harness.api.call('GET', '/openapi.json');
    expect(response.body.openapi).toBe('3.1.0');
    for (const route of routes) {
      const operation = response.body.paths?.[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${name(route)} is missing from openapi.json`).toBeDefined();
      expect(operation.operationId).toBe(route.operationId);
      expect(operation['x-roles']).toEqual(route.roles);
    }
  });

  it('serves a readable docs page', async () => {
    const response = await harness.api.call('GET', '/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.body).toContain('/products/{id}');
  });
});

/** A draft order body: one unit of a stocked product for a fresh customer through a fresh channel. */
async function anOrderBody(): Promise<Record<string, unknown>> {
  const level = await newStockedLevel();
  const admin = await harness.api.as('admin');
  const [customer, channel] = await Promise.all([admin('POST', '/customers', { body: aCustomer() }), admin('POST', '/channels', { body: aChannel() })]);
  expect([customer.status, channel.status]).toEqual([201, 201]);
  return { customerId: customer.body.id, channelId: channel.body.id, lines: [{ ...level, quantity: 2 }] };
}

/** An order taken as far as `state` by admin. */
async function newOrderId(state: 'draft' | 'confirmed' | 'shipped'): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', '/orders', { body: await anOrderBody() });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  if (state !== 'draft') expect((await admin('POST', `/orders/${id}/confirm`)).status).toBe(200);
  if (state === 'shipped') expect((await admin('POST', `/orders/${id}/shipments`, { body: {} })).status).toBe(200);
  return id;
}

async function newInvoiceId(): Promise<string> {
  const admin = await harness.api.as('admin');
  const invoice = await admin('POST', `/orders/${await newOrderId('shipped')}/invoices`, { body: { taxRatePercent: 13, issueDate: '2098-12-01' } });
  expect(invoice.status).toBe(201);
  return invoice.body.id as string;
}

async function newBrandId(): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', '/brands', { body: aBrand() });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function newCampaignId(): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', '/campaigns', { body: aCampaign(await newBrandId()) });
  expect(created.status).toBe(201);
  return created.body.id;
}

/**
 * A fresh material taken by management as far as `state`, as its path. Approving needs the
 * market head or management: the market token's user is made the market head, so the `market`
 * role's call is the head's.
 */
async function newMaterialPath(state: 'draft' | 'review' | 'approved'): Promise<string> {
  const admin = await harness.api.as('admin');
  const management = await harness.api.as('management');
  const campaignId = await newCampaignId();
  const created = await admin('POST', `/campaigns/${campaignId}/materials`, { body: aMaterial() });
  expect(created.status).toBe(201);
  const path = `/campaigns/${campaignId}/materials/${created.body.id}`;
  expect((await admin('PUT', '/departments/market', { body: { head: { name: 'Market head', email: 'market@example.com' } } })).status).toBe(200);
  if (state !== 'draft') expect((await admin('POST', `${path}/submit`)).status).toBe(200);
  if (state === 'approved') expect((await management('POST', `${path}/approve`)).status).toBe(200);
  return path;
}

/** A sales field report (the one kind every intel author may record). */
function aFieldReport() {
  return anIntelEntry({ kind: 'sales-field-report', source: { type: 'sales-field-report', name: 'Dealer visit' } });
}

async function newFieldReportId(): Promise<string> {
  const sales = await harness.api.as('sales');
  const created = await sales('POST', '/market-intel', { body: aFieldReport() });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function newCompetitorId(): Promise<string> {
  const admin = await harness.api.as('admin');
  const created = await admin('POST', '/competitors', { body: aCompetitor() });
  expect(created.status).toBe(201);
  return created.body.id;
}
