import * as z from 'zod';
import { defineHttpFunction } from './types';

export const publicFunction = defineHttpFunction({
  kind: 'http',
  name: 'public',
  description: 'Unauthenticated routes: health check and the OpenAPI document.',
  entry: 'functions/http/public.ts',
  routes: {
    health: {
      method: 'GET',
      path: '/health',
      summary: 'Liveness check.',
      roles: 'public',
      status: 200,
      response: z.object({ status: z.literal('ok'), time: z.iso.datetime() }).strict(),
    },
    openapi: {
      method: 'GET',
      path: '/openapi.json',
      summary: 'This API’s OpenAPI 3.1 document.',
      roles: 'public',
      status: 200,
      response: z.record(z.string(), z.unknown()),
    },
  },
});
