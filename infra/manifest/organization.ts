import { ALL_ROLES } from '../../lib/platform/roles';
import { departmentList, departmentParams, departmentUpdate, departmentView, settingsInput, settingsView } from '../../lib/organization/schema';
import { defineHttpFunction } from './types';

export const organizationFunction = defineHttpFunction({
  kind: 'http',
  name: 'organization',
  description: 'Departments and their heads; company settings.',
  entry: 'functions/http/organization.ts',
  routes: {
    listDepartments: {
      method: 'GET',
      path: '/departments',
      summary: 'The eight departments and their heads.',
      roles: ALL_ROLES,
      status: 200,
      response: departmentList,
    },
    updateDepartment: {
      method: 'PUT',
      path: '/departments/{code}',
      summary: 'Set a department’s name and head. A new head is emailed what they will receive.',
      roles: ['admin'],
      params: departmentParams,
      body: departmentUpdate,
      ifMatch: true,
      status: 200,
      response: departmentView,
    },
    getSettings: {
      method: 'GET',
      path: '/settings',
      summary: 'Company settings (defaults until an admin saves them).',
      roles: ALL_ROLES,
      status: 200,
      response: settingsView,
    },
    updateSettings: {
      method: 'PUT',
      path: '/settings',
      summary: 'Replace the company settings.',
      roles: ['admin'],
      body: settingsInput,
      ifMatch: true,
      status: 200,
      response: settingsView,
    },
  },
});
