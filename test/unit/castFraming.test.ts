// Whether a cast can be framed: the URL as server text, the decision from answer headers, and the
// bounded check against the emulator's cast page (and a few odd servers) over real HTTP.
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { castTarget, checkCast, frameRefusal } from '../../src/core/castFraming';
import { startEmulator, type RunningEmulator } from '../emulator';
import { callApi } from '../emulator/testing';

const headers = (values: Record<string, string>) => new Headers(values);

describe('cast framing', () => {
  describe('the cast URL', () => {
    it('is framed only when it is an http or https URL, with its origin for the CSP', () => {
      assert.deepEqual(castTarget('https://cast.example:8443/view/1?t=a'), { url: 'https://cast.example:8443/view/1?t=a', origin: 'https://cast.example:8443' });
      assert.deepEqual(castTarget('http://127.0.0.1:3000/_emulator/cast/j'), { url: 'http://127.0.0.1:3000/_emulator/cast/j', origin: 'http://127.0.0.1:3000' });
      assert.equal(castTarget('HTTPS://Cast.Example/x')?.origin, 'https://cast.example');
      assert.equal(castTarget('http://[::1]:8080/')?.origin, 'http://[::1]:8080');
      for (const url of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'vscode://x/y', 'command:workbench.action.quit', 'ftp://cast.example/', '//cast.example/x', 'cast.example', '', 'http://', undefined, null, 42, {}]) {
        assert.equal(castTarget(url), undefined, String(url));
      }
    });

    it('is refused when its host holds what would break out of the CSP', () => {
      // URL allows these in a host; a CSP would read them as the end of the source or of the attribute.
      for (const url of ['http://a"b;c/', 'http://a%22b/', "http://a'b/", 'http://a,b/', 'http://a*b/']) assert.equal(castTarget(url), undefined, url);
    });
  });

  describe('the decision from the answer headers', () => {
    it('frames a page that says nothing against it', () => {
      assert.equal(frameRefusal(headers({}), false), undefined);
      assert.equal(frameRefusal(headers({ 'x-frame-options': 'ALLOWALL' }), false), undefined);
      assert.equal(frameRefusal(headers({ 'content-security-policy': "default-src 'self'; script-src 'none'" }), false), undefined);
      // Values browsers do not know are ignored, ALLOW-FROM among them.
      assert.equal(frameRefusal(headers({ 'x-frame-options': 'ALLOW-FROM https://vscode.dev' }), false), undefined);
    });

    it('refuses X-Frame-Options DENY and SAMEORIGIN, and values that disagree', () => {
      for (const value of ['DENY', 'deny', ' SameOrigin ', 'DENY, DENY', 'SAMEORIGIN, ALLOWALL', 'nonsense, DENY']) {
        assert.equal(frameRefusal(headers({ 'x-frame-options': value }), true), 'X-Frame-Options', value);
      }
      assert.equal(frameRefusal(headers({ 'x-frame-options': 'nonsense, other' }), true), undefined);
    });

    it('decides by CSP frame-ancestors over X-Frame-Options, as browsers do', () => {
      const csp = (policy: string, xfo?: string) => headers({ 'content-security-policy': policy, ...(xfo ? { 'x-frame-options': xfo } : {}) });
      assert.equal(frameRefusal(csp("frame-ancestors 'none'"), true), 'frame-ancestors');
      assert.equal(frameRefusal(csp("default-src 'self'; frame-ancestors 'self'"), true), 'frame-ancestors');
      assert.equal(frameRefusal(csp('frame-ancestors https://console.example'), true), 'frame-ancestors');
      // `*` lets in pages on the web only: a browser's VS Code, not the desktop app's webviews.
      assert.equal(frameRefusal(csp('frame-ancestors *', 'DENY'), true), undefined);
      assert.equal(frameRefusal(csp('FRAME-ANCESTORS *'), false), 'frame-ancestors');
      // Every policy must allow it (two headers arrive joined by a comma).
      assert.equal(frameRefusal(csp("frame-ancestors *, frame-ancestors 'none'"), true), 'frame-ancestors');
      assert.equal(frameRefusal(csp("script-src 'self', frame-ancestors *"), true), undefined);
    });
  });

  describe('the check of the cast page', function () {
    this.timeout(20_000);
    let emu: RunningEmulator;
    let castUrl: string;
    const servers: Server[] = [];

    /** A server on 127.0.0.1 answering as `handle` says; closed after the tests. */
    async function serve(handle: Parameters<typeof createServer>[1]): Promise<string> {
      const server = createServer(handle);
      servers.push(server);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    before(async () => {
      emu = await startEmulator();
      const { accessToken, secretKey } = emu.tokens[0];
      const started = await callApi<{ cast_url: string }>(emu.apiBaseUrl, 'POST', '/example1/bots/long_running/jobs', { credentials: { accessToken, secretKey }, body: {} });
      castUrl = started.body.cast_url;
    });
    afterEach(() => emu.cast.setHeaders({}));
    after(async () => {
      for (const server of servers) {
        server.closeAllConnections();
        server.close();
      }
      await emu.close();
    });

    it('frames the emulator\'s cast page', async () => {
      assert.deepEqual(await checkCast(castTarget(castUrl)!, false), { kind: 'frame' });
    });

    it('refuses a cast page answered with X-Frame-Options DENY, or with frame-ancestors', async () => {
      emu.cast.setHeaders({ 'X-Frame-Options': 'DENY' });
      assert.deepEqual(await checkCast(castTarget(castUrl)!, false), { kind: 'refused', by: 'X-Frame-Options' });
      emu.cast.setHeaders({ 'Content-Security-Policy': "frame-ancestors 'self'" });
      assert.deepEqual(await checkCast(castTarget(castUrl)!, true), { kind: 'refused', by: 'frame-ancestors' });
    });

    it('fails on an error answer, a refused connection and a page that never answers, within its bound', async () => {
      assert.deepEqual(await checkCast(castTarget(`${emu.apiBaseUrl}/_emulator/cast/00000000-0000-7000-8000-000000000000`)!, false), { kind: 'failed', status: 404 });
      const closed = await serve(() => undefined);
      servers.pop()!.close();
      assert.deepEqual(await checkCast(castTarget(`${closed}/cast`)!, false), { kind: 'failed', error: 'ECONNREFUSED' });
      const silent = await serve(() => undefined);
      const started = Date.now();
      assert.deepEqual(await checkCast(castTarget(`${silent}/cast`)!, false, 300), { kind: 'failed', timedOut: true });
      assert.ok(Date.now() - started < 2_000, 'gave up after its timeout');
    });

    it('reads the headers only, and lets the body go', async () => {
      // A page whose body never ends: the check answers all the same.
      const endless = await serve((_, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<p>');
      });
      assert.deepEqual(await checkCast(castTarget(`${endless}/cast`)!, false, 2_000), { kind: 'frame' });
    });

    it('follows a redirect on the cast\'s own site, and refuses one to another site', async () => {
      const other = await serve((_, res) => res.writeHead(200).end('<p>elsewhere</p>'));
      const redirecting = await serve((_, res) => res.writeHead(302, { location: `${other}/cast` }).end());
      assert.deepEqual(await checkCast(castTarget(`${redirecting}/away`)!, false), { kind: 'elsewhere', origin: other });
      const local = await serve((req, res) => (req.url === '/start' ? res.writeHead(302, { location: '/cast' }).end() : res.writeHead(200, { 'x-frame-options': 'SAMEORIGIN' }).end()));
      assert.deepEqual(await checkCast(castTarget(`${local}/start`)!, false), { kind: 'refused', by: 'X-Frame-Options' });
    });
  });
});
