// The variables of a batch's template: `${row:Column}` from each row's cells, and `${env:…}`,
// `${secret:…}` and `${prompt:…}` asked for once per run of the batch, before its first row is sent,
// so that a batch never stops halfway for a question and a cancelled question sends nothing.
import * as vscode from 'vscode';
import { cellsAsText, type TemplateResolver, type TemplateVariables } from '../core/batch/batchInput';
import { redactingResolver, referencedRows, resolveInput, variablesOf, variableText, withRow, type VariableResolver } from '../core/variables';
import { inert } from '../core/serverText';
import { describeProblem } from '../words';
import type { InputSecrets } from './inputSecrets';
import { variableResolver } from './inputVariables';

export function batchTemplateVariables(secrets: InputSecrets): TemplateVariables {
  return {
    referenced: (ledger) => referencedRows(ledger.template.input),
    async resolverFor(ledger) {
      // Every value given is kept, so that what the server echoes of it (a message, an output) is not saved.
      const { resolve: variables, redact } = redactingResolver(variableResolver(secrets));
      for (const variable of variablesOf(ledger.template.input)) {
        if (variable.kind === 'row' || (await variables(variable)) !== undefined) continue;
        void vscode.window.showWarningMessage(vscode.l10n.t('{0} has no value, so the batch was not started. Nothing was sent.', inert(variableText(variable))));
        return undefined;
      }
      return { resolve: resolverWith(variables), redact };
    },
  };
}

/** For the preview: only `${row:…}` is filled in; every other variable stays as written, and nothing is asked. */
export const rowsOnlyResolver: TemplateResolver = resolverWith(async (variable) => variableText(variable));

function resolverWith(variables: VariableResolver): TemplateResolver {
  return async (input, row) => {
    const resolved = await resolveInput(input, withRow(variables, cellsAsText(row)));
    return resolved.ok ? resolved : { ok: false, detail: describeProblem(resolved.problem) };
  };
}
