-- The public status page: its FAQ, the throttle's memory of failed lookups, and the short sessions
-- that hold a lookup's result.

-- Questions and answers managers edit on /status-lookups, shown on /status in the reader's language.
CREATE TABLE status_faq (
    id INTEGER PRIMARY KEY,
    -- Order on the page, 1 first.
    position INTEGER NOT NULL CHECK (position >= 1),
    question_ja TEXT NOT NULL,
    answer_ja TEXT NOT NULL,
    -- English may be left empty: the English page then shows the Japanese entry.
    question_en TEXT NOT NULL DEFAULT '',
    answer_en TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

-- One row per failed lookup and throttle key, so the 5-in-15-minutes rule survives a restart.
-- key: 'addr:<client address>' or 'code:<HMAC-SHA-256 of the reference code under the deployment key>';
-- never the code itself. Rows older than the window are deleted as new failures arrive.
CREATE TABLE status_lookup_failures (
    key TEXT NOT NULL,
    -- RFC 3339 UTC.
    failed_at TEXT NOT NULL
);
CREATE INDEX status_lookup_failures_by_key ON status_lookup_failures (key, failed_at);
CREATE INDEX status_lookup_failures_by_time ON status_lookup_failures (failed_at);

-- A customer's view of their own status for 15 minutes after a successful lookup (a cookie holds
-- the token; only its SHA-256 is stored). No personal data beyond the customer's id.
CREATE TABLE status_sessions (
    token_hash TEXT PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    -- RFC 3339 UTC.
    expires_at TEXT NOT NULL
);
CREATE INDEX status_sessions_by_expiry ON status_sessions (expires_at);
CREATE INDEX status_sessions_by_customer ON status_sessions (customer_id);

-- A starting FAQ, so the page answers the commonest questions before anyone edits it.
INSERT INTO status_faq (position, question_ja, answer_ja, question_en, answer_en, updated_at) VALUES
    (1, 'カードの再発行に費用はかかりますか？', '再発行の費用はかかりません。手数料は当社が負担いたします。',
        'Does a new card cost anything?', 'No. We pay any fee for the new card.', '2017-07-12T00:00:00Z'),
    (2, '身に覚えのない請求があった場合は？', 'お問い合わせ窓口までご連絡ください。カード会社と調査のうえ、不正利用による請求は返金いたします。',
        'What if I see a charge I do not recognise?', 'Call our hotline. We look into it with your card company and refund any fraudulent charge.', '2017-07-12T00:00:00Z'),
    (3, '当社からカード番号をお尋ねすることはありますか？', 'ございません。メール・SMS・電話でカード番号や暗証番号をお尋ねすることは一切ありません。',
        'Will you ever ask for my card number?', 'Never. We do not ask for card numbers or PINs by email, text message or phone.', '2017-07-12T00:00:00Z');
