import { z } from 'zod';

/** What a technician sends from the phone while working on an order. */

export const noteInput = z.object({
  note: z.string().trim().min(1, 'Write the note first').max(4000, 'At most 4000 characters'),
});

export const partUseInput = z.object({
  partId: z.uuid('Choose a part from your van'),
  quantity: z.coerce
    .number('Enter how many')
    .int('Enter a whole number')
    .min(1, 'At least 1')
    .max(999, 'At most 999'),
});

export const photoKinds = ['before', 'after', 'other'] as const;
export type PhotoKind = (typeof photoKinds)[number];

export const photoInput = z.object({
  kind: z.enum(photoKinds, 'Choose before, after or other'),
  caption: z.string().trim().max(200, 'At most 200 characters').default(''),
});

/** Largest signature image accepted: a pad drawing is a few tens of kilobytes. */
const maxSignatureBytes = 512 * 1024;
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const signatureInput = z.object({
  signerName: z
    .string()
    .trim()
    .min(1, 'Enter the name of the person signing')
    .max(120, 'At most 120 characters'),
  /** A data URL (data:image/png;base64,...) from the signature pad. */
  png: z
    .string('Ask the site contact to sign first')
    .min(1, 'Ask the site contact to sign first')
    .transform((value, ctx) => {
      const match = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(value);
      const bytes = match ? Buffer.from(match[1] ?? '', 'base64') : null;
      if (!bytes || bytes.length < pngSignature.length || !bytes.subarray(0, 8).equals(pngSignature)) {
        ctx.addIssue({ code: 'custom', message: 'The signature did not arrive as an image: sign again' });
        return z.NEVER;
      }
      if (bytes.length > maxSignatureBytes) {
        ctx.addIssue({
          code: 'custom',
          message: 'The signature image is too large: clear it and sign again',
        });
        return z.NEVER;
      }
      return bytes;
    }),
});

export const fieldCommandKinds = ['soft-reset', 'unlock', 'trigger-status'] as const;

export const fieldCommandInput = z.object({
  kind: z.enum(fieldCommandKinds, 'Choose a command'),
  evseId: z.preprocess(
    (v: unknown) => (v === '' || v === null ? undefined : v),
    z.coerce.number().int().min(1).max(100).optional(),
  ),
});
