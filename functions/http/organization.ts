import { organizationFunction } from '../../infra/manifest/organization';
import { defaultContext } from '../../lib/platform/context';
import { httpFunction } from '../../lib/platform/http/http-function';
import { getSettings, listDepartments, updateDepartment, updateSettings } from '../../lib/organization/service';

export const handler = httpFunction(organizationFunction, {
  listDepartments: async () => ({ body: { items: await listDepartments() } }),
  updateDepartment: async ({ actor, params, body, ifMatch }) => {
    const department = await updateDepartment(defaultContext, actor, params.code, body, ifMatch);
    return { body: department, version: department.version };
  },
  getSettings: async () => {
    const settings = await getSettings();
    return { body: settings, version: settings.version };
  },
  updateSettings: async ({ actor, body, ifMatch }) => {
    const settings = await updateSettings(defaultContext, actor, body, ifMatch);
    return { body: settings, version: settings.version };
  },
});
