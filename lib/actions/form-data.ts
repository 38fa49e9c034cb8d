/**
 * Turns FormData into a plain object. Fields named `x[]` become arrays under `x` (checkbox groups);
 * Next's internal `$ACTION_` fields are dropped.
 */
export function formDataToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith('$ACTION')) continue;
    if (typeof value !== 'string') continue;
    if (key.endsWith('[]')) {
      const name = key.slice(0, -2);
      const list = (out[name] as string[] | undefined) ?? [];
      list.push(value);
      out[name] = list;
    } else {
      out[key] = value;
    }
  }
  return out;
}
