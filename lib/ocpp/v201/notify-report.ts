import type { ReportedVariable } from '@/lib/commands/types';
import { recordDeviceModelReport } from '@/lib/services/configuration';
import type { Handler } from '../context';
import { addressOf } from './commands';

/** OCPP 2.0.1 NotifyReportRequest (B07/B08): one part of a device-model report. */
export interface NotifyReportRequest {
  requestId: number;
  generatedAt: string;
  seqNo: number;
  tbc?: boolean;
  reportData?: {
    component: { name: string; instance?: string; evse?: { id: number; connectorId?: number } };
    variable: { name: string; instance?: string };
    variableAttribute: { type?: string; value?: string; mutability?: string }[];
    variableCharacteristics?: { unit?: string; dataType: string; valuesList?: string };
  }[];
}

/** Stores each reported attribute as a configuration value of the station. */
export const notifyReport: Handler<NotifyReportRequest, Record<string, never>> = async (ctx, req) => {
  const variables: ReportedVariable[] = (req.reportData ?? []).flatMap((item) =>
    item.variableAttribute.map((attribute) => ({
      ...addressOf(item.component, item.variable),
      attributeType: attribute.type ?? 'Actual',
      value: attribute.value ?? null,
      readonly: attribute.mutability === 'ReadOnly',
      mutability: attribute.mutability ?? 'ReadWrite',
      dataType: item.variableCharacteristics?.dataType ?? null,
      unit: item.variableCharacteristics?.unit ?? null,
      valuesList: item.variableCharacteristics?.valuesList ?? null,
    })),
  );
  await recordDeviceModelReport(
    ctx.db,
    ctx.station.stationId,
    { requestId: req.requestId, seqNo: req.seqNo, variables },
    ctx.now(),
  );
  return {};
};
