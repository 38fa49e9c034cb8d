import { describe, expect, it } from 'vitest';
import { CostDisplay, describeDisplayChange, type DisplayChanged, type DisplayState } from './display';

const blank: DisplayState = { priceText: null, runningCost: null, finalCost: null };

function aDisplay(connectors = 2) {
  const changes: [number, DisplayState, string[]][] = [];
  const display = new CostDisplay(connectors, (evseId, state, changed) =>
    changes.push([evseId, state, changed]),
  );
  return { display, changes };
}

describe('CostDisplay', () => {
  it('holds a price for a token until it is presented, then shows it there only', () => {
    const { display, changes } = aDisplay();
    display.holdPriceText('TAG-1', '0.30/kWh');
    display.present(1, 'TAG-2');
    expect(display.state(1)).toEqual(blank);
    display.present(2, 'TAG-1');
    expect(display.state(2)).toEqual({ ...blank, priceText: '0.30/kWh' });
    expect(display.state(0)).toEqual(blank);
    expect(changes).toEqual([
      [0, { ...blank, priceText: '0.30/kWh' }, ['priceText']],
      [0, blank, ['priceText']],
      [2, { ...blank, priceText: '0.30/kWh' }, ['priceText']],
    ]);
  });

  it('finds the connector a token was presented on last', () => {
    const { display } = aDisplay(3);
    display.present(1, 'TAG-1');
    display.present(3, 'TAG-1');
    display.present(2, 'TAG-2');
    expect(display.connectorOfToken('TAG-1')).toBe(3);
    expect(display.connectorOfToken('TAG-3')).toBeUndefined();
  });

  it('keeps the last ended session for its final cost until the next driver comes', () => {
    const { display, changes } = aDisplay();
    display.present(1, 'TAG-1');
    display.showRunningCost(1, '7', 2.5, new Date('2025-03-01T10:00:00Z'));
    display.sessionEnded(1, '7');
    expect(display.connectorOfEndedTransaction('7')).toBe(1);
    display.showFinalCost(1, '7', 3, '3.00 in total');
    expect(display.state(1)).toEqual({ priceText: '3.00 in total', runningCost: 2.5, finalCost: 3 });
    display.present(1, 'TAG-2');
    expect(display.state(1)).toEqual(blank);
    expect(display.connectorOfEndedTransaction('7')).toBeUndefined();
    expect(changes.map(([, , changed]) => changed)).toEqual([
      ['runningCost'],
      ['priceText', 'finalCost'],
      ['priceText', 'runningCost', 'finalCost'],
    ]);
  });

  it('shows the default price on idle screens only; a driver price, a session and its costs go first', () => {
    const { display, changes } = aDisplay();
    display.showDefaultPriceText('$0.45/kWh');
    expect(display.state(1)).toEqual({ ...blank, priceText: '$0.45/kWh' });
    expect(display.state(2)).toEqual({ ...blank, priceText: '$0.45/kWh' });
    // Connector 0 is the price held for the next driver, not a screen.
    expect(display.state(0)).toEqual(blank);
    // A driver presents a card: still the default until their own price comes.
    display.present(1, 'TAG-1');
    expect(display.state(1).priceText).toBe('$0.45/kWh');
    display.showPriceText(1, '$0.30/kWh (members)');
    expect(display.state(1).priceText).toBe('$0.30/kWh (members)');
    display.present(2, 'TAG-2');
    display.sessionStarted(2);
    expect(display.state(2)).toEqual(blank);
    display.sessionEnded(2, '9');
    expect(display.state(2).priceText).toBe('$0.45/kWh');
    // A session that showed costs keeps them until the screen is cleared.
    display.sessionStarted(1);
    display.showRunningCost(1, '7', 2.5, new Date('2025-03-01T10:00:00Z'));
    display.sessionEnded(1, '7');
    display.showFinalCost(1, '7', 3);
    expect(display.state(1)).toEqual({ priceText: '$0.30/kWh (members)', runningCost: 2.5, finalCost: 3 });
    display.clear(1, '6');
    expect(display.state(1).finalCost).toBe(3);
    display.clear(1, '7');
    expect(display.state(1)).toEqual({ ...blank, priceText: '$0.45/kWh' });
    expect(display.connectorOfEndedTransaction('7')).toBeUndefined();
    // A new default reaches every idle screen; none clears it.
    changes.length = 0;
    display.showDefaultPriceText('$0.50/kWh');
    display.showDefaultPriceText(null);
    expect(changes).toEqual([
      [1, { ...blank, priceText: '$0.50/kWh' }, ['priceText']],
      [2, { ...blank, priceText: '$0.50/kWh' }, ['priceText']],
      [1, blank, ['priceText']],
      [2, blank, ['priceText']],
    ]);
  });

  it('does not clear a screen whose connector has a new session', () => {
    const { display } = aDisplay(1);
    display.showDefaultPriceText('$0.45/kWh');
    display.sessionStarted(1);
    display.sessionEnded(1, '7');
    display.showFinalCost(1, '7', 3);
    display.present(1, 'TAG-2');
    display.sessionStarted(1);
    display.clear(1, '7');
    expect(display.state(1)).toEqual(blank);
  });

  it('refuses a connector it does not have', () => {
    expect(() => aDisplay().display.state(3)).toThrow(RangeError);
  });
});

describe('describeDisplayChange', () => {
  const change = (over: Partial<DisplayChanged>): DisplayChanged => ({
    identity: 'CHI-L2-01',
    evseId: 1,
    ...blank,
    changed: [],
    ...over,
  });

  it.each([
    [{ runningCost: 3.421, changed: ['runningCost'] }, 'CHI-L2-01 #1 cost 3.42'],
    [{ runningCost: 3.1, finalCost: 3.42, changed: ['finalCost'] }, 'CHI-L2-01 #1 final cost 3.42'],
    [{ priceText: '0.30/kWh', changed: ['priceText'] }, 'CHI-L2-01 #1 price "0.30/kWh"'],
    [
      { evseId: 0, priceText: '0.30/kWh', changed: ['priceText'] },
      'CHI-L2-01 price "0.30/kWh" (for the next driver)',
    ],
    [
      { priceText: 'total', finalCost: 3, changed: ['priceText', 'finalCost'] },
      'CHI-L2-01 #1 final cost 3.00, price "total"',
    ],
    [{ changed: ['priceText', 'runningCost'] }, undefined],
  ] as [Partial<DisplayChanged>, string | undefined][])('%o: %s', (over, line) => {
    expect(describeDisplayChange(change(over))).toBe(line);
  });
});
