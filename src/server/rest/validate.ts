import type { z } from 'zod';
import { refuse } from '../domain/refusal';

/** Zod → DRF-style field errors: `{detail: 'content: This field may not be blank.', errors: {content: [...]}}`. */
export function validate<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const errors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.') || 'non_field_errors';
    const message =
      issue.code === 'invalid_type' && issue.input === undefined ? 'This field is required.' : issue.message;
    errors[key] = [...(errors[key] ?? []), message];
  }
  const [field, messages] = Object.entries(errors)[0]!;
  return refuse('invalid_input', `${field}: ${messages[0]}`, { errors });
}
