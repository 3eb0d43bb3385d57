-- Letter and email templates (every saved version kept) and the record of what was sent to whom.

-- Where emails come from: the incident speaks for the company, so its profile holds the addresses.
-- Empty until an admin fills them in; sending refuses to start without a From address.
ALTER TABLE incident ADD COLUMN mail_from TEXT NOT NULL DEFAULT '';
ALTER TABLE incident ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';

CREATE TABLE templates (
    id INTEGER PRIMARY KEY,
    -- Stable name the command line and campaigns use: 'apology-letter', 'apology-email'.
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('letter', 'email')),
    created_at TEXT NOT NULL
);

-- Versions are never updated or deleted: a letter or email names the version it was made from.
CREATE TABLE template_versions (
    id INTEGER PRIMARY KEY,
    template_id INTEGER NOT NULL REFERENCES templates (id),
    -- 1, 2, 3… per template; the newest is the one in use.
    version INTEGER NOT NULL CHECK (version >= 1),
    -- Letter: the title centred above the body. Email: the subject line.
    subject TEXT NOT NULL,
    -- Plain text with {{placeholders}}; blank lines separate paragraphs.
    body TEXT NOT NULL,
    -- Email only: the HTML part, with the same placeholders (escaped when filled in).
    html_body TEXT,
    -- Letter only: the lines of the 記 … 以上 block.
    notes TEXT,
    -- How the letter date is written: 和暦 (平成29年12月22日) or Western (2017年12月22日).
    date_style TEXT NOT NULL CHECK (date_style IN ('wareki', 'western')),
    created_at TEXT NOT NULL,
    -- NULL when it came from the demo load or the command line.
    created_by INTEGER REFERENCES staff (id),
    UNIQUE (template_id, version),
    CHECK ((html_body IS NULL) OR (notes IS NULL))
);
CREATE TRIGGER template_versions_are_kept_update BEFORE UPDATE ON template_versions
BEGIN
    SELECT RAISE(ABORT, 'template versions are never changed: save a new version');
END;
CREATE TRIGGER template_versions_are_kept_delete BEFORE DELETE ON template_versions
BEGIN
    SELECT RAISE(ABORT, 'template versions are never deleted');
END;

-- One row per message to one customer: the outbox the senders work from, and the customer's history.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'letter')),
    template_version_id INTEGER NOT NULL REFERENCES template_versions (id),
    -- returned: a letter the post office sent back (the reason in returned_reason).
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed_temporary', 'failed_permanent',
                                         'bounced', 'returned', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- Never holds personal data: an SMTP reply or a reason code.
    last_error TEXT,
    -- Email: the Message-ID header, so a bounce report can be matched back to the customer.
    message_id TEXT UNIQUE,
    -- 宛所不明, 転居先不明, 受取拒否, 保管期間経過.
    returned_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- When the SMTP server accepted it, or when the letter batch was handed to the post.
    sent_at TEXT
);
CREATE INDEX deliveries_by_customer ON deliveries (customer_id, channel, state);
CREATE INDEX deliveries_by_state ON deliveries (state);
