// What tests that start processes check about them.
import { readFileSync } from 'node:fs';

/** Alive and not a zombie waiting for its reaper. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}
