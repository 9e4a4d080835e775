-- Users of both reference systems. Ids come from the seeder (perf-lab seeds 1..N), so no
-- AUTO_INCREMENT. `balance` is in the smallest currency unit; the order/payment system
-- (part 2) debits it with a conditional UPDATE, so it lives here from the start.
CREATE TABLE users (
  id         BIGINT       NOT NULL PRIMARY KEY,
  balance    BIGINT       NOT NULL DEFAULT 0,
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB;
