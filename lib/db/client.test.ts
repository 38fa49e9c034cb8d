import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { count } from 'drizzle-orm';
import { openDatabase } from './client';
import { organisations } from './schema';

// Several instances may start at once against one PostgreSQL (rolling deploys): migrations must
// run once, not race. Only meaningful on PostgreSQL; PGlite is single-process by design.
const url = process.env.DATABASE_URL;

describe.skipIf(!url)('openDatabase on PostgreSQL', () => {
  it('lets instances that start at the same time migrate one after the other', async () => {
    const name = `chargeops_race_${crypto.randomBytes(5).toString('hex')}`;
    const admin = postgres(url!, { max: 1, onnotice: () => undefined });
    await admin.unsafe(`create database ${name}`);
    const target = new URL(url!);
    target.pathname = `/${name}`;
    try {
      const opened = await Promise.all(
        [1, 2, 3].map(() => openDatabase({ databaseUrl: target.toString(), maxConnections: 2 })),
      );
      for (const database of opened) {
        const [row] = await database.db.select({ n: count() }).from(organisations);
        expect(row?.n).toBe(0);
      }
      await Promise.all(opened.map((d) => d.close()));
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
