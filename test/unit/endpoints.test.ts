import * as assert from 'node:assert/strict';
import { botExecutionEndpoint, JobReferenceError, jobReferenceEndpoint, parseJobReference, UnusableIdError, type JobReferenceProblem } from '../../src/core/endpoints';

const api = 'https://api.c-bot.pro';

/** A JobReferenceError with exactly this problem. */
const refusal = (problem: JobReferenceProblem) => (error: unknown) => {
  assert.ok(error instanceof JobReferenceError);
  assert.deepEqual(error.problem, problem);
  return true;
};

describe('endpoints', () => {
  it('builds the execution and reference endpoints as the user guide names them', () => {
    assert.equal(botExecutionEndpoint(api + '/', 'example1', 'get_items'), 'https://api.c-bot.pro/example1/bots/get_items/jobs');
    assert.equal(jobReferenceEndpoint(api, 'example1', 'abc-1'), 'https://api.c-bot.pro/example1/jobs/abc-1');
  });

  it('reads every way people paste a job reference', () => {
    const expected = { publicId: 'example1', jobId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' };
    for (const text of [
      `${api}/example1/jobs/${expected.jobId}`,
      `  ${api}/example1/jobs/${expected.jobId}/  `,
      `example1/jobs/${expected.jobId}`,
      `example1/${expected.jobId}`,
    ]) {
      assert.deepEqual(parseJobReference(text, api), expected, text);
    }
  });

  it('keeps a base path of the API', () => {
    assert.deepEqual(parseJobReference('http://127.0.0.1:9/api/example1/jobs/j1', 'http://127.0.0.1:9/api'), {
      publicId: 'example1',
      jobId: 'j1',
    });
  });

  it('refuses an endpoint on another host, so credentials never go there', () => {
    assert.throws(() => parseJobReference('https://evil.example/example1/jobs/j1', api), refusal({ code: 'otherHost', host: 'evil.example', configured: 'api.c-bot.pro' }));
  });

  it('refuses an endpoint with a user name or password, without keeping them in the problem', () => {
    for (const text of [`https://user:SECRET@api.c-bot.pro/example1/jobs/j1`, `https://user@api.c-bot.pro/example1/jobs/j1`, 'https://user:SECRET@evil.example/example1/jobs/j1']) {
      const host = new URL(text).host;
      assert.throws(() => parseJobReference(text, api), refusal({ code: 'credentials', host }), text);
    }
  });

  it('refuses text that is not a job reference, saying what it was given', () => {
    assert.throws(() => parseJobReference('  ', api), refusal({ code: 'empty' }));
    for (const text of ['just-one-part', 'a/b/c/d', `${api}/example1/bots/x`, 'ex ample/j1', 'https://']) {
      assert.throws(() => parseJobReference(text, api), refusal({ code: 'shape', input: text }), text);
    }
  });

  it('never builds an endpoint from an empty, "." or ".." ID, which a URL would drop or climb', () => {
    for (const id of ['', '.', '..']) {
      const unusable = (error: unknown) => error instanceof UnusableIdError && error.id === id;
      assert.throws(() => jobReferenceEndpoint(api, 'example1', id), unusable, JSON.stringify(id));
      assert.throws(() => jobReferenceEndpoint(api, id, 'j1'), unusable, JSON.stringify(id));
      assert.throws(() => botExecutionEndpoint(api, 'example1', id), unusable, JSON.stringify(id));
    }
    assert.equal(jobReferenceEndpoint(api, 'example1', '...'), `${api}/example1/jobs/...`);
  });

  it('refuses a job reference whose ID is "." or ".."', () => {
    for (const text of ['example1/..', 'example1/jobs/.', '../j1', 'example1/%2E%2E']) {
      assert.throws(() => parseJobReference(text, api), refusal({ code: 'shape', input: text }), text);
    }
  });
});
