// Where the command line finds the values of input files' variables: `${env:NAME}` in its environment,
// `${secret:NAME}` in the environment variable CLOUDBOT_INPUT_SECRET_<NAME> (a CI system's secrets
// arrive as environment variables), `${prompt:Label}` asked on the terminal, and never without one.
// No `vscode` here.
import { ENV } from '../core/envConfig';
import { resolveOnce, SECRET_LABEL, variableText, type Variable, type VariableResolver } from '../core/variables';

export const INPUT_SECRET_PREFIX = 'CLOUDBOT_INPUT_SECRET_';

/**
 * The environment variable of `${secret:NAME}`: the name upper-cased, `.` and `-` as `_`
 * (`${secret:api-key}` → CLOUDBOT_INPUT_SECRET_API_KEY). Not CLOUDBOT_SECRET_…: `${secret:key}` would
 * then read CLOUDBOT_SECRET_KEY, the API's own secret key.
 */
export function secretVariableName(name: string): string {
  return `${INPUT_SECRET_PREFIX}${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
}

/** Cloud BOT's own credentials: never a BOT's input, even when a file asks for them by name. */
const CREDENTIAL_VARIABLES: readonly string[] = [ENV.accessToken, ENV.secretKey, ENV.bearerToken];

/** Asks a question on the terminal; undefined when there is no terminal, or no answer. */
export type Ask = (label: string, hidden: boolean) => Promise<string | undefined>;

/** Each variable is resolved once per command, however many files use it. */
export function environmentResolver(env: NodeJS.ProcessEnv, ask: Ask | undefined): VariableResolver {
  const valueOf = (name: string) => (Object.prototype.hasOwnProperty.call(env, name) && !CREDENTIAL_VARIABLES.includes(name) ? env[name] : undefined);
  return resolveOnce(async ({ kind, name }) => {
    switch (kind) {
      case 'env':
        return valueOf(name);
      case 'secret':
        return valueOf(secretVariableName(name));
      case 'prompt':
        return ask?.(name, SECRET_LABEL.test(name));
      case 'row':
        return undefined;
    }
  });
}

/** Why a variable has no value here, and where to give it. */
export function unresolvedText(variable: Variable, canAsk: boolean): string {
  const written = variableText(variable);
  switch (variable.kind) {
    case 'env':
      return CREDENTIAL_VARIABLES.includes(variable.name)
        ? `${written}: Cloud BOT's credentials are never given to a BOT as input.`
        : `${written}: the environment variable ${variable.name} is not set.`;
    case 'secret':
      return `${written}: set the environment variable ${secretVariableName(variable.name)}.`;
    case 'prompt':
      return canAsk ? `${written}: no answer was given.` : `${written}: asked only at a terminal, and there is none here; use \${env:…} or \${secret:…} where nobody can answer (CI).`;
    case 'row':
      return `${written}: row variables have values only in batch runs.`;
  }
}
