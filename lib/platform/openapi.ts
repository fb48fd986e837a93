import * as z from 'zod';
import type { ZodType } from 'zod';
import type { ManifestRoute } from '../../infra/manifest';
import { MAX_BODY_BYTES } from './http/body';

type JsonSchema = Record<string, unknown>;

const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  required: ['type', 'title', 'status', 'detail', 'requestId'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string', description: 'JSON path, e.g. $.body.sku' }, message: { type: 'string' } } },
    },
  },
};

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Invalid input; `errors[]` names each field by JSON path.',
  '401': 'No token, or an invalid one.',
  '403': 'Your role may not do this.',
  '404': 'Not found.',
  '409': 'Conflict: duplicate, illegal state change, or a concurrent change.',
  '412': 'If-Match names another version.',
  '413': `Body larger than ${MAX_BODY_BYTES} bytes.`,
  '422': 'Idempotency-Key reused with another body.',
  '503': 'A dependency is unavailable; retry.',
};

function jsonSchema(schema: ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

function parameters(schema: ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (object.required ?? []).includes(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

function errorCodesOf(route: ManifestRoute): string[] {
  if (route.roles === 'public') return [];
  const codes = ['400', '401', '403', '503'];
  if (route.params) codes.push('404');
  if (route.body) codes.push('409', '413');
  if (route.ifMatch) codes.push('412');
  if (route.idempotent) codes.push('422');
  return codes.sort();
}

/** The OpenAPI 3.1 document, generated from the manifest's routes and their zod schemas. */
export function buildOpenApiDocument(routes: ManifestRoute[], serverUrl?: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const headers: JsonSchema[] = [];
    if (route.idempotent) {
      headers.push({ name: 'Idempotency-Key', in: 'header', required: false, description: 'Replays return the first response for 24 h.', schema: { type: 'string', maxLength: 255 } });
    }
    if (route.ifMatch) {
      headers.push({ name: 'If-Match', in: 'header', required: false, description: 'The ETag you read; 412 when it is stale.', schema: { type: 'string' } });
    }
    const success: Record<string, unknown> = { description: route.summary };
    if (route.response) success.content = { [route.contentType ?? 'application/json']: { schema: jsonSchema(route.response, 'output') } };
    const responses: Record<string, unknown> = { [String(route.status)]: success };
    for (const code of errorCodesOf(route)) {
      responses[code] = { description: ERROR_RESPONSES[code], content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    }
    const pathItem = (paths[route.path] ??= {});
    pathItem[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.functionName],
      'x-roles': route.roles,
      security: route.roles === 'public' ? [] : [{ cognito: [] }],
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query'), ...headers],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'postlaunch API',
      version: '0.1.0',
      description: 'Post-launch product management: market, sales, R&D, production, inventory and after-sales. Errors are RFC 9457 problem+json; lists take `limit` (≤ 100) and an opaque `cursor`.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito ID token; groups are roles.' } },
      schemas: { Problem: problemSchema },
    },
    paths,
  };
}
