import * as assert from 'node:assert/strict';
import { FLOWS, getFlows, hostOf, type FlowEnvironment, type Host } from '../../src/auth/flows';

describe('sign-in flows table', () => {
  const cases: [FlowEnvironment, string[]][] = [
    [{ host: 'desktop', hasOAuthApp: true }, ['uriHandler', 'loopback', 'manual', 'accessToken']],
    [{ host: 'desktop', hasOAuthApp: false }, ['accessToken']],
    [{ host: 'remote', hasOAuthApp: true }, ['uriHandler', 'manual', 'accessToken']],
    [{ host: 'remote', hasOAuthApp: false }, ['accessToken']],
    [{ host: 'web', hasOAuthApp: true }, ['manual', 'accessToken']],
    [{ host: 'web', hasOAuthApp: false }, ['accessToken']],
  ];
  for (const [environment, expected] of cases) {
    it(`${environment.host}, ${environment.hasOAuthApp ? 'with' : 'without'} an OAuth app: ${expected.join(' → ')}`, () => {
      assert.deepEqual(getFlows(environment).map((flow) => flow.id), expected);
    });
  }

  it('always ends with a way that needs no browser', () => {
    for (const host of ['desktop', 'remote', 'web'] as Host[]) {
      for (const hasOAuthApp of [true, false]) assert.equal(getFlows({ host, hasOAuthApp }).at(-1)?.id, 'accessToken');
    }
  });

  it('offers the loopback server only where the browser shares the machine with the extension host', () => {
    assert.deepEqual(FLOWS.find((flow) => flow.id === 'loopback')?.hosts, ['desktop']);
  });

  it('tells the host from the UI kind and the remote name', () => {
    assert.equal(hostOf(false, undefined), 'desktop');
    assert.equal(hostOf(false, 'ssh-remote'), 'remote');
    assert.equal(hostOf(true, undefined), 'web');
    assert.equal(hostOf(true, 'codespaces'), 'web');
  });
});
