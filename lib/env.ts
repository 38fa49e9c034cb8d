import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting ChargeOps reads from the environment, validated once at start-up.
 * `.env.example` lists each of them with its default; keep the two in step.
 */
const flag = (byDefault: '0' | '1') =>
  z
    .enum(['0', '1', 'true', 'false', ''])
    .default(byDefault)
    .transform((v) => v === '1' || v === 'true');

const localOrRemotePostgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql://')
  .refine((v) => URL.canParse(v), 'is not a valid URL');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: localOrRemotePostgresUrl.optional(),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters (try: openssl rand -base64 32)').optional(),
  SESSION_HOURS: z.coerce
    .number()
    .min(0.25)
    .max(24 * 7)
    .default(10),
  ADMIN_EMAIL: z.email('must be an email address').optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  DEMO: flag('0'),
  DEMO_CHARGERS: flag('1'),
  /** Average minutes between faults of each demo charger (0: never). */
  DEMO_FAULT_MINUTES: z.coerce.number().min(0).max(100_000).default(240),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAP_TILE_URL: z.string().min(1).default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60000).default(10000),
  OCPP_AUTO_REGISTER: z.enum(['off', 'pending', 'accept']).default('off'),
  OCPP_HEARTBEAT_INTERVAL: z.coerce.number().int().min(10).max(86400).default(300),
  OCPP_MAX_FRAME_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(65536),
  OCPP_MESSAGE_LOG_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  OCPP_RATE_LIMIT: z.coerce.number().min(1).max(10000).default(20),
  OCPP_COMMAND_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(30),
  /** Stripe secret key for card payments (sk_live_... / sk_test_...); unset = card payments off. */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(live|test)_[A-Za-z0-9]+$/, 'must be a Stripe secret key (sk_live_... or sk_test_...)')
    .optional(),
  /** Where the Stripe API is (an origin; a local stand-in, for instance); default Stripe's own. */
  STRIPE_API_BASE: z
    .string()
    .refine(
      (v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol),
      'must be an http:// or https:// URL',
    )
    .optional(),
  /**
   * The network provider key EV-ChART knows this network by (from EV-ChART's provider list, e.g.
   * shell_recharge); written in every row of the NEVI exports, which are refused while it is unset.
   */
  NEVI_NETWORK_PROVIDER: z
    .string()
    .max(100)
    .regex(
      /^[a-z0-9][a-z0-9_-]*$/,
      'must be a key from EV-ChART’s network provider list, e.g. shell_recharge',
    )
    .optional(),
  PUBLIC_URL: z
    .string()
    .refine(
      (v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol),
      'must be an http:// or https:// URL',
    )
    .optional(),
});

/** Names of every variable ChargeOps reads. */
export const envKeys = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

export type Env = z.infer<typeof envSchema> & { dataDir: string };

/** Thrown when the environment is invalid; its message lists one line per bad variable. */
export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses an environment (process.env by default); empty strings count as unset. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned: Record<string, string> = {};
  for (const key of envKeys) {
    const value = source[key];
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '?');
        return `${key}=${JSON.stringify(cleaned[key] ?? '')}: ${issue.message}`;
      }),
    );
  }
  const env = result.data;
  if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
    throw new EnvError(['ADMIN_EMAIL and ADMIN_PASSWORD: set both or neither']);
  }
  return { ...env, dataDir: path.resolve(env.DATA_DIR) };
}

const slot = Symbol.for('chargeops.env');
type Slot = { [slot]?: Env };

/** The validated environment, parsed on first use and shared by the server and Next.js bundles. */
export function getEnv(): Env {
  const g = globalThis as Slot;
  g[slot] ??= parseEnv();
  return g[slot];
}

/** Replaces the cached environment (the server calls it after filling in generated values). */
export function setEnv(env: Env): void {
  (globalThis as Slot)[slot] = env;
}
