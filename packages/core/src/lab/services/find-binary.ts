import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { executableSearchPath } from '../../config/config-input.ts';

const SBIN = ['/usr/sbin', '/usr/local/sbin', '/opt/homebrew/bin', '/usr/local/bin'];

/** First of `names` found on PATH or in the sbin folders a non-root PATH often lacks. */
export function findBinary(names: readonly string[]): string | undefined {
  const dirs = [...executableSearchPath(), ...SBIN];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // keep looking
      }
    }
  }
  return undefined;
}
