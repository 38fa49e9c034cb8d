-- A charge detail record is immutable once written: only its payment state and invoice link may
-- change. Corrections are credit notes. The database refuses anything else, whatever the caller.
CREATE FUNCTION charge_detail_records_immutable() RETURNS trigger AS $$
BEGIN
  IF (NEW.organisation_id, NEW.number, NEW.transaction_id, NEW.station_id, NEW.evse_id, NEW.driver_id,
      NEW.group_id, NEW.id_token, NEW.tariff_version_id, NEW.tariff_name, NEW.tariff_reason, NEW.currency,
      NEW.started_at, NEW.ended_at, NEW.energy_wh, NEW.charging_seconds, NEW.idle_seconds, NEW.lines,
      NEW.net, NEW.tax, NEW.total, NEW.tax_rate_bp, NEW.prices_include_tax)
     IS DISTINCT FROM
     (OLD.organisation_id, OLD.number, OLD.transaction_id, OLD.station_id, OLD.evse_id, OLD.driver_id,
      OLD.group_id, OLD.id_token, OLD.tariff_version_id, OLD.tariff_name, OLD.tariff_reason, OLD.currency,
      OLD.started_at, OLD.ended_at, OLD.energy_wh, OLD.charging_seconds, OLD.idle_seconds, OLD.lines,
      OLD.net, OLD.tax, OLD.total, OLD.tax_rate_bp, OLD.prices_include_tax) THEN
    RAISE EXCEPTION 'charge detail records are immutable: issue a credit note instead';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER charge_detail_records_immutable BEFORE UPDATE ON charge_detail_records
  FOR EACH ROW EXECUTE FUNCTION charge_detail_records_immutable();
--> statement-breakpoint
CREATE FUNCTION charge_detail_records_no_delete() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'charge detail records are never deleted: issue a credit note instead';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER charge_detail_records_no_delete BEFORE DELETE ON charge_detail_records
  FOR EACH ROW EXECUTE FUNCTION charge_detail_records_no_delete();
