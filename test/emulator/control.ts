// Control endpoints under /_emulator/ on the API origin, for tests that run in another process
// (e.g. inside VS Code). They need no API headers and are not subject to faults.
import type { JobStore } from './jobs';
import { validateFaultRule, type FaultList } from './faults';
import { escapeHtml, htmlReply, jsonReply, type Reply } from './http';
import { isoSeconds } from './jobs';
import type { OAuthServer } from './oauth';
import type { Recorder } from './recorder';

export interface ControlTarget {
  recorder: Recorder;
  jobs: JobStore;
  faults: FaultList;
  oauth: OAuthServer;
  reset(): void;
}

const done: Reply = { status: 204, body: '', headers: {} };
const problem = (status: number, error: string): Reply => jsonReply(status, { error });

function jsonBody(body: Buffer): Record<string, unknown> {
  const value: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
  return value as Record<string, unknown>;
}

/** The page behind a job's `cast_url`: what a viewer of the running BOT would see, in one line. */
function castPage(target: ControlTarget, jobId: string): Reply {
  const job = target.jobs.get(jobId);
  if (job === undefined) return htmlReply(404, '<!doctype html><title>Cast</title><p>No such job.</p>');
  const state = job.status === 2 ? 'running' : 'finished';
  // Refresh while running so a browser watching it sees the end.
  return htmlReply(200, `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${job.status === 2 ? '<meta http-equiv="refresh" content="2">' : ''}<title>Cast – ${escapeHtml(job.bot.name)}</title></head>
<body><p>BOT <strong>${escapeHtml(job.bot.name)}</strong>, job <code>${job.id}</code> started ${isoSeconds(job.startMs)}: <span id="state">${state}</span></p></body></html>
`, target.jobs.castHeaders);
}

/** Checks a body of string values (headers), throwing with the reason. */
function stringsOf(body: Record<string, unknown>, what: string): Record<string, string> {
  if (!Object.values(body).every((value) => typeof value === 'string')) throw new Error(`expected ${what}`);
  return body as Record<string, string>;
}

export function handleControl(target: ControlTarget, method: string, pathname: string, body: Buffer): Reply {
  const route = `${method} ${pathname}`;
  try {
    switch (route) {
      case 'GET /_emulator/requests': return jsonReply(200, { requests: target.recorder.requests });
      case 'DELETE /_emulator/requests': target.recorder.clear(); return done;
      case 'GET /_emulator/jobs': return jsonReply(200, { jobs: target.jobs.records() });
      case 'POST /_emulator/faults': target.faults.add(validateFaultRule(jsonBody(body))); return done;
      case 'DELETE /_emulator/faults': target.faults.clear(); return done;
      case 'POST /_emulator/reset': target.reset(); return done;
      case 'POST /_emulator/cast-headers': target.jobs.castHeaders = stringsOf(jsonBody(body), '{"header-name": "value", …}'); return done;
      case 'POST /_emulator/cast-url': {
        const { jobId, url } = stringsOf(jsonBody(body), '{"jobId": string, "url": string}');
        if (typeof jobId !== 'string' || typeof url !== 'string' || !target.jobs.setCastUrl(jobId, url)) return problem(400, 'expected {"jobId": string, "url": string} of a known job');
        return done;
      }
      case 'POST /_emulator/redirect-uris': {
        const { clientId, uri } = jsonBody(body);
        if (typeof clientId !== 'number' || typeof uri !== 'string') return problem(400, 'expected {"clientId": number, "uri": string}');
        target.oauth.addRedirectUri(clientId, uri);
        return done;
      }
      case 'POST /_emulator/revoke-refresh-tokens': {
        const { username } = jsonBody(body);
        if (username !== undefined && typeof username !== 'string') return problem(400, 'expected {"username"?: string}');
        target.oauth.revokeRefreshTokens(username);
        return done;
      }
    }
    const cast = /^GET \/_emulator\/cast\/([0-9a-f-]+)$/.exec(route);
    return cast === null ? problem(404, `no control endpoint ${route}`) : castPage(target, cast[1]);
  } catch (err) {
    return problem(400, err instanceof Error ? err.message : String(err));
  }
}
