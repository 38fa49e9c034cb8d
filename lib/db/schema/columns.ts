import { customType } from 'drizzle-orm/pg-core';

/** Binary data (files kept in the database so every instance can serve them). */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});
