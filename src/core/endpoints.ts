// The two URLs users copy around: the BOT execution endpoint and the job reference endpoint.
import { carriesCredentials } from './urls';

export function botExecutionEndpoint(apiBaseUrl: string, publicId: string, botId: string): string {
  return `${trimSlash(apiBaseUrl)}/${idSegment(publicId)}/bots/${idSegment(botId)}/jobs`;
}

export function jobReferenceEndpoint(apiBaseUrl: string, publicId: string, jobId: string): string {
  return `${trimSlash(apiBaseUrl)}/${idSegment(publicId)}/jobs/${idSegment(jobId)}`;
}

/** An ID that cannot be one path segment of a request: empty, "." or ".." (a URL drops or climbs those). */
export class UnusableIdError extends Error {
  constructor(readonly id: string) {
    super(`unusable ID "${id}" in a request path`);
    this.name = 'UnusableIdError';
  }
}

export function isUsableId(id: string): boolean {
  return id !== '' && id !== '.' && id !== '..';
}

/** One path segment, so that an ID can never change the path's shape. */
export function idSegment(id: string): string {
  if (!isUsableId(id)) throw new UnusableIdError(id);
  return encodeURIComponent(id);
}

export interface JobReference {
  publicId: string;
  jobId: string;
}

/** Why a text is not a usable job reference, with what a sentence about it needs. */
export type JobReferenceProblem =
  | { code: 'empty' }
  | { code: 'shape'; input: string }
  /** A URL on another host than the configured one: credentials are not sent there. */
  | { code: 'otherHost'; host: string; configured: string }
  /** A URL with a user name or password in it (not kept in the problem, which may be shown). */
  | { code: 'credentials'; host: string };

export class JobReferenceError extends Error {
  constructor(readonly problem: JobReferenceProblem) {
    super(technicalMessage(problem));
    this.name = 'JobReferenceError';
  }
}

function technicalMessage(problem: JobReferenceProblem): string {
  switch (problem.code) {
    case 'empty':
      return 'empty job reference';
    case 'shape':
      return `not a job reference: "${problem.input}"`;
    case 'credentials':
      return `job reference on ${problem.host} with a user name or password`;
    case 'otherHost':
      return `job reference on ${problem.host}, not on the configured ${problem.configured}`;
  }
}

const ID = /^[A-Za-z0-9_.~-]+$/;

/**
 * Reads a job reference the way people paste one: the full endpoint URL, `public_id/jobs/job_id`, or
 * `public_id/job_id`. A URL on another host than `apiBaseUrl` is refused, so credentials are never
 * sent to a host the user did not configure.
 */
export function parseJobReference(text: string, apiBaseUrl: string): JobReference {
  const input = text.trim();
  if (!input) throw new JobReferenceError({ code: 'empty' });
  let path = input;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    let url: URL;
    let base: URL;
    try {
      url = new URL(input);
      base = new URL(apiBaseUrl);
    } catch {
      throw new JobReferenceError({ code: 'shape', input });
    }
    if (carriesCredentials(url)) throw new JobReferenceError({ code: 'credentials', host: url.host });
    if (url.origin !== base.origin) {
      throw new JobReferenceError({ code: 'otherHost', host: url.host, configured: base.host });
    }
    const basePath = base.pathname.replace(/\/+$/, '');
    path = url.pathname.startsWith(basePath + '/') ? url.pathname.slice(basePath.length) : url.pathname;
  }
  const parts = path.split('/').filter(Boolean).map(safeDecode);
  const [publicId, jobId] = parts.length === 3 && parts[1] === 'jobs' ? [parts[0], parts[2]] : parts.length === 2 ? parts : [];
  if (publicId === undefined || jobId === undefined || ![publicId, jobId].every((id) => isUsableId(id) && ID.test(id))) {
    throw new JobReferenceError({ code: 'shape', input });
  }
  return { publicId, jobId };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
