/**
 * Addresses of configuration values, version-neutral. A 1.6 configuration key is a variable with no
 * component ("HeartbeatInterval"). A 2.0.1 device-model variable is written
 * `Component[:instance][@evse[/connector]].Variable[:instance]`, e.g. `OCPPCommCtrlr.HeartbeatInterval`,
 * `EVSE@1.Power`, `Connector@1/1.ConnectorType`: one string an operator can read, type and store.
 */
export interface VariableAddress {
  /** '' for 1.6 keys. */
  component: string;
  componentInstance: string;
  /** 0 when the component is not EVSE-specific. */
  evseId: number;
  /** 0 when the component is not connector-specific. */
  connectorId: number;
  variable: string;
  variableInstance: string;
}

const namePattern = '[A-Za-z0-9*\\-_=:+|@./]+';
const part = (name: string) => `(?<${name}>[A-Za-z0-9*\\-_=+|]+)`;
const keyPattern = new RegExp(
  `^(?:${part('component')}(?::${part('componentInstance')})?(?:@(?<evse>\\d+)(?:/(?<connector>\\d+))?)?\\.)?` +
    `${part('variable')}(?::${part('variableInstance')})?$`,
);

/** Writes an address as its key string. */
export function formatVariableKey(address: VariableAddress): string {
  const variable = address.variable + (address.variableInstance ? `:${address.variableInstance}` : '');
  if (!address.component) return variable;
  let component = address.component;
  if (address.componentInstance) component += `:${address.componentInstance}`;
  if (address.evseId > 0) {
    component += `@${address.evseId}`;
    if (address.connectorId > 0) component += `/${address.connectorId}`;
  }
  return `${component}.${variable}`;
}

/** Reads a key string; null when it is not one. */
export function parseVariableKey(key: string): VariableAddress | null {
  if (key.length > 200 || !new RegExp(`^${namePattern}$`).test(key)) return null;
  const match = keyPattern.exec(key);
  const g = match?.groups;
  if (!g?.variable) return null;
  return {
    component: g.component ?? '',
    componentInstance: g.componentInstance ?? '',
    evseId: g.evse ? Number(g.evse) : 0,
    connectorId: g.connector ? Number(g.connector) : 0,
    variable: g.variable,
    variableInstance: g.variableInstance ?? '',
  };
}

/** Whether a key names a 2.0.1 variable (it has a component). */
export function isDeviceModelKey(key: string): boolean {
  return (parseVariableKey(key)?.component ?? '') !== '';
}
