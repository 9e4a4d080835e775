-- One cart per user. cart_items deliberately has NO index on cart_id here and no foreign
-- key to carts: InnoDB creates an index for every foreign key on its own, which would hide
-- the seed's "SELECT * FROM cart_items WHERE cart_id = ? full scan, 60 ms" problem. The index
-- is the next migration, alone, so perf-lab can drop and re-create it to measure both sides:
--   DROP INDEX idx_cart_items_cart_id ON cart_items;
--   CREATE INDEX idx_cart_items_cart_id ON cart_items (cart_id);
-- For the same reason there is no UNIQUE (cart_id, product_id): adding an item first locks
-- the cart row (FOR UPDATE), which is what keeps a product to one row per cart.
CREATE TABLE carts (
  id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id    BIGINT       NOT NULL,
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_carts_user (user_id)
) ENGINE = InnoDB;

CREATE TABLE cart_items (
  id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  cart_id    BIGINT       NOT NULL,
  product_id BIGINT       NOT NULL,
  quantity   INT          NOT NULL,
  added_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT chk_cart_items_quantity CHECK (quantity > 0)
) ENGINE = InnoDB;
