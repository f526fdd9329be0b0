// scripts/tools.mjs as the demo uses it: children started with startGroup are gone once the script has
// stopped on SIGTERM, checked by their PIDs.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eventually } from '../emulator/testing';
import { alive } from '../processes';

const root = resolve(__dirname, '..', '..', '..');

describe('tools.mjs: stopping on SIGTERM', function () {
  this.timeout(30_000);

  it('stops every child it started, also one started while stopping, and when a second signal comes meanwhile', async () => {
    // As in the demo: the emulator, a child that needs SIGKILL (as code-server may when slow to stop), and
    // one started once the SIGTERM has come, as the demo's next step may do before it notices.
    const script = `
      import { startGroup } from ${JSON.stringify(pathToFileURL(join(root, 'scripts', 'tools.mjs')).href)};
      const sleeper = (graceMs) => startGroup(process.execPath, ['-e', 'process.on("SIGTERM", () => undefined); setInterval(() => undefined, 1000)'], { graceMs });
      const emulator = startGroup(process.execPath, [${JSON.stringify(join(root, 'out', 'test', 'emulator', 'cli.js'))}, '--port', '0'], {
        onLine: (line, stream) => stream === 'stdout' && line.startsWith('{') && console.log(emulator.child.pid, stubborn.child.pid),
      });
      const stubborn = sleeper(1000);
      process.on('SIGTERM', () => console.log(sleeper(1000).child.pid));
      await Promise.all([emulator.exited, stubborn.exited]);`;
    const demo = spawn(process.execPath, ['--input-type=module', '-e', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const children: number[] = [];
    demo.stdout.setEncoding('utf8').on('data', (text: string) => children.push(...text.split(/\s+/).filter(Boolean).map(Number)));
    try {
      await eventually(() => (children.length === 2 ? true : undefined), 15_000);
      assert.ok(children.every(alive));
      const exited = once(demo, 'exit');
      process.kill(-demo.pid!, 'SIGTERM');
      await eventually(() => (children.length === 3 ? true : undefined));
      // A second Ctrl-C, or a supervisor repeating its SIGTERM, while the children are being stopped.
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (demo.exitCode === null) process.kill(demo.pid!, 'SIGTERM');
      assert.deepEqual(await exited, [143, null]);
      await eventually(() => (children.some(alive) ? undefined : true), 5_000);
    } finally {
      for (const pid of children.filter(alive)) process.kill(pid, 'SIGKILL');
      if (demo.exitCode === null && demo.signalCode === null) process.kill(demo.pid!, 'SIGKILL');
    }
  });
});
