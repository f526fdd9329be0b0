// Checks a tool call's parameters against the tool's own schema (the subset toolDefinitions.ts uses).
// Hosts do not check them: VS Code's invokeTool passes whatever the model wrote.
import { isPlainObject } from '../tables/json';
import type { JsonSchema } from './botSchema';

export interface ParamProblem {
  param: string;
  message: string;
}

/** The first thing wrong with `params`, or undefined when they fit the schema. */
export function paramProblem(params: unknown, schema: JsonSchema): ParamProblem | undefined {
  if (params === undefined || params === null) params = {};
  if (!isPlainObject(params)) return { param: '', message: 'The parameters must be a JSON object.' };
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const name of (schema.required ?? []) as string[]) {
    if (params[name] === undefined) return { param: name, message: `"${name}" is required.` };
  }
  for (const [name, value] of Object.entries(params)) {
    const property = properties[name];
    if (!property) {
      if (schema.additionalProperties === false) return { param: name, message: `"${name}" is not a parameter of this tool. Its parameters are: ${Object.keys(properties).join(', ')}.` };
      continue;
    }
    if (value === undefined) continue;
    const problem = valueProblem(value, property);
    if (problem) return { param: name, message: `"${name}" ${problem}.` };
  }
  return undefined;
}

function valueProblem(value: unknown, schema: JsonSchema): string | undefined {
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return 'must be a string';
      if (typeof schema.minLength === 'number' && value.length < schema.minLength) return 'must not be empty';
      if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) return `must be at most ${schema.maxLength} characters`;
      return undefined;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be a whole number';
      if (typeof schema.minimum === 'number' && value < schema.minimum) return `must be at least ${schema.minimum}`;
      if (typeof schema.maximum === 'number' && value > schema.maximum) return `must be at most ${schema.maximum}`;
      return undefined;
    case 'object':
      return isPlainObject(value) ? undefined : 'must be a JSON object';
    case 'array':
      if (!Array.isArray(value)) return 'must be an array';
      if (typeof schema.minItems === 'number' && value.length < schema.minItems) return `must have at least ${schema.minItems} item(s)`;
      if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return `must have at most ${schema.maxItems} items`;
      if ((schema.items as JsonSchema | undefined)?.type === 'object' && !value.every(isPlainObject)) return 'must hold JSON objects only';
      return undefined;
    default:
      return undefined;
  }
}
