import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MAX_REQUEST_BYTES } from '../../infra/local/http-server';
import { createSigningKey, mintToken } from '../../infra/local/jwt';
import { readSentEmails } from '../../infra/local/ses';
import { startLocalStack, type LocalStack } from '../../infra/local/stack';

/**
 * The local stack in this process, on the harness's DynamoDB Local and SES (this file's own
 * table): requests go through the local API Gateway, changes through stream → bus → notify.
 */
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    sesEndpoint: inject('sesEndpoint'),
    tableName: process.env.TABLE_NAME,
    corsOrigins: 'https://app.example.com',
    streamStartPosition: 'TRIM_HORIZON',
    schedules: false,
    quiet: true,
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe('local API gateway', () => {
  it('serves the public health route without a token', async () => {
    const response = await fetch(`${stack.apiUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers 401 problem+json without calling the function when the token is missing or forged', async () => {
    const missing = await fetch(`${stack.apiUrl}/departments`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(await missing.json()).toMatchObject({ status: 401, title: 'Unauthorized' });

    const forged = await mintToken({ key: await createSigningKey(), roles: ['admin'] });
    const refused = await fetch(`${stack.apiUrl}/departments`, { headers: { authorization: `Bearer ${forged}` } });
    expect(refused.status).toBe(401);
  });

  it('lets a verified token through, with the groups the function can read', async () => {
    const response = await fetch(`${stack.apiUrl}/departments`, { headers: { authorization: `Bearer ${await stack.token(['sales'])}` } });
    expect(response.status).toBe(200);
  });

  it('leaves the role check to the function: 403 for a role the route does not allow', async () => {
    const response = await fetch(`${stack.apiUrl}/departments/sales`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await stack.token(['sales'])}`, 'content-type': 'application/json' },
      body: JSON.stringify({ head: null }),
    });
    expect(response.status).toBe(403);
  });

  it('answers 404 for an unknown path and 405 with Allow for a known path', async () => {
    const unknown = await fetch(`${stack.apiUrl}/nowhere`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    const wrongMethod = await fetch(`${stack.apiUrl}/health`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('answers CORS preflight for an allowed origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.apiUrl}/products`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a body over 10 MB with 413', async () => {
    const response = await fetch(`${stack.apiUrl}/products`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await stack.token(['production'])}`, 'content-type': 'application/json' },
      body: Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x20),
    });
    expect(response.status).toBe(413);
  });

  it('serves a self-contained docs page listing the operations', async () => {
    const response = await fetch(`${stack.apiUrl}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('/products/{id}');
    expect(html).not.toMatch(/<script|<link /);
  });
});

describe('local change path: table stream → changes → bus → notify → SES', () => {
  it('emails a new department head within seconds of the write', async () => {
    const email = `head-${randomUUID()}@example.com`;
    const started = Date.now();
    const response = await fetch(`${stack.apiUrl}/departments/sales`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await stack.token(['admin'])}`, 'content-type': 'application/json' },
      body: JSON.stringify({ head: { name: 'Ann Lee', email } }),
    });
    expect(response.status).toBe(200);

    await stack.idle();
    const sent = (await readSentEmails(stack.sesEndpoint)).filter((message) => message.destination.to.includes(email));
    expect(sent).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(stack.eventBus.deadLetters).toHaveLength(0);
    expect(stack.streamPoller.deadLetters).toHaveLength(0);
  });
});
