-- Retention: when the programme closes, a manager (or `breachdesk purge`) blanks the personal data of
-- customers whose last activity is before a chosen day, keeping the anonymous counts.

-- RFC 3339 UTC: when the row's personal fields were blanked. NULL for a customer still held in full.
ALTER TABLE customers ADD COLUMN purged_at TEXT;

-- Case events stay append-only, with one exception the purge needs: an agent's free-text note may
-- hold what a caller said about themselves, so it may be blanked. Every other column, and every
-- other change to the note, is still refused.
DROP TRIGGER case_events_are_kept_update;
CREATE TRIGGER case_events_are_kept_update BEFORE UPDATE ON case_events
WHEN NOT (NEW.note = ''
    AND NEW.id = OLD.id
    AND NEW.customer_id = OLD.customer_id
    AND NEW.kind = OLD.kind
    AND NEW.from_state = OLD.from_state
    AND NEW.to_state = OLD.to_state
    AND NEW.amount_yen IS OLD.amount_yen
    AND NEW.effective_on = OLD.effective_on
    AND NEW.correction = OLD.correction
    AND NEW.staff_id IS OLD.staff_id
    AND NEW.bulk_update_id IS OLD.bulk_update_id
    AND NEW.created_at = OLD.created_at)
BEGIN
    SELECT RAISE(ABORT, 'case events are never changed: record a correction');
END;
