import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError, ConflictError } from '../../../lib/platform/errors';
import { MAX_BODY_BYTES, readJsonBody } from '../../../lib/platform/http/body';
import { etagOf, parseIfMatch } from '../../../lib/platform/http/etag';
import { toProblemResponse } from '../../../lib/platform/http/problem';
import type { HttpEvent } from '../../../lib/platform/http/types';
import { jsonPath, parseInput } from '../../../lib/platform/http/validation';

const eventWithBody = (body: string, contentType = 'application/json') =>
  ({ body, isBase64Encoded: false, headers: { 'content-type': contentType } }) as unknown as HttpEvent;

describe('http: validation errors name each field by JSON path', () => {
  const schema = z.object({ sku: z.string(), lines: z.array(z.object({ quantity: z.number().int() }).strict()) }).strict();

  it('points at nested fields and array items', () => {
    try {
      parseInput(schema, 'body', { sku: 1, lines: [{ quantity: 1.5 }] });
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors.map((e) => e.path).sort()).toEqual(['$.body.lines[0].quantity', '$.body.sku']);
    }
  });

  it('names every unknown field', () => {
    const error = (() => {
      try {
        parseInput(schema, 'body', { sku: 'a', lines: [], colour: 'red', 'odd key': 1 });
      } catch (caught) {
        return caught as ValidationError;
      }
    })();
    expect(error?.errors).toEqual([
      { path: '$.body.colour', message: 'unknown field' },
      { path: '$.body["odd key"]', message: 'unknown field' },
    ]);
  });

  it('writes paths for odd keys with brackets', () => {
    expect(jsonPath('query', ['a-b', 0, 'c'])).toBe('$.query["a-b"][0].c');
  });
});

describe('http: JSON body', () => {
  it('parses JSON bodies', () => {
    expect(readJsonBody(eventWithBody('{"a":1}', 'application/json; charset=utf-8'))).toEqual({ a: 1 });
  });

  it('refuses bodies over 256 KiB with 413', () => {
    expect(() => readJsonBody(eventWithBody(`"${'x'.repeat(MAX_BODY_BYTES)}"`))).toThrow(PayloadTooLargeError);
  });

  it('refuses other media types with 415 and broken JSON with 400', () => {
    expect(() => readJsonBody(eventWithBody('a=1', 'application/x-www-form-urlencoded'))).toThrow(UnsupportedMediaTypeError);
    expect(() => readJsonBody(eventWithBody('{"a":'))).toThrow(ValidationError);
  });
});

describe('http: ETag and If-Match', () => {
  it('round-trips a version', () => {
    expect(parseIfMatch(etagOf(7))).toBe(7);
    expect(parseIfMatch('W/"3"')).toBe(3);
  });

  it('treats * and absence as no precondition, and refuses garbage', () => {
    expect(parseIfMatch('*')).toBeUndefined();
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(() => parseIfMatch('3')).toThrow(ValidationError);
  });
});

describe('http: problem+json', () => {
  it('tells the caller what they did wrong, with the request id', () => {
    const response = toProblemResponse(new ConflictError('SKU taken', { field: 'sku' }), 'req-1');
    expect(response.statusCode).toBe(409);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body as string)).toEqual({
      type: 'https://postlaunch.dev/problems/conflict',
      title: 'Conflict',
      status: 409,
      detail: 'SKU taken',
      requestId: 'req-1',
      field: 'sku',
    });
  });

  it('never lets an extension overwrite the status, type or request id', () => {
    const response = toProblemResponse(new ConflictError('Order is a draft', { status: 'draft', type: 'x', requestId: 'forged' }), 'req-4');
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body as string)).toMatchObject({ status: 409, type: 'https://postlaunch.dev/problems/conflict', requestId: 'req-4' });
  });

  it('never leaks an internal error’s message or stack', () => {
    const response = toProblemResponse(new Error('connect ECONNREFUSED 10.0.0.1:8000 at secret.ts:12'), 'req-2');
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(response.body).not.toContain('secret.ts');
    expect(JSON.parse(response.body as string).requestId).toBe('req-2');
  });

  it('answers 503 with Retry-After when DynamoDB throttles', () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const response = toProblemResponse(throttled, 'req-3');
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('1');
    expect(response.body).not.toContain('Rate exceeded');
  });
});
