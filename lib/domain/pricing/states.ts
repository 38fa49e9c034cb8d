import type { ChargingState } from './engine';

/**
 * What a reported status means for the bill. 1.6 connector statuses (StatusNotification) and 2.0.1
 * charging states (TransactionEvent transactionInfo.chargingState) share these names where they
 * overlap. The EV sitting without charging (SuspendedEV, EVConnected, 1.6 Preparing/Finishing) is
 * idle; the charger holding back (SuspendedEVSE, faults, 2.0.1 Idle = cable out) is paused.
 */
export function chargingStateOf(status: string): ChargingState {
  switch (status) {
    case 'Charging':
      return 'charging';
    case 'SuspendedEV':
    case 'EVConnected':
    case 'Preparing':
    case 'Finishing':
      return 'idle';
    default:
      return 'paused';
  }
}
