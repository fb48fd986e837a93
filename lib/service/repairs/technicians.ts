import { getSettings } from '../../organization/service';
import { createdStamp, updatedStamp } from '../../platform/audit';
import type { Actor } from '../../platform/auth';
import type { ServiceContext } from '../../platform/context';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors';
import type { Page } from '../../platform/pagination';
import { cursorScope } from '../../platform/query';
import { localDate } from '../../platform/time';
import { assertIfMatch, lostUpdateError } from '../../platform/versioning';
import type { Technician, TechnicianCreate, TechnicianListQuery, TechnicianPatch, TechnicianTraining, TechnicianTrainingCreate, TechnicianTrainingListQuery } from './schema';
import { getTechnicianRecord, insertTechnician, insertTechnicianTraining, queryTechnicians, queryTechnicianTrainings, replaceTechnician } from './store';

/** Service-team members who carry out repairs, and their training records. */

export async function createTechnician(context: ServiceContext, actor: Actor, input: TechnicianCreate): Promise<Technician> {
  const technician: Technician = { id: context.newId(), ...input, ...createdStamp(context, actor) };
  await insertTechnician(technician, () => new ConflictError(`User ${input.userId} already has a technician record.`, { field: 'userId' }));
  return technician;
}

export async function getTechnician(id: string): Promise<Technician> {
  const technician = await getTechnicianRecord(id);
  if (!technician) throw new NotFoundError(`No technician ${id}.`);
  return technician;
}

export function listTechnicians(query: TechnicianListQuery): Promise<Page<Technician>> {
  return queryTechnicians(query, cursorScope('technicians', query));
}

export async function updateTechnician(context: ServiceContext, actor: Actor, id: string, patch: TechnicianPatch, ifMatch: number | undefined): Promise<Technician> {
  const current = await getTechnician(id);
  assertIfMatch(ifMatch, current.version);
  const { email, ...rest } = patch;
  const next: Technician = { ...current, ...rest, ...updatedStamp(context, actor, current) };
  if (email === null) delete next.email;
  else if (email !== undefined) next.email = email;
  await replaceTechnician(next, current.version, () => lostUpdateError(ifMatch));
  return next;
}

export async function recordTechnicianTraining(context: ServiceContext, actor: Actor, technicianId: string, input: TechnicianTrainingCreate): Promise<TechnicianTraining> {
  const today = localDate(context.clock.now(), (await getSettings()).timeZone);
  if (input.date > today) throw new ValidationError('A training record is written once the training has happened.', [{ path: '$.body.date', message: `must not be after ${today}` }]);
  const training: TechnicianTraining = { id: context.newId(), technicianId, ...input, ...createdStamp(context, actor) };
  await insertTechnicianTraining(training, () => new NotFoundError(`No technician ${technicianId}.`));
  return training;
}

export async function listTechnicianTrainings(technicianId: string, query: TechnicianTrainingListQuery): Promise<Page<TechnicianTraining>> {
  await getTechnician(technicianId);
  return queryTechnicianTrainings(technicianId, query, cursorScope(`technicians/${technicianId}/trainings`, query));
}
