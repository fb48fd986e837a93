import { repairsFunction } from '../../infra/manifest/repairs';
import { defaultContext } from '../../lib/platform/context';
import { httpFunction } from '../../lib/platform/http/http-function';
import { created, versioned } from '../../lib/platform/http/reply';
import {
  cancelRepair,
  completeRepair,
  createRepair,
  getRepair,
  listRepairs,
  recordPartsUsed,
  recordReturnVisit,
  repairAsSeenBy,
  scheduleRepair,
  scheduleReturnVisit,
} from '../../lib/service/repairs/service';
import { createTechnician, getTechnician, listTechnicianTrainings, listTechnicians, recordTechnicianTraining, updateTechnician } from '../../lib/service/repairs/technicians';

export const handler = httpFunction(repairsFunction, {
  createTechnician: async ({ actor, body }) => created('technicians', await createTechnician(defaultContext, actor, body)),
  listTechnicians: async ({ query }) => ({ body: await listTechnicians(query) }),
  getTechnician: async ({ params }) => versioned(await getTechnician(params.id)),
  updateTechnician: async ({ actor, params, body, ifMatch }) => versioned(await updateTechnician(defaultContext, actor, params.id, body, ifMatch)),
  recordTechnicianTraining: async ({ actor, params, body }) => {
    const training = await recordTechnicianTraining(defaultContext, actor, params.id, body);
    return { ...versioned(training), headers: { location: `/technicians/${params.id}/trainings/${training.id}` } };
  },
  listTechnicianTrainings: async ({ params, query }) => ({ body: await listTechnicianTrainings(params.id, query) }),
  createRepair: async ({ actor, body }) => created('repairs', repairAsSeenBy(actor, await createRepair(defaultContext, actor, body))),
  listRepairs: async ({ actor, query }) => {
    const page = await listRepairs(query);
    return { body: { ...page, items: page.items.map((repair) => repairAsSeenBy(actor, repair)) } };
  },
  getRepair: async ({ actor, params }) => versioned(repairAsSeenBy(actor, await getRepair(params.id))),
  scheduleRepair: async ({ actor, params, body, ifMatch }) => versioned(repairAsSeenBy(actor, await scheduleRepair(defaultContext, actor, params.id, body, ifMatch))),
  recordPartsUsed: async ({ actor, params, body, ifMatch }) => versioned(repairAsSeenBy(actor, await recordPartsUsed(defaultContext, actor, params.id, body, ifMatch))),
  completeRepair: async ({ actor, params, body, ifMatch }) => versioned(repairAsSeenBy(actor, await completeRepair(defaultContext, actor, params.id, body, ifMatch))),
  cancelRepair: async ({ actor, params, body }) => versioned(repairAsSeenBy(actor, await cancelRepair(defaultContext, actor, params.id, body))),
  scheduleReturnVisit: async ({ actor, params, body }) => {
    const { repair, visitId } = await scheduleReturnVisit(defaultContext, actor, params.id, body);
    return { ...versioned(repairAsSeenBy(actor, repair)), headers: { location: `/repairs/${repair.id}/return-visits/${visitId}` } };
  },
  recordReturnVisit: async ({ actor, params, body }) => versioned(repairAsSeenBy(actor, await recordReturnVisit(defaultContext, actor, params.id, params.visitId, body))),
});
