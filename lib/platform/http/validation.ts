import type { z } from 'zod';
import { ValidationError, type FieldError } from '../errors';

export type InputPart = 'body' | 'query' | 'params';

/** `$.body.lines[0].quantity` — the JSON path clients use to point at the field. */
export function jsonPath(part: InputPart, path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(String(key)) ? `${acc}.${String(key)}` : `${acc}[${JSON.stringify(String(key))}]`),
    `$.${part}`,
  );
}

export function toFieldErrors(part: InputPart, error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    // Unknown keys are one issue naming several keys: report each at its own path.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: jsonPath(part, [...issue.path, key]), message: 'unknown field' }));
    }
    return [{ path: jsonPath(part, issue.path), message: issue.message }];
  });
}

export function parseInput<T extends z.ZodType>(schema: T, part: InputPart, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = toFieldErrors(part, result.error);
  throw new ValidationError(`The request ${part} is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
}
