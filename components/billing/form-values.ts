import { rateToString, toMajorString } from '@/lib/domain/pricing/money';
import type { TariffVersion } from '@/lib/domain/pricing/tariff';

/** A time-of-use band as the editor holds it: prices as typed, '' = the base price applies. */
export interface BandDraft {
  /** Stable React key; not sent. */
  key: string;
  label: string;
  days: number[];
  start: string;
  /** As a time input shows it: '00:00' stands for midnight at the end ('24:00'). */
  end: string;
  energyPrice: string;
  timePrice: string;
  idlePrice: string;
}

/** The editor's fields as text, the way the form sends them. */
export interface TariffFormValues {
  currency: string;
  taxRate: string;
  pricesIncludeTax: boolean;
  energyPrice: string;
  timePrice: string;
  idlePrice: string;
  idleGrace: string;
  sessionFee: string;
  minPrice: string;
  maxPrice: string;
  bands: BandDraft[];
}

let nextKey = 0;
/** A key for a band row that lives only in this browser tab. */
export const bandKey = () => `band-${++nextKey}`;

const rateText = (rate: number | null, currency: string) =>
  rate === null ? '' : rateToString(rate, currency);
const amountText = (amount: number | null, currency: string) =>
  amount === null ? '' : toMajorString(amount, currency);

/** The form prefilled from a version (a new version starts from the current one), or blank. */
export function formValuesOf(version: TariffVersion | null, currency: string): TariffFormValues {
  if (!version)
    return {
      currency,
      taxRate: '',
      pricesIncludeTax: false,
      energyPrice: '',
      timePrice: '',
      idlePrice: '',
      idleGrace: '',
      sessionFee: '',
      minPrice: '',
      maxPrice: '',
      bands: [],
    };
  const c = version.currency;
  return {
    currency: c,
    taxRate: version.taxRateBp === 0 ? '' : String(version.taxRateBp / 100),
    pricesIncludeTax: version.pricesIncludeTax,
    energyPrice: rateText(version.base.energyPerKwh, c),
    timePrice: rateText(version.base.timePerMinute, c),
    idlePrice: rateText(version.base.idlePerMinute, c),
    idleGrace: version.idleGraceMinutes === 0 ? '' : String(version.idleGraceMinutes),
    sessionFee: version.sessionFee === 0 ? '' : amountText(version.sessionFee, c),
    minPrice: amountText(version.minPrice, c),
    maxPrice: amountText(version.maxPrice, c),
    // Deterministic keys: the server renders these rows too.
    bands: version.bands.map((b, i) => ({
      key: `saved-${i}`,
      label: b.label,
      days: [...b.window.days],
      start: b.window.start,
      end: b.window.end === '24:00' ? '00:00' : b.window.end,
      energyPrice: rateText(b.prices.energyPerKwh, c),
      timePrice: rateText(b.prices.timePerMinute, c),
      idlePrice: rateText(b.prices.idlePerMinute, c),
    })),
  };
}

/**
 * The bands as the form's hidden `bands` field carries them. A time input cannot show 24:00, so an
 * end at 00:00 is sent as 24:00: the same instant for a band that starts later in the day, and the
 * only way to say "until midnight" for one that starts at 00:00.
 */
export function serialiseBands(bands: readonly BandDraft[]): string {
  return JSON.stringify(
    bands.map((b) => ({
      label: b.label,
      days: b.days,
      start: b.start,
      end: b.end === '00:00' ? '24:00' : b.end,
      energyPrice: b.energyPrice,
      timePrice: b.timePrice,
      idlePrice: b.idlePrice,
    })),
  );
}
