-- Organisations created before configuration defaults existed get the recommended ones
-- (lib/domain/configuration/defaults.ts); new organisations get them when they are created.
INSERT INTO "configuration_defaults" ("organisation_id", "ocpp_version", "key", "value")
SELECT o."id", d."ocpp_version", d."key", d."value"
FROM "organisations" o
CROSS JOIN (VALUES
  ('1.6', 'HeartbeatInterval', '300'),
  ('1.6', 'MeterValueSampleInterval', '60'),
  ('1.6', 'MeterValuesSampledData', 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC'),
  ('2.0.1', 'OCPPCommCtrlr.HeartbeatInterval', '300'),
  ('2.0.1', 'SampledDataCtrlr.TxUpdatedInterval', '60'),
  ('2.0.1', 'SampledDataCtrlr.TxUpdatedMeasurands', 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC')
) AS d("ocpp_version", "key", "value")
ON CONFLICT DO NOTHING;
