import { describe, expect, it } from 'vitest';
import { formatCauses, reasonLabel } from './k6-error-names.ts';

describe('reasonLabel', () => {
  it('names k6 error codes, HTTP codes k6 counts as errors, and unexpected statuses', () => {
    expect(reasonLabel('ERROR_1212')).toBe('1212 connection refused');
    expect(reasonLabel('ERROR_1050')).toBe('1050 request timeout');
    expect(reasonLabel('ERROR_1101')).toBe('1101 no IP found for host');
    expect(reasonLabel('ERROR_1503')).toBe('1503 HTTP 503');
    expect(reasonLabel('ERROR_1999')).toBe('k6 error 1999');
    expect(reasonLabel('HTTP_404_COUPON_NOT_FOUND')).toBe('HTTP 404 COUPON_NOT_FOUND');
    expect(reasonLabel('HTTP_500')).toBe('HTTP 500');
    expect(reasonLabel('COUPON_SOLD_OUT')).toBe('COUPON_SOLD_OUT');
  });
});

describe('formatCauses', () => {
  it('lists the largest causes first, and how many more there are', () => {
    expect(formatCauses({ ERROR_1050: 3, ERROR_1212: 40, HTTP_500: 1, ERROR_1220: 2 }, 2))
      .toBe('40 × 1212 connection refused, 3 × 1050 request timeout (+2 more)');
    expect(formatCauses({ ERROR_1212: 0 })).toBe('');
  });
});
