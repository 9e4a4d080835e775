import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * The run's per-operation lines (`perf-lab-op <op> outcome=<ack|fail|indeterminate> k=v …`)
 * indexed for the audit. Lines may arrive raw (perf-lab's engine) or wrapped in k6's logfmt
 * (`level=info msg="perf-lab-op …"`): the op text is found wherever it sits in the line.
 */
export type Outcome = 'ack' | 'fail' | 'indeterminate';

export interface CouponOps {
  readonly ack: Set<number>;
  /** Users with a definite failure, by reason. */
  readonly fail: Map<number, string>;
  readonly indeterminate: Set<number>;
}

export interface OrderOp {
  readonly user: number;
  readonly outcome: Outcome;
  readonly order: number | undefined;
  readonly key: string | undefined;
  readonly reason: string;
}

export interface OperationsLog {
  /** By coupon id. */
  readonly coupons: Map<number, CouponOps>;
  readonly orders: OrderOp[];
  readonly lines: number;
}

const OP = /perf-lab-op (\S+) ((?:\S+=\S*\s?)+)/;

export function emptyOperationsLog(): OperationsLog {
  return { coupons: new Map(), orders: [], lines: 0 };
}

export function addOperationLine(log: { coupons: Map<number, CouponOps>; orders: OrderOp[]; lines: number }, line: string): void {
  const match = OP.exec(line);
  if (!match) return;
  const fields = new Map(match[2]!.trim().split(/\s+/).map((kv) => {
    const i = kv.indexOf('=');
    return [kv.slice(0, i), kv.slice(i + 1).replace(/"$/, '')] as const;
  }));
  const outcome = fields.get('outcome') as Outcome | undefined;
  if (outcome !== 'ack' && outcome !== 'fail' && outcome !== 'indeterminate') return;
  log.lines++;
  if (match[1] === 'coupon.issue') {
    const coupon = Number(fields.get('coupon'));
    const user = Number(fields.get('user'));
    let ops = log.coupons.get(coupon);
    if (!ops) log.coupons.set(coupon, (ops = { ack: new Set(), fail: new Map(), indeterminate: new Set() }));
    if (outcome === 'ack') ops.ack.add(user);
    else if (outcome === 'fail') ops.fail.set(user, fields.get('reason') ?? 'UNKNOWN');
    else ops.indeterminate.add(user);
  } else if (match[1] === 'order.create') {
    const order = fields.get('order');
    log.orders.push({
      user: Number(fields.get('user')), outcome,
      order: order === undefined ? undefined : Number(order),
      key: fields.get('key'), reason: fields.get('reason') ?? '',
    });
  }
}

export async function readOperationsLog(file: string): Promise<OperationsLog | undefined> {
  if (!existsSync(file)) return undefined;
  const log = { coupons: new Map<number, CouponOps>(), orders: [] as OrderOp[], lines: 0 };
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) addOperationLine(log, line);
  return log;
}
