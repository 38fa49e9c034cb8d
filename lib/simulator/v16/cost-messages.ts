import { z } from 'zod';
import type { StationDisplay } from '../protocol';

/**
 * The OCA "OCPP & California Pricing Requirements" messages for 1.6: DataTransfers from the CSMS
 * under this vendor id whose `data` is a JSON text. Costs are in major units, taxes included; extra
 * fields (priceTextExtra, qrCodeText, nextPeriod, triggerMeterValue) are allowed and not shown.
 */
export const costVendorId = 'org.openchargealliance.costmsg';

type CostAnswer = { status: 'Accepted' | 'Rejected' | 'UnknownMessageId' };

const price = z.number().nonnegative();

const setUserPrice = z.object({ idToken: z.string().min(1), priceText: z.string() });

const runningCost = z.object({
  transactionId: z.int(),
  timestamp: z.iso.datetime({ offset: true }),
  meterValue: z.number().nonnegative(), // Wh
  cost: z.number(),
  state: z.enum(['Charging', 'Idle']),
  chargingPrice: z
    .object({ kWhPrice: price.optional(), hourPrice: price.optional(), flatFee: price.optional() })
    .optional(),
  idlePrice: z
    .object({ graceMinutes: z.int().nonnegative().optional(), hourPrice: price.optional() })
    .optional(),
});

const finalCost = z.object({ transactionId: z.int(), cost: z.number(), priceText: z.string().optional() });

/**
 * The DefaultPrice configuration key's value: the price for anyone (priceText, shown before a
 * driver identifies), the text for when the station is offline, and the prices it charges then.
 */
const defaultPrice = z.object({
  priceText: z.string(),
  priceTextOffline: z.string().optional(),
  chargingPrice: z.object({
    kWhPrice: price.optional(),
    hourPrice: price.optional(),
    flatFee: price.optional(),
  }),
});

export type DefaultPrice = z.infer<typeof defaultPrice>;

/** A DefaultPrice value, or undefined when it is no JSON or not of the OCA shape. */
export function parseDefaultPrice(text: string): DefaultPrice | undefined {
  const m = defaultPrice.safeParse(parseJson(text));
  return m.success ? m.data : undefined;
}

/** Each message shows its content; false when it does not parse or names no known transaction. */
const show: Record<string, (data: unknown, display: StationDisplay) => boolean> = {
  // The price for a driver, once identified: before the session starts or while it runs.
  SetUserPrice(data, display) {
    const m = setUserPrice.safeParse(data);
    return m.success && display.showPriceText({ idToken: m.data.idToken }, m.data.priceText);
  },
  RunningCost(data, display) {
    const m = runningCost.safeParse(data);
    return (
      m.success &&
      display.showRunningCost(String(m.data.transactionId), m.data.cost, new Date(m.data.timestamp))
    );
  },
  // Sent after StopTransaction.
  FinalCost(data, display) {
    const m = finalCost.safeParse(data);
    return m.success && display.showFinalCost(String(m.data.transactionId), m.data.cost, m.data.priceText);
  },
};

/**
 * The answer to a DataTransfer for `costVendorId`: Accepted once shown, Rejected for data that is no
 * JSON, lacks a field or names a transaction the station does not know, UnknownMessageId otherwise.
 */
export function answerCostMessage(
  display: StationDisplay,
  request: { messageId?: string; data?: string },
): CostAnswer {
  const messageId = request.messageId ?? '';
  const handler = Object.hasOwn(show, messageId) ? show[messageId] : undefined;
  if (!handler) return { status: 'UnknownMessageId' };
  const data = parseJson(request.data);
  return { status: data !== undefined && handler(data, display) ? 'Accepted' : 'Rejected' };
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
