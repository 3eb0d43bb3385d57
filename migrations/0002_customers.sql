-- Affected customers and the imports that created them.
-- Card data: only the brand, the last 4 digits and a keyed fingerprint are ever stored
-- (PCI DSS 3.3.1 / 3.4.1 / 3.5.1); the full number, expiry and security code never reach this file.

CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    -- Who ran it: NULL for the command line and the demo loader, which act without a staff session.
    staff_id INTEGER REFERENCES staff (id),
    -- RFC 3339 UTC.
    created_at TEXT NOT NULL,
    -- As uploaded or named on the command line; the file itself is never kept.
    file_name TEXT NOT NULL,
    -- The encoding the file was read in (detected or chosen): 'utf-8' or 'shift_jis'.
    encoding TEXT NOT NULL CHECK (encoding IN ('utf-8', 'shift_jis')),
    new_count INTEGER NOT NULL CHECK (new_count >= 0),
    updated_count INTEGER NOT NULL CHECK (updated_count >= 0),
    unchanged_count INTEGER NOT NULL CHECK (unchanged_count >= 0),
    rejected_count INTEGER NOT NULL CHECK (rejected_count >= 0),
    -- JSON: the recognised columns and every rejected row's row, column and reason. Problems carry
    -- no cell values, so the report holds no card data and can be downloaded again.
    report TEXT NOT NULL
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    -- 受付番号 without hyphens (10 symbols); random, printed on letters, typed on the status page.
    reference_code TEXT NOT NULL UNIQUE,
    -- The sender's customer number; the first key for recognising a customer again.
    external_id TEXT,
    -- As written (width-folded); searched by partial match.
    name TEXT NOT NULL,
    -- Katakana reading, optional in the file; searched by partial match.
    name_kana TEXT,
    -- CardBrand::code(): 'visa', 'jcb', …
    card_brand TEXT NOT NULL,
    card_last4 TEXT NOT NULL CHECK (length(card_last4) = 4),
    -- HMAC-SHA-256 of the card number under the deployment key: recognises the same card without keeping it.
    card_fingerprint TEXT NOT NULL CHECK (length(card_fingerprint) = 64),
    -- Seven digits, no hyphen.
    postal_code TEXT NOT NULL CHECK (length(postal_code) = 7),
    address TEXT NOT NULL,
    email TEXT,
    -- Digits only, so a search for 09012345678 finds 090-1234-5678.
    phone TEXT,
    -- YYYY-MM-DD; the order or payment inside the affected period.
    order_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- The import that created or last changed the row.
    import_id INTEGER NOT NULL REFERENCES imports (id)
);
-- One customer per customer number: an import matches on it before anything else.
CREATE UNIQUE INDEX customers_by_external_id ON customers (external_id) WHERE external_id IS NOT NULL;
-- The second match key (fingerprint + name) and card searches.
CREATE INDEX customers_by_fingerprint ON customers (card_fingerprint);
CREATE INDEX customers_by_last4 ON customers (card_last4);
CREATE INDEX customers_by_phone ON customers (phone);
CREATE INDEX customers_by_postal_code ON customers (postal_code);
CREATE INDEX customers_by_import ON customers (import_id);
