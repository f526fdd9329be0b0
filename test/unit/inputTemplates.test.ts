import * as assert from 'node:assert/strict';
import { InputTemplates, MAX_KEPT_BYTES, MAX_TEMPLATE_BYTES, MAX_TEMPLATES, type InputTemplate } from '../../src/core/inputTemplates';
import type { KeyValueStore } from '../../src/core/jobHistory';

/** VS Code's workspace state in memory, written through JSON as the real one is. */
class MemoryState implements KeyValueStore {
  readonly values = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const text = this.values.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  async update(key: string, value: unknown) {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(value));
  }
}

const template = (jobId: string, input: Record<string, unknown> = { Login: '${secret:siteLogin}' }): InputTemplate => ({
  sessionId: 's1',
  publicId: 'c1',
  botId: 'echo',
  botName: 'Echo BOT',
  jobId,
  input,
  options: { timeout: 5000 },
  source: 'echo.cloudbot.json',
  inputFile: 'file:///w/echo.cloudbot.json',
});
const ref = (jobId: string) => ({ sessionId: 's1', publicId: 'c1', jobId });

describe('input templates', () => {
  it('are read again after a reload, as written', async () => {
    const state = new MemoryState();
    await new InputTemplates(state, () => true).remember(template('j1'));
    const reloaded = new InputTemplates(state, () => true);
    assert.deepEqual(reloaded.get(ref('j1')), template('j1'));
    assert.equal(reloaded.get({ ...ref('j1'), sessionId: 's2' }), undefined, 'per account');
  });

  it('are kept only in this window when keeping is off, and dropped from storage when it is turned off', async () => {
    const state = new MemoryState();
    let keep = false;
    const templates = new InputTemplates(state, () => keep);
    await templates.remember(template('j1'));
    assert.equal(state.values.size, 0, 'nothing stored');
    assert.ok(templates.get(ref('j1')), 'Re-run still works in this window');
    keep = true;
    await templates.remember(template('j2'));
    assert.ok(new InputTemplates(state, () => true).get(ref('j2')));
    keep = false;
    await templates.forgetKept();
    assert.equal(state.values.size, 0);
    assert.equal(new InputTemplates(state, () => true).get(ref('j2')), undefined);
  });

  it('keep the newest 200, none over 1 MB, and stay under the total bound', async () => {
    const state = new MemoryState();
    const templates = new InputTemplates(state, () => true);
    for (let n = 0; n <= MAX_TEMPLATES; n++) await templates.remember(template(`j${n}`));
    const reloaded = new InputTemplates(state, () => true);
    assert.equal(reloaded.get(ref('j0')), undefined, 'the oldest went');
    assert.ok(reloaded.get(ref(`j${MAX_TEMPLATES}`)));
    assert.equal((state.get<unknown[]>('cloudbot.inputTemplates') ?? []).length, MAX_TEMPLATES);

    await templates.remember(template('huge', { a: 'x'.repeat(MAX_TEMPLATE_BYTES) }));
    assert.equal(new InputTemplates(state, () => true).get(ref('huge')), undefined, 'too large to keep');
    assert.ok(templates.get(ref('huge')), 'but this window re-runs it');

    const big = { a: 'x'.repeat(MAX_TEMPLATE_BYTES - 1000) };
    for (let n = 0; n < MAX_KEPT_BYTES / MAX_TEMPLATE_BYTES + 2; n++) await templates.remember(template(`big${n}`, big));
    assert.ok(Buffer.byteLength(state.values.get('cloudbot.inputTemplates')!) <= MAX_KEPT_BYTES);
  });

  it('leave out stored entries that are not templates', async () => {
    const state = new MemoryState();
    await state.update('cloudbot.inputTemplates', [{ jobId: 'x' }, 'junk', { ...template('ok'), options: { callbackEndpoint: 'http://evil.example/' } }]);
    const templates = new InputTemplates(state, () => true);
    assert.equal(templates.get(ref('x')), undefined);
    assert.deepEqual(templates.get(ref('ok'))?.options, {}, 'invalid options dropped');
  });
});
