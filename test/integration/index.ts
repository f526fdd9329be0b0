// Test index loaded by VS Code's extension host (the @vscode/test-electron contract, also honoured by
// code-server's smoke-test driver): runs every compiled integration test next to this file with mocha.
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  // Under code-server the host forwards console output already joined, so mocha's "%s" templates would
  // print literally; format them here.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(format(...args));

  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  // CLOUDBOT_TEST_ONLY=agents runs just the suites whose file name holds it (while working on one).
  const only = process.env.CLOUDBOT_TEST_ONLY ?? '';
  const files = readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js') && file.includes(only))
    .sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));

  // The runners (scripts/vscode-runner.mjs, runElectron.ts) show the output between these two markers
  // and read the counts from the second.
  console.log('CLOUDBOT_TEST_START');
  const { passed, failed } = await new Promise<{ passed: number; failed: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 }));
  });
  console.log(`CLOUDBOT_TEST_SUMMARY ${JSON.stringify({ passed, failed })}`);
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
}
