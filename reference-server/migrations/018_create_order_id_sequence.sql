-- Order ids come from a sequence, read with the order's other reads: an order then knows its id
-- before its first write, so all of its writes and the COMMIT go to MariaDB in one round trip
-- (src/db/commit-batch.ts). It starts past any order already in a migrated database.
SET @first_order_id = (SELECT COALESCE(MAX(id), 0) + 1 FROM orders);
EXECUTE IMMEDIATE CONCAT('CREATE SEQUENCE order_ids START WITH ', @first_order_id);
