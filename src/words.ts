// The one place where the extension's own words are made: everything a person reads goes through
// vscode.l10n here, so the tree, status bar, notifications and result panels speak one language. Core
// reports errors and problems as codes and values; their sentences are made here.
import * as vscode from 'vscode';
import { CAST_CHECK_TIMEOUT_MS, type CastCheck } from './core/castFraming';
import { LoopbackPortError, LoopbackTimeoutError, type LoopbackPage } from './core/loopbackServer';
import { JobReferenceError, UnusableIdError, type JobReferenceProblem } from './core/endpoints';
import { ExecutionUnanswered } from './core/jobStore';
import { UnknownStatusError } from './core/jobWatcher';
import { causeCode, CloudBotError, MAX_ANSWER_BYTES, mayHaveStartedJob, megabytesOf, messageOf, permissionByOperation, secondsOf, type Operation } from './core/errors';
import type { OptionWords, WrongOption } from './core/executeOptions';
import type { ItemKind, ItemProblem } from './core/inputItems';
import type { JobWords } from './core/jobText';
import type { InputIssue, InputProblem } from './core/jsonInput';
import { OAuthError, type OAuthProblem } from './core/oauth';
import { SettingsError } from './core/settings';
import { inert } from './core/serverText';
import type { BatchPhase, PauseReason, RowReason, RowState } from './core/batch/ledger';
import type { CheckWords } from './core/checks/evaluate';
import type { ExpectationIssue } from './core/checks/expectations';
import type { ColumnTarget, RowProblem } from './core/tables/rowInput';
import { MAX_XLSX_SHEET_CELLS, MAX_XLSX_UNPACKED_BYTES, type TableProblem } from './core/tables/table';
import type { BadVariableReason, Variable, VariableProblem } from './core/variables';

/** Job words in VS Code's display language; `{0}`, `{1}` are kept for the caller to fill. */
export function jobWords(): JobWords {
  return {
    succeeded: vscode.l10n.t('Succeeded'),
    error: vscode.l10n.t('Error'),
    executing: vscode.l10n.t('Executing'),
    otherStatus: vscode.l10n.t('Unknown status {0}', '{0}'),
    minutesSeconds: vscode.l10n.t('{0} min {1} s', '{0}', '{1}'),
    seconds: vscode.l10n.t('{0} s', '{0}'),
    usually: vscode.l10n.t('usually {0}, {1} so far', '{0}', '{1}'),
  };
}

/** Why a cast is not shown inside VS Code, with the browser as the way to watch it. */
export function describeCastCheck(check: Exclude<CastCheck, { kind: 'frame' }>): string {
  switch (check.kind) {
    case 'refused':
      return vscode.l10n.t('The cast page does not allow being shown inside another page ({0}).', check.by);
    case 'elsewhere':
      return vscode.l10n.t('The cast page leads to another site ({0}), which is not shown here.', check.origin);
    case 'failed': {
      const why = check.status ? `HTTP ${check.status}` : check.timedOut ? vscode.l10n.t('no answer within {0} s', secondsOf(CAST_CHECK_TIMEOUT_MS)) : (check.error ?? '');
      return vscode.l10n.t('Could not check whether the cast can be shown here ({0}).', why);
    }
  }
}

/** Execute options in VS Code's display language; `{0}`, `{1}` are kept for the caller to fill. */
export function optionWords(): OptionWords {
  return {
    callback: vscode.l10n.t('callback to {0} ({1} attempts)', '{0}', '{1}'),
    timeout: vscode.l10n.t('waits up to {0} ms', '{0}'),
  };
}

/** The page the browser shows after a loopback sign-in. */
export function loopbackPage(): LoopbackPage {
  return {
    language: vscode.env.language,
    title: vscode.l10n.t('Cloud BOT sign-in'),
    body: vscode.l10n.t('The answer reached VS Code. You can close this tab and go back to VS Code.'),
  };
}

/** What went wrong, for a person: anything thrown (Cloud BOT, sign-in, settings, job references…). */
export function describeError(error: unknown): string {
  if (error instanceof CloudBotError) {
    const text = cloudBotErrorText(error);
    return mayHaveStartedJob(error) ? `${text} ${vscode.l10n.t('The request may have reached Cloud BOT: check the BOT\'s jobs before executing again.')}` : text;
  }
  if (error instanceof ExecutionUnanswered) return describeError(error.error);
  if (error instanceof OAuthError) return oauthErrorText(error.problem);
  if (error instanceof JobReferenceError) return jobReferenceText(error.problem);
  if (error instanceof UnusableIdError) return vscode.l10n.t('"{0}" cannot be used as a Cloud BOT ID: an ID must not be empty, "." or "..".', error.id);
  if (error instanceof UnknownStatusError) {
    return vscode.l10n.t('Job {0} kept status {1}, which the extension does not know, so it stopped following the job. Refresh it to see its state.', error.jobId, error.status);
  }
  if (error instanceof SettingsError && error.problem === 'credentials') {
    return vscode.l10n.t('The "{0}" setting ({1}) holds a user name or password. Remove them from the URL in Settings: Cloud BOT credentials come only from signing in.', error.setting, error.value);
  }
  if (error instanceof SettingsError) {
    return vscode.l10n.t(
      'The "{0}" setting is "{1}", which is not an https:// URL (http:// is allowed only for 127.0.0.1 or localhost). Fix it in Settings.',
      error.setting,
      error.value,
    );
  }
  if (error instanceof LoopbackPortError) {
    return vscode.l10n.t(
      'Port {0} on 127.0.0.1 is in use, so the browser cannot come back through it. Close what uses it, or set "cloudbot.oauth.loopbackPort" to a free port and register http://127.0.0.1:<port>/callback in My Apps.',
      error.port,
    );
  }
  if (error instanceof LoopbackTimeoutError) return vscode.l10n.t('The browser did not come back to {0} in time.', error.redirectUri);
  return inert(messageOf(error));
}

function cloudBotErrorText(error: CloudBotError): string {
  const host = error.host ?? '';
  switch (error.kind) {
    case 'http':
      return httpErrorText(error);
    case 'network': {
      const code = causeCode(error.cause);
      return vscode.l10n.t('Could not reach Cloud BOT at {0}{1}. Check your network or proxy and the "cloudbot.apiBaseUrl" setting.', host, code ? ` (${code})` : '');
    }
    case 'timeout':
      return vscode.l10n.t('Cloud BOT at {0} did not answer within {1} s.', host, secondsOf(error.timeoutMs));
    case 'aborted':
      return vscode.l10n.t('The request was cancelled.');
    case 'tooLarge':
      return vscode.l10n.t('The request is {0} MB, over Cloud BOT\'s 4 MB limit; nothing was sent. Make the input smaller.', megabytesOf(error.bodyBytes));
    case 'answerTooLarge':
      return vscode.l10n.t('Cloud BOT at {0} sent an answer over {1} MB, which the extension does not read.', host, megabytesOf(MAX_ANSWER_BYTES));
    case 'redirect':
      return vscode.l10n.t('Cloud BOT at {0} answered with a redirect, which the extension does not follow so that credentials stay on that host. Check the "cloudbot.apiBaseUrl" setting.', host);
    case 'invalidResponse':
      return vscode.l10n.t(
        'Cloud BOT at {0} sent an answer that is not the expected JSON (HTTP {1}). Check the "cloudbot.apiBaseUrl" setting, or try again.',
        host,
        error.status ?? '',
      );
  }
}

function httpErrorText(error: CloudBotError): string {
  // The API's own message, in the language of the cloudbot.language setting, shown as it came but unable to link.
  const detail = error.apiMessage ? `: ${inert(error.apiMessage)}` : '';
  switch (error.status) {
    case 401:
      return vscode.l10n.t('Cloud BOT rejected the credentials (401). Check the access token and secret key, or sign in again.');
    case 403:
      return vscode.l10n.t(
        'Cloud BOT refused access to {0} (403): the token needs the "{1}" permission, or the contract has External Connections turned off. Check the token in For Developers > Access Token, or External Connections on the Connect page.',
        resourceOf(error.operation),
        permissionByOperation[error.operation],
      );
    case 404:
      return vscode.l10n.t('Cloud BOT could not find {0} (404). Check the ID, and that the BOT is published for the API in For Developers > API.', resourceOf(error.operation));
    case 410:
      return error.operation === 'executeBot'
        ? vscode.l10n.t('Cloud BOT aborted the BOT execution (410).')
        : vscode.l10n.t('The job has already finished (410), so there is nothing to suspend.');
    case 413:
      return vscode.l10n.t('The request is over Cloud BOT\'s 4 MB limit (413). Make the input smaller.');
    case 415:
      return vscode.l10n.t('Cloud BOT did not accept the request\'s content type (415). This is a bug in the extension; please report it.');
    case 422:
      return vscode.l10n.t('Cloud BOT could not process the request (422){0}. Check the input data and the options.', detail);
    case 429:
      return error.retryAfterSeconds === undefined
        ? vscode.l10n.t('Cloud BOT is receiving too many requests (429). Try again in a moment.')
        : vscode.l10n.t('Cloud BOT is receiving too many requests (429). Try again in {0} s.', error.retryAfterSeconds);
  }
  if ((error.status ?? 0) >= 500) return vscode.l10n.t('Cloud BOT had a server error ({0}){1}. Try again later.', error.status ?? '', detail);
  return vscode.l10n.t('Cloud BOT answered {0}{1}.', error.status ?? '', detail);
}

/** What a call was about, so that a 404 or 403 can say which thing was missing or refused. */
function resourceOf(operation: Operation): string {
  switch (operation) {
    case 'listContracts':
      return vscode.l10n.t('the contract list');
    case 'listBots':
      return vscode.l10n.t('the contract or its BOT list');
    case 'getJob':
    case 'suspendJob':
      return vscode.l10n.t('the job');
    case 'deleteSubscription':
      return vscode.l10n.t('the subscription');
    case 'issueWsToken':
      return vscode.l10n.t('the contract');
    default:
      return vscode.l10n.t('the BOT');
  }
}

function oauthErrorText(problem: OAuthProblem): string {
  switch (problem.code) {
    case 'invalidClient':
      return vscode.l10n.t(
        'Cloud BOT did not accept the app (client ID {0} or its client secret). Check them in Dashboard > For Developers > My Apps, then set them again.',
        problem.clientId,
      );
    case 'invalidGrant':
      return vscode.l10n.t('Cloud BOT refused the authorization ({0}{1}). Sign in again.', inert(problem.error), problem.description ? `: ${inert(problem.description)}` : '');
    case 'unreachable':
      return vscode.l10n.t(
        'Could not reach the Cloud BOT sign-in server at {0}{1}. Check your network or proxy and the "cloudbot.oauthBaseUrl" setting.',
        problem.host,
        problem.networkCode ? ` (${problem.networkCode})` : '',
      );
    case 'unexpectedAnswer':
      return vscode.l10n.t('The Cloud BOT sign-in server at {0} sent an unexpected answer (HTTP {1}). Check the "cloudbot.oauthBaseUrl" setting.', problem.host, problem.status);
    case 'unsupportedTokenType':
      return problem.tokenType === undefined
        ? vscode.l10n.t('The Cloud BOT sign-in server at {0} did not say what type of token it issued, so it was not used (only Bearer tokens can be). Nothing was saved.', problem.host)
        : vscode.l10n.t('The Cloud BOT sign-in server at {0} issued a token of type "{1}", so it was not used (only Bearer tokens can be). Nothing was saved.', problem.host, problem.tokenType);
  }
}

function jobReferenceText(problem: JobReferenceProblem): string {
  switch (problem.code) {
    case 'empty':
      return vscode.l10n.t('Enter a job reference endpoint, e.g. https://api.c-bot.pro/example1/jobs/<job id>.');
    case 'shape':
      return vscode.l10n.t('"{0}" is not a job reference endpoint. Use https://<api host>/<public id>/jobs/<job id> or <public id>/<job id>.', problem.input);
    case 'credentials':
      return vscode.l10n.t('This endpoint on {0} holds a user name or password. Paste it without them.', problem.host);
    case 'otherHost':
      return vscode.l10n.t(
        'This endpoint is on {0}, but the extension is set to use {1}. Change the "cloudbot.apiBaseUrl" setting to follow jobs on {0}.',
        problem.host,
        problem.configured,
      );
  }
}

/** What is wrong with input (editor JSON, an input file, its items), for a mark or a notification. */
export function describeProblem(problem: InputProblem | ItemProblem | VariableProblem): string {
  switch (problem.code) {
    case 'unresolvedVariable':
      return unresolvedVariableText(problem.variable);
    case 'badVariable':
      return badVariableText(problem.reason, inert(problem.written));
    case 'tooManyVariables':
      return vscode.l10n.t('The input has more than {0} variables.', problem.max);
    case 'variableValueTooLarge':
      return vscode.l10n.t('The value of {0} is {1} MB, over the {2} MB a variable may hold.', shownVariable(problem.variable), problem.megabytes, problem.maxMegabytes);
    case 'tooLarge':
      return vscode.l10n.t('The input is {0} MB, over Cloud BOT\'s 4 MB limit. Make it smaller.', problem.megabytes);
    case 'tooDeep':
      return vscode.l10n.t('The JSON is nested more than {0} levels deep here. BOT input is only a few levels deep: check the brackets.', problem.max);
    case 'syntax':
      return vscode.l10n.t('Invalid JSON at line {0}, column {1}: {2}.', problem.line, problem.column, syntaxErrorWords[problem.error]?.() ?? problem.error);
    case 'notObject':
      return vscode.l10n.t('BOT input must be a JSON object such as {"item name": "value"}, not {0}.', foundWords[problem.found]());
    case 'unknownField':
      return vscode.l10n.t('Unknown field "{0}": an input file has "bot", "input" and "options".', problem.name);
    case 'binding':
      return vscode.l10n.t('"bot" must name the BOT this file runs: {"contract": "<public id>", "id": "<BOT id>"}.');
    case 'inputNotObject':
      return vscode.l10n.t('"input" must be a JSON object keyed by the BOT\'s input item names.');
    case 'optionsNotObject':
      return vscode.l10n.t('"options" must be a JSON object.');
    case 'option':
      return describeWrongOption(problem);
    case 'unknownItem':
      return vscode.l10n.t('{0} has no input item "{1}". Its items: {2}.', problem.owner, problem.name, problem.names.map((name) => `"${name}"`).join(', '));
    case 'wrongKind':
      return vscode.l10n.t('"{0}" is {1}.', problem.name, itemKindText(problem.kind));
  }
}

/** A variable as written, made unable to link (a prompt label or column comes from a file). */
function shownVariable({ kind, name }: Variable): string {
  return `\${${kind}:${inert(name)}}`;
}

function unresolvedVariableText(variable: Variable): string {
  const shown = shownVariable(variable);
  switch (variable.kind) {
    case 'env':
      return vscode.l10n.t('{0}: the environment variable {1} is not set where VS Code runs.', shown, variable.name);
    case 'secret':
      return vscode.l10n.t('{0}: no value was given for the input secret "{1}". Set it with "Cloud BOT: Manage Input Secrets".', shown, variable.name);
    case 'prompt':
      return vscode.l10n.t('{0}: no answer was given.', shown);
    case 'row':
      return vscode.l10n.t('{0}: no column "{1}" in this row. Row variables have values only in batch runs, one per row.', shown, inert(variable.name));
  }
}

function badVariableText(reason: BadVariableReason, written: string): string {
  switch (reason) {
    case 'unknownKind':
      return vscode.l10n.t('"{0}" is not a variable: use {1}, or write {2} for a literal "{3}".', written, '${env:NAME}, ${secret:NAME}, ${prompt:Label}, ${row:Column}', '$${', '${');
    case 'badName':
      return vscode.l10n.t(
        'The name in "{0}" cannot be used: an environment variable is letters, digits and _ (not first a digit); a secret name 1 to 64 letters, digits, _ . -; a prompt label or a column 1 to 100 characters without "{1}".',
        written,
        '}',
      );
    case 'unclosed':
      return vscode.l10n.t('"{0}" has no closing "{1}". Write {2} for a literal "{3}".', written, '}', '$${', '${');
  }
}

/** Why an execute option cannot be used, and what it must be. */
export function describeWrongOption({ name, reason }: WrongOption): string {
  if (reason === 'credentials') return vscode.l10n.t('"callbackEndpoint" must not hold a user name or password (https://user:password@…). Remove them from the URL.');
  switch (name) {
    case 'callbackEndpoint':
      return vscode.l10n.t('"callbackEndpoint" must be an https:// URL that receives the finished job (http:// only for 127.0.0.1 or localhost).');
    case 'callbackTries':
      return vscode.l10n.t('"callbackTries" must be a whole number from 0 to 5.');
    case 'timeout':
      return vscode.l10n.t('"timeout" must be a whole number of milliseconds from 0 to 120000.');
  }
}

/** What a value of an input item must be. */
export function itemKindText(kind: ItemKind): string {
  switch (kind) {
    case 'text':
      return vscode.l10n.t('text (a string)');
    case 'list':
      return vscode.l10n.t('a list (an array of strings)');
    case 'group':
      return vscode.l10n.t('a group (an array of rows, each an object)');
    case 'files':
      return vscode.l10n.t('files ({"type": "files", "files": [...]})');
  }
}

/** Why rows cannot be read from a file, with where in it when that is known. */
export function describeTableProblem(problem: TableProblem): string {
  const sentence = tableProblemText(problem);
  if (problem.line !== undefined) return `${vscode.l10n.t('Line {0}:', problem.line)} ${sentence}`;
  if (problem.item !== undefined) return `${vscode.l10n.t('Item {0}:', problem.item)} ${sentence}`;
  if (problem.row !== undefined) return `${vscode.l10n.t('Row {0}:', problem.row)} ${sentence}`;
  return sentence;
}

function tableProblemText(problem: TableProblem): string {
  switch (problem.code) {
    case 'unsupportedFormat':
      return vscode.l10n.t('Rows cannot be read from a ".{0}" file. Use CSV, TSV, JSON, JSON Lines or Excel (.xlsx).', problem.extension);
    case 'tooLarge':
      return vscode.l10n.t('The file is {0} MB, over the {1} MB limit for a file of rows.', problem.megabytes, problem.maxMegabytes);
    case 'tooManyRows':
      return vscode.l10n.t('The file has more than {0} rows. Split it into smaller files.', problem.max);
    case 'tooManyColumns':
      return vscode.l10n.t('The file has more than {0} columns.', problem.max);
    case 'cellTooLarge':
      return vscode.l10n.t('The cell in column "{0}" is over {1} MB.', problem.column, problem.maxMegabytes);
    case 'noHeader':
      return vscode.l10n.t('The file has no header row: its first row must name the columns.');
    case 'duplicateColumn':
      return vscode.l10n.t('Two columns are named "{0}". Give each column a name of its own.', problem.column);
    case 'emptyColumnName':
      return vscode.l10n.t('Column {0} has values but no name in the header row.', problem.position);
    case 'extraCells':
      return vscode.l10n.t('The row has {0} cells, more than the {1} columns of the header row.', problem.cells, problem.columns);
    case 'syntax':
      return vscode.l10n.t('The file cannot be read here: {0}.', (csvErrorWords[problem.error] ?? syntaxErrorWords[problem.error])?.() ?? problem.error);
    case 'notArray':
      return vscode.l10n.t('A .json file of rows must be an array of objects: [{"column": "value"}, ...].');
    case 'notObjectRow':
      return vscode.l10n.t('The row is not a JSON object such as {"column": "value"}.');
    case 'tooDeep':
      return vscode.l10n.t('The JSON is nested more than {0} levels deep here.', problem.max);
    case 'notUtf8':
      return vscode.l10n.t('The file is not UTF-8 text. Save JSON files as UTF-8.');
    case 'encodingUnsupported':
      return vscode.l10n.t('The file is not UTF-8, and this VS Code cannot read Shift_JIS text. Save the file as UTF-8 (in Excel: "CSV UTF-8").');
    case 'unreadableWorkbook':
      switch (problem.reason) {
        case 'noSheet':
          return vscode.l10n.t('The workbook has no sheet.');
        case 'tooLargeUnpacked':
          return vscode.l10n.t('The workbook unpacks to more than {0} MB, so it is not opened.', megabytesOf(MAX_XLSX_UNPACKED_BYTES));
        case 'sheetTooLarge':
          return vscode.l10n.t('A sheet of the workbook spans more than {0} cells from A1 to its last cell, so it is not opened.', MAX_XLSX_SHEET_CELLS);
        default:
          return vscode.l10n.t('The file cannot be read as an Excel workbook (.xlsx).');
      }
  }
}

/** csv-parse's errors, by their codes. */
const csvErrorWords: Record<string, (() => string) | undefined> = {
  CSV_QUOTE_NOT_CLOSED: () => vscode.l10n.t('a quoted cell is not closed'),
  CSV_INVALID_CLOSING_QUOTE: () => vscode.l10n.t('text after the closing quote of a cell'),
};

/** Why one row of a batch cannot be input to the BOT. */
export function describeRowProblem(problem: RowProblem): string {
  return `${vscode.l10n.t('Line {0}:', problem.line)} ${rowProblemText(problem)}`;
}

function rowProblemText(problem: RowProblem): string {
  switch (problem.code) {
    case 'wrongKind':
      return vscode.l10n.t('Column "{0}" must hold {1} for the input item "{2}".', problem.column, itemKindText(problem.kind), problem.item);
    case 'badJsonCell':
      return vscode.l10n.t(
        'Column "{0}" holds invalid JSON for the input item "{1}": {2}.',
        problem.column,
        problem.item,
        problem.error === 'tooDeep' ? vscode.l10n.t('nested too deep') : (syntaxErrorWords[problem.error]?.() ?? problem.error),
      );
    case 'raggedGroup':
      return vscode.l10n.t(
        'The columns of the group "{0}" have different numbers of lines ({1}): each line is a row of the group.',
        problem.item,
        problem.lines.map(({ column, count }) => `"${column}": ${count}`).join(', '),
      );
    case 'groupTwice':
      return vscode.l10n.t('The group "{0}" has values both in column "{0}" and in its "{0}.…" columns. Use one or the other.', problem.item);
  }
}

/** What was found instead of a JSON object. */
const foundWords: Record<Extract<InputIssue, { code: 'notObject' }>['found'], () => string> = {
  null: () => 'null',
  array: () => vscode.l10n.t('an array'),
  string: () => vscode.l10n.t('a string'),
  number: () => vscode.l10n.t('a number'),
  boolean: () => vscode.l10n.t('a boolean'),
};

/** jsonc-parser's errors, by the names printParseErrorCode gives them. */
const syntaxErrorWords: Record<string, (() => string) | undefined> = {
  InvalidSymbol: () => vscode.l10n.t('unexpected character'),
  InvalidNumberFormat: () => vscode.l10n.t('invalid number'),
  PropertyNameExpected: () => vscode.l10n.t('property name expected'),
  ValueExpected: () => vscode.l10n.t('value expected'),
  ColonExpected: () => vscode.l10n.t('colon expected'),
  CommaExpected: () => vscode.l10n.t('comma expected'),
  CloseBraceExpected: () => vscode.l10n.t('closing brace "}" expected'),
  CloseBracketExpected: () => vscode.l10n.t('closing bracket "]" expected'),
  EndOfFileExpected: () => vscode.l10n.t('end of input expected'),
  InvalidCommentToken: () => vscode.l10n.t('comments are not allowed in JSON'),
  UnexpectedEndOfComment: () => vscode.l10n.t('unterminated comment'),
  UnexpectedEndOfString: () => vscode.l10n.t('unterminated string'),
  UnexpectedEndOfNumber: () => vscode.l10n.t('unterminated number'),
  InvalidUnicode: () => vscode.l10n.t('invalid unicode escape'),
  InvalidEscapeCharacter: () => vscode.l10n.t('invalid escape character'),
  InvalidCharacter: () => vscode.l10n.t('invalid character'),
};

/** A batch's phase, as its panel and progress show it. */
export function batchPhaseText(phase: BatchPhase): string {
  switch (phase) {
    case 'ready':
      return vscode.l10n.t('Ready');
    case 'running':
      return vscode.l10n.t('Running');
    case 'paused':
      return vscode.l10n.t('Paused');
    case 'stopped':
      return vscode.l10n.t('Stopped');
    case 'done':
      return vscode.l10n.t('Done');
  }
}

/** A batch row's state. */
export function rowStateText(state: RowState): string {
  switch (state) {
    case 'pending':
      return vscode.l10n.t('Waiting');
    case 'sending':
      return vscode.l10n.t('Sending');
    case 'running':
      return vscode.l10n.t('Executing');
    case 'succeeded':
      return vscode.l10n.t('Succeeded');
    case 'failed':
      return vscode.l10n.t('Error');
    case 'invalid':
      return vscode.l10n.t('Bad data');
    case 'refused':
      return vscode.l10n.t('Refused');
    case 'unanswered':
      return vscode.l10n.t('No answer');
    case 'stopped':
      return vscode.l10n.t('Not sent');
  }
}

/** Why a batch row did not run, or how its job was found. */
export function describeRowReason(reason: RowReason): string {
  switch (reason.code) {
    case 'badRow':
      return describeRowProblem(reason.problem);
    case 'badInput':
      return vscode.l10n.t('Its input could not be made: {0}', reason.detail);
    case 'refused':
      return vscode.l10n.t('Cloud BOT refused to execute it: {0}', reason.detail);
    case 'unanswered':
    case 'noJobFound':
      return vscode.l10n.t('Its execution got no answer, and no job of it was found. It was not sent again: check the BOT\'s jobs, or use Re-run Failed Rows.');
    case 'severalCandidates':
      return vscode.l10n.t('Its execution got no answer, and several jobs of the BOT started then. It was not sent again: check the BOT\'s jobs.');
    case 'cannotFollow':
      return vscode.l10n.t('Its job could not be followed: {0}', reason.detail);
    case 'recovered':
      return vscode.l10n.t('Its execution got no answer; its job was found and followed, not sent again.');
  }
}

/** Why a batch paused by itself, with what to do. */
export function describePauseReason(reason: PauseReason): string {
  switch (reason.code) {
    case 'notReached':
      return vscode.l10n.t('Paused: Cloud BOT could not be reached ({0}). Resume when it can.', reason.detail);
    case 'unauthorized':
      return vscode.l10n.t('Paused: Cloud BOT refused the sign-in. Sign in again, then Resume.');
    case 'forbidden':
      return vscode.l10n.t('Paused: this account may not execute the BOT ({0}). Resume with the permission granted.', reason.detail);
    case 'botNotFound':
      return vscode.l10n.t('Paused: Cloud BOT does not find the BOT ({0}).', reason.detail);
    case 'cannotCheckLostRow':
      return vscode.l10n.t('Paused: a row whose execution got no answer could not be looked for among the BOT\'s jobs. Resume to look again; it is not sent twice.');
  }
}

/** Where a column of a batch's rows goes. */
export function columnTargetText(target: ColumnTarget, column: string): string {
  switch (target.kind) {
    case 'item':
      return vscode.l10n.t('Input item "{0}"', target.item);
    case 'groupColumn':
      return vscode.l10n.t('Column "{1}" of the group "{0}"', target.item, target.column);
    case 'rowVariable':
      return vscode.l10n.t('Used by the template as {0}', `\${row:${column}}`);
    case 'unknown':
      return vscode.l10n.t('Not used: the BOT has no input item of this name');
  }
}

/** The words of failed checks in VS Code's display language; `{0}`, `{1}` are kept for core to fill. */
export function checkWords(): CheckWords {
  return {
    status: vscode.l10n.t('Expected the job to have {0}, but it {1}.', '{0}', '{1}'),
    message: vscode.l10n.t('Expected the job\'s message to match /{0}/.', '{0}'),
    missingItem: vscode.l10n.t('Expected an output item "{0}", but the output has none.', '{0}'),
    equals: vscode.l10n.t('Output item "{0}" is not the expected value.', '{0}'),
    contains: vscode.l10n.t('Output item "{0}" does not contain {1}.', '{0}', '{1}'),
    matches: vscode.l10n.t('Output item "{0}" does not match /{1}/.', '{0}', '{1}'),
    rows: vscode.l10n.t('Expected {1} rows in output item "{0}", but it has {2}.', '{0}', '{1}', '{2}'),
    outputSchema: vscode.l10n.t('The output does not fit the output schema ({0} problems): {1}', '{0}', '{1}'),
    maxDuration: vscode.l10n.t('Expected the job to take at most {0} s, but it took {1} s.', '{0}', '{1}'),
    succeeded: vscode.l10n.t('succeeded'),
    failed: vscode.l10n.t('failed'),
    running: vscode.l10n.t('is still running'),
  };
}

/** Why an input file's `expect` block cannot be checked. */
export function describeExpectationIssue(issue: ExpectationIssue): string {
  switch (issue.code) {
    case 'notObject':
      return vscode.l10n.t('"{0}" must be a JSON object.', issue.field);
    case 'unknownField':
      return vscode.l10n.t('"{0}" is not an expectation. Use: {1}.', issue.field, issue.known.join(', '));
    case 'badStatus':
      return vscode.l10n.t('"status" must be "succeeded" or "failed".');
    case 'badPattern':
      return vscode.l10n.t('This is not a usable regular expression: {0}.', issue.reason);
    case 'badRows':
      return vscode.l10n.t('"rows" must be a whole number, 0 or more.');
    case 'badDuration':
      return vscode.l10n.t('"maxDurationSeconds" must be a number of seconds above 0.');
    case 'emptyCheck':
      return vscode.l10n.t('Output item "{0}" has no check: use equals, contains, matches or rows.', issue.item);
    case 'tooMany':
      return vscode.l10n.t('The expect block has too many expectations (at most 500).');
  }
}
