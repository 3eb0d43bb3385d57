-- The name, reading and phone trigram index (0009) rebuilt for import speed, finding the same rows.
--
-- External content: the index reads its text from the view below instead of keeping a second copy of
-- every name and phone in a content table, so an import writes each value once. The view holds the one
-- definition of what is indexed (spaces removed, so 山田太郎 finds 山田 太郎); the triggers and a bulk
-- import (`INSERT INTO customers_fts (customers_fts) VALUES ('rebuild')`, or the same INSERT … SELECT
-- over a range of ids) all read it. columnsize = 0: no per-row token counts, which only ranking uses.
-- detail stays full: the trigram tokenizer answers a term of four characters or more as a phrase,
-- which needs token positions.
DROP TRIGGER customers_fts_insert;
DROP TRIGGER customers_fts_update;
DROP TRIGGER customers_fts_delete;
DROP TABLE customers_fts;

CREATE VIEW customers_fts_source (id, name, name_kana, phone) AS
    SELECT id, replace(name, ' ', ''), replace(coalesce(name_kana, ''), ' ', ''), coalesce(phone, '')
    FROM customers;

CREATE VIRTUAL TABLE customers_fts USING fts5 (
    name, name_kana, phone,
    tokenize = 'trigram', content = 'customers_fts_source', content_rowid = 'id', columnsize = 0
);
-- Terms gathered in memory before a segment is written (default 1 MB): a large import writes fewer,
-- larger segments and merges less (1,000,000 customers: 4.6 s → 3.2 s of CPU). A ceiling, reached only
-- by transactions that index this much.
INSERT INTO customers_fts (customers_fts, rank) VALUES ('hashsize', 67108864);
INSERT INTO customers_fts (customers_fts) VALUES ('rebuild');

-- An external-content index must be told the old text to forget it, so it is read through the view
-- before the row changes.
CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers
BEGIN
    INSERT INTO customers_fts (rowid, name, name_kana, phone)
        SELECT id, name, name_kana, phone FROM customers_fts_source WHERE id = new.id;
END;
CREATE TRIGGER customers_fts_update_forget BEFORE UPDATE OF name, name_kana, phone ON customers
BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, name, name_kana, phone)
        SELECT 'delete', id, name, name_kana, phone FROM customers_fts_source WHERE id = old.id;
END;
CREATE TRIGGER customers_fts_update AFTER UPDATE OF name, name_kana, phone ON customers
BEGIN
    INSERT INTO customers_fts (rowid, name, name_kana, phone)
        SELECT id, name, name_kana, phone FROM customers_fts_source WHERE id = new.id;
END;
CREATE TRIGGER customers_fts_delete BEFORE DELETE ON customers
BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, name, name_kana, phone)
        SELECT 'delete', id, name, name_kana, phone FROM customers_fts_source WHERE id = old.id;
END;
