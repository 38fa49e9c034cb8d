/**
 * What the station's screen shows about price and cost, per EVSE (2.0.1) or connector (1.6): the
 * driver's price text (1.6 OCA SetUserPrice / FinalCost priceText, 2.0.1 updatedPersonalMessage),
 * the running cost of the session (1.6 RunningCost, 2.0.1 CostUpdated or a TransactionEventResponse's
 * totalCost) and the final cost of the last session (1.6 FinalCost, 2.0.1 totalCost answering
 * TransactionEvent Ended). An idle screen shows the station's default price (1.6 DefaultPrice, 2.0.1
 * TariffCostCtrlr.TariffFallbackMessage), so a driver sees a price before identifying, or without
 * ever identifying (a contactless card). Version-neutral: the version folders translate their
 * messages into these calls, the station maps transactions and tokens to connectors.
 */

/** One screen as the driver sees it; costs are in the CSMS's currency, major units, tax included. */
export interface DisplayState {
  readonly priceText: string | null;
  readonly runningCost: number | null;
  readonly finalCost: number | null;
}

/** The payload of the station's `display:changed` event. */
export interface DisplayChanged extends DisplayState {
  identity: string;
  /** 0: the station-wide price text, waiting for its driver to present the token. */
  evseId: number;
  /** What changed (a field set back to null included). */
  changed: (keyof DisplayState)[];
}

interface Screen {
  priceText: string | null;
  runningCost: { transactionId: string; cost: number; at: Date } | null;
  finalCost: { transactionId: string; cost: number } | null;
  /** The id token presented last, and when (a counter): SetUserPrice finds its connector by it. */
  idToken?: string;
  presented: number;
  /** The session that ended last: its FinalCost comes after StopTransaction / TransactionEvent Ended. */
  endedTransactionId?: string;
  /** A session runs on the connector (from its start until it ended). */
  inSession: boolean;
}

const fields: (keyof DisplayState)[] = ['priceText', 'runningCost', 'finalCost'];

/** The screens of one station, and a price text held for a driver who has not shown up yet. */
export class CostDisplay {
  private readonly screens: Screen[];
  /** A price text for a token not presented on any connector yet. */
  private pending: { idToken: string; priceText: string } | null = null;
  private presentations = 0;
  /** The price for anyone, shown on screens with nothing more specific to show. */
  private defaultPriceText: string | null = null;

  constructor(
    connectors: number,
    private readonly onChange: (evseId: number, state: DisplayState, changed: (keyof DisplayState)[]) => void,
  ) {
    this.screens = Array.from({ length: connectors }, () => ({
      priceText: null,
      runningCost: null,
      finalCost: null,
      presented: 0,
      inSession: false,
    }));
  }

  /** Connector 0 shows the pending price text only. */
  state(evseId: number): DisplayState {
    if (evseId === 0)
      return { priceText: this.pending?.priceText ?? null, runningCost: null, finalCost: null };
    const screen = this.screen(evseId);
    // The driver's own price, a session's costs and a running session all take precedence.
    const idle = !screen.inSession && screen.runningCost === null && screen.finalCost === null;
    return {
      priceText: screen.priceText ?? (idle ? this.defaultPriceText : null),
      runningCost: screen.runningCost?.cost ?? null,
      finalCost: screen.finalCost?.cost ?? null,
    };
  }

  /** A driver presents a token: the last driver's figures go, a price held for this token shows. */
  present(evseId: number, idToken: string): void {
    const held = this.pending?.idToken === idToken ? this.pending.priceText : null;
    if (held !== null) this.update(0, () => (this.pending = null));
    const screen = this.screen(evseId);
    this.update(evseId, () => {
      screen.priceText = held;
      screen.runningCost = null;
      screen.finalCost = null;
      screen.idToken = idToken;
      screen.presented = ++this.presentations;
      screen.endedTransactionId = undefined;
    });
  }

  sessionStarted(evseId: number): void {
    const screen = this.screen(evseId);
    this.update(evseId, () => (screen.inSession = true));
  }

  sessionEnded(evseId: number, transactionId: string): void {
    const screen = this.screen(evseId);
    this.update(evseId, () => {
      screen.inSession = false;
      screen.endedTransactionId = transactionId;
    });
  }

  /**
   * The screen returns to its idle state after the ended session's figures were shown for a while
   * (unless another driver came meanwhile): the default price shows again, and a FinalCost for that
   * session comes too late.
   */
  clear(evseId: number, transactionId: string): void {
    const screen = this.screen(evseId);
    if (screen.inSession || screen.endedTransactionId !== transactionId) return;
    this.update(evseId, () => {
      screen.priceText = null;
      screen.runningCost = null;
      screen.finalCost = null;
      screen.endedTransactionId = undefined;
    });
  }

  /** The price for anyone (null: none), on every screen that has nothing more specific to show. */
  showDefaultPriceText(priceText: string | null): void {
    const before = this.screens.map((_, i) => this.state(i + 1));
    this.defaultPriceText = priceText;
    before.forEach((state, i) => this.report(i + 1, state));
  }

  /** The connector the token was presented on last. */
  connectorOfToken(idToken: string): number | undefined {
    let found: number | undefined;
    let latest = 0;
    this.screens.forEach((screen, i) => {
      if (screen.idToken === idToken && screen.presented > latest) {
        found = i + 1;
        latest = screen.presented;
      }
    });
    return found;
  }

  /** The connector whose last ended session is `transactionId` (until the next driver comes). */
  connectorOfEndedTransaction(transactionId: string): number | undefined {
    const i = this.screens.findIndex((s) => s.endedTransactionId === transactionId);
    return i >= 0 ? i + 1 : undefined;
  }

  showPriceText(evseId: number, priceText: string): void {
    const screen = this.screen(evseId);
    this.update(evseId, () => (screen.priceText = priceText));
  }

  /** Kept station-wide until the token is presented (a newer one replaces it). */
  holdPriceText(idToken: string, priceText: string): void {
    this.update(0, () => (this.pending = { idToken, priceText }));
  }

  showRunningCost(evseId: number, transactionId: string, cost: number, at: Date): void {
    const screen = this.screen(evseId);
    this.update(evseId, () => (screen.runningCost = { transactionId, cost, at }));
  }

  showFinalCost(evseId: number, transactionId: string, cost: number, priceText?: string): void {
    const screen = this.screen(evseId);
    this.update(evseId, () => {
      screen.finalCost = { transactionId, cost };
      if (priceText !== undefined) screen.priceText = priceText;
    });
  }

  private screen(evseId: number): Screen {
    const screen = this.screens[evseId - 1];
    if (!screen) throw new RangeError(`No connector ${evseId}`);
    return screen;
  }

  /** Applies `change` and reports what the driver now sees differently, if anything. */
  private update(evseId: number, change: () => void): void {
    const before = this.state(evseId);
    change();
    this.report(evseId, before);
  }

  private report(evseId: number, before: DisplayState): void {
    const after = this.state(evseId);
    const changed = fields.filter((f) => before[f] !== after[f]);
    if (changed.length) this.onChange(evseId, after, changed);
  }
}

/** One line for a log or the CLI ("CHI-L2-01 #1 cost 3.42"); undefined when only something was cleared. */
export function describeDisplayChange(event: DisplayChanged): string | undefined {
  const parts: string[] = [];
  if (event.changed.includes('runningCost') && event.runningCost !== null)
    parts.push(`cost ${event.runningCost.toFixed(2)}`);
  if (event.changed.includes('finalCost') && event.finalCost !== null)
    parts.push(`final cost ${event.finalCost.toFixed(2)}`);
  if (event.changed.includes('priceText') && event.priceText !== null)
    parts.push(
      `price ${JSON.stringify(event.priceText)}${event.evseId === 0 ? ' (for the next driver)' : ''}`,
    );
  if (!parts.length) return undefined;
  return `${event.identity}${event.evseId === 0 ? '' : ` #${event.evseId}`} ${parts.join(', ')}`;
}
