-- Deleting a driver or a driver group sets a CDR's driver_id / group_id to NULL (ON DELETE SET NULL);
-- the immutability check must let that through (and only that): the CDR keeps its token, tariff
-- and reason, and no other column may change.
CREATE OR REPLACE FUNCTION charge_detail_records_immutable() RETURNS trigger AS $$
BEGIN
  IF (NEW.driver_id IS DISTINCT FROM OLD.driver_id AND NEW.driver_id IS NOT NULL)
     OR (NEW.group_id IS DISTINCT FROM OLD.group_id AND NEW.group_id IS NOT NULL)
     OR (NEW.organisation_id, NEW.number, NEW.transaction_id, NEW.station_id, NEW.evse_id,
      NEW.id_token, NEW.tariff_version_id, NEW.tariff_name, NEW.tariff_reason, NEW.currency,
      NEW.started_at, NEW.ended_at, NEW.energy_wh, NEW.charging_seconds, NEW.idle_seconds, NEW.lines,
      NEW.net, NEW.tax, NEW.total, NEW.tax_rate_bp, NEW.prices_include_tax)
     IS DISTINCT FROM
     (OLD.organisation_id, OLD.number, OLD.transaction_id, OLD.station_id, OLD.evse_id,
      OLD.id_token, OLD.tariff_version_id, OLD.tariff_name, OLD.tariff_reason, OLD.currency,
      OLD.started_at, OLD.ended_at, OLD.energy_wh, OLD.charging_seconds, OLD.idle_seconds, OLD.lines,
      OLD.net, OLD.tax, OLD.total, OLD.tax_rate_bp, OLD.prices_include_tax) THEN
    RAISE EXCEPTION 'charge detail records are immutable: issue a credit note instead';
  END IF;
  IF OLD.invoice_id IS NOT NULL AND NEW.invoice_id IS DISTINCT FROM OLD.invoice_id THEN
    RAISE EXCEPTION 'a charge detail record stays on the invoice it was issued on';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
