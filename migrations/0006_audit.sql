-- The audit trail: who did what, to which customer or object, from where, and how it ended.
-- Append-only: the triggers refuse every UPDATE and DELETE, so nothing in the product can rewrite history.
-- Rows never hold personal data (no names, search terms or addresses of customers): a customer is named
-- by id only, so purging a customer's personal data later leaves the trail intact and harmless.

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    -- RFC 3339 UTC.
    at TEXT NOT NULL,
    -- 'staff' (staff_id set), 'public' (the status page) or 'cli' (the command line on the server).
    actor TEXT NOT NULL CHECK (actor IN ('staff', 'public', 'cli')),
    staff_id INTEGER REFERENCES staff (id),
    -- The client's IP address as the server saw it; NULL for the command line.
    address TEXT,
    -- breachdesk::audit::AuditAction::code().
    action TEXT NOT NULL,
    customer_id INTEGER REFERENCES customers (id),
    -- What else it was about: 'import:12', 'template:apology-letter', 'staff:4'.
    object TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
    -- A short machine-written note (a count, a reason code); never personal data.
    detail TEXT,
    CHECK ((actor = 'staff') = (staff_id IS NOT NULL))
);
CREATE INDEX audit_by_time ON audit_log (at);
CREATE INDEX audit_by_staff ON audit_log (staff_id, at);
CREATE INDEX audit_by_customer ON audit_log (customer_id, at);
CREATE INDEX audit_by_action ON audit_log (action, at);

CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
