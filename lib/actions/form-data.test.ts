import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldErrorsOf } from '@/lib/validation/fields';
import { formDataToObject } from './form-data';

describe('formDataToObject', () => {
  it('keeps single fields, collects x[] fields into arrays and drops Next internals', () => {
    const form = new FormData();
    form.append('name', 'Dana');
    form.append('siteIds[]', 'a');
    form.append('siteIds[]', 'b');
    form.append('$ACTION_ID_123', '');
    expect(formDataToObject(form)).toEqual({ name: 'Dana', siteIds: ['a', 'b'] });
  });
});

describe('fieldErrorsOf', () => {
  it('keeps the first message per field', () => {
    const result = z
      .object({ a: z.string().min(3, 'too short').email('not an email'), b: z.number() })
      .safeParse({ a: 'x', b: 'y' });
    if (result.success) throw new Error('expected failure');
    expect(fieldErrorsOf(result.error)).toEqual({ a: 'too short', b: expect.any(String) });
  });
});
