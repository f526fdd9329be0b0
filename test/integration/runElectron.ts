// The integration suite in a downloaded desktop VS Code (`npm run test:electron`), for machines that
// can download it. Offline machines run the same suite through code-server: `npm test`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const SUMMARY_PREFIX = 'CLOUDBOT_TEST_SUMMARY ';

/** Passes stdout through unchanged while picking up the test index's summary line from it. */
function watchSummary(): () => { passed: number; failed: number } | undefined {
  let summary: { passed: number; failed: number } | undefined;
  let partial = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const at = line.indexOf(SUMMARY_PREFIX);
      if (at >= 0) summary = JSON.parse(line.slice(at + SUMMARY_PREFIX.length));
    }
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  return () => summary;
}

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '../../..');
  const workspace = mkdtempSync(path.join(tmpdir(), 'cloudbot-integration-workspace-'));
  const summary = watchSummary();
  let exitCode: number;
  try {
    exitCode = await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (error) {
    // Failed tests end up here too (runTests rejects on a non-zero exit), as does a failed download.
    console.error(`VS Code test run failed: ${error instanceof Error ? error.message : String(error)}`);
    exitCode = 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
  const { passed = 0, failed = 0 } = summary() ?? {};
  // A run that failed outside mocha (VS Code did not start, the index did not load) is a failure too.
  const reportedFailed = exitCode !== 0 && failed === 0 ? 1 : failed;
  console.log(`${passed} passed, ${reportedFailed} failed`);
  return reportedFailed > 0 || passed === 0 ? 1 : 0;
}

main().then((code) => process.exit(code));
