-- What the order system sells. `price` is in the smallest currency unit (integers only).
-- The conditional `UPDATE products SET quantity = quantity - ? WHERE id = ? AND quantity >= ?`
-- is the oversell guard (the seed's); the CHECK is a second net under it that turns a bug
-- into an error instead of negative stock.
CREATE TABLE products (
  id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name       VARCHAR(200) NOT NULL,
  price      BIGINT       NOT NULL,
  quantity   INT          NOT NULL,
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT chk_products_price CHECK (price >= 0),
  CONSTRAINT chk_products_quantity CHECK (quantity >= 0)
) ENGINE = InnoDB;
